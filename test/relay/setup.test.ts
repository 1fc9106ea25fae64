import {
  createAccountIdentity,
  drawRecoveryKey,
  recipientOf,
  sealAccountIdentity,
} from "@sotto/crypto-core"
import { accounts, system } from "@sotto/protocol"
import { LANGUAGES } from "@sotto/protocol/languages"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { login, type PreparedSetup, prepareSetup, relayError } from "./_actors.js"
import { startTestRelay, type TestRelay } from "./_harness.js"

type SetupBody = PreparedSetup["body"]

describe("setting up a node", () => {
  let t: TestRelay
  let prepared: PreparedSetup
  beforeAll(async () => {
    t = await startTestRelay()
    prepared = await prepareSetup()
  })
  afterAll(async () => {
    await t.destroy()
  })

  // Sends a changed copy of the valid setup body and returns the refusal.
  const refuse = (change: (body: SetupBody) => unknown) => {
    const body = structuredClone(prepared.body)
    return relayError(t.client.call(accounts.setup, { body: (change(body) ?? body) as SetupBody }))
  }

  it("answers 409 NOT_SET_UP for the node description, auth params and login before setup", async () => {
    expect((await relayError(t.client.call(accounts.getNode))).code).toBe("NOT_SET_UP")
    const params = t.client.call(accounts.getAuthParams, { query: { username: "admin" } })
    expect((await relayError(params)).code).toBe("NOT_SET_UP")
    const body = { username: "admin", authKey: "A".repeat(43) }
    expect((await relayError(t.client.call(accounts.login, { body }))).status).toBe(409)
  })

  it.each([
    [
      "a node name of the wrong type",
      (b: SetupBody) => ({ ...b, node: { name: 7 } }),
      "body.node.name",
    ],
    [
      "a missing auth verifier",
      (b: SetupBody) => {
        delete (b.admin as Partial<SetupBody["admin"]>).authVerifier
      },
      "body.admin.authVerifier",
    ],
    ["an unknown field", (b: SetupBody) => ({ ...b, extra: true }), "body.extra"],
    [
      "an over-long node name",
      (b: SetupBody) => ({ ...b, node: { name: "n".repeat(101) } }),
      "body.node.name",
    ],
    [
      "an upper-case username",
      (b: SetupBody) => {
        b.admin.username = "Admin"
      },
      "body.admin.username",
    ],
    [
      "scrypt N that is not a power of two",
      (b: SetupBody) => {
        b.admin.kdf.params.N = 3 * 2 ** 15
      },
      "body.admin.kdf.params.N",
    ],
    [
      "scrypt N below the floor",
      (b: SetupBody) => {
        b.admin.kdf.params.N = 2 ** 14
      },
      "body.admin.kdf.params.N",
    ],
    [
      "a public key that is not the sealed identity's",
      (b: SetupBody) => {
        b.admin.publicKey = b.escrow.recipient ?? ""
      },
      "body.admin.sealedIdentity.recipient",
    ],
    [
      "escrow enabled without a recipient",
      (b: SetupBody) => {
        delete b.escrow.recipient
      },
      "body.escrow.recipient",
    ],
    [
      "escrow disabled with a wrap",
      (b: SetupBody) => {
        b.escrow.enabled = false
        delete b.escrow.recipient
      },
      "body.escrow.adminWrap",
    ],
    [
      "an identity sealed to another escrow key",
      (b: SetupBody) => {
        b.escrow.recipient = b.admin.publicKey
      },
      "body.admin.sealedIdentity.to.escrow",
    ],
    [
      "an escrow wrap sealed to someone else",
      (b: SetupBody) => {
        if (b.escrow.adminWrap) b.escrow.adminWrap.to = [b.escrow.recipient ?? ""]
      },
      "body.escrow.adminWrap.to",
    ],
    [
      "a signing key of the wrong length",
      (b: SetupBody) => {
        b.signing.publicKey = "A".repeat(42)
      },
      "body.signing.publicKey",
    ],
    [
      "a receipt pattern with too little entropy",
      (b: SetupBody) => {
        b.receipt.pattern = "\\d{6}"
      },
      "body.receipt.pattern",
    ],
    [
      "a receipt pattern crypto-core cannot read",
      (b: SetupBody) => {
        b.receipt.pattern = "[a-z]{20}"
      },
      "body.receipt.pattern",
    ],
  ])("refuses %s, naming the field", async (_, change, field) => {
    const e = await refuse(change)
    expect([e.status, e.code, e.field]).toEqual([400, "VALIDATION", field])
  })

  it("refuses an identity whose escrow keyholder is missing while escrow is on", async () => {
    const account = await createAccountIdentity()
    const sealedIdentity = await sealAccountIdentity(account, {
      password: prepared.body.admin.publicKey,
      recovery: await recipientOf(drawRecoveryKey()),
    })
    const e = await refuse((b) => {
      b.admin.sealedIdentity = sealedIdentity
      b.admin.publicKey = account.recipient
    })
    expect([e.code, e.field]).toEqual(["VALIDATION", "body.admin.sealedIdentity.to.escrow"])
  })

  it("refuses a body over the route's limit with 413", async () => {
    const e = await refuse((b) => ({ ...b, padding: "x".repeat(64 * 1024) }))
    expect([e.status, e.code]).toEqual([413, "BODY_TOO_LARGE"])
  })

  it("refuses a body that is not JSON", async () => {
    const res = await fetch(`${t.baseUrl}/api/v1/setup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    })
    expect(res.status).toBe(400)
    expect((await res.json()).error.field).toBe("body")
  })

  it("is still not set up after every refused attempt", async () => {
    expect((await t.client.call(system.getHealth)).setUp).toBe(false)
    expect(await t.relay.ctx.store.list("users")).toEqual([])
    // Only the markers a fresh data dir gets at start: data format 3, holder index version 2.
    expect(await t.relay.ctx.store.list("settings")).toEqual([
      ["dataVersion", { major: 3 }],
      ["holderIndex", 2],
    ])
  })

  it("sets up once, returning a full admin session", async () => {
    const { session, userId } = await t.client.call(accounts.setup, { body: prepared.body })
    const me = await t.client.call(accounts.getMe, { session })
    expect(me).toMatchObject({ id: userId, username: "admin", role: "admin", stage: "full" })
    expect(me.mustChangePassword).toBe(false)
    expect(me).not.toHaveProperty("authVerifier")
    expect((await t.client.call(system.getHealth)).setUp).toBe(true)
  })

  it("refuses a second setup with 409 ALREADY_SET_UP and keeps the first", async () => {
    const again = await prepareSetup({ nodeName: "Intruder" })
    const e = await relayError(t.client.call(accounts.setup, { body: again.body }))
    expect([e.status, e.code]).toEqual([409, "ALREADY_SET_UP"])
    expect((await t.client.call(accounts.getNode)).name).toBe("Test node")
    expect((await t.relay.ctx.store.list("users")).length).toBe(2) // record + name index
  })

  it("describes the node to browsers: escrow and signing public keys, receipt settings, password policy", async () => {
    const node = await t.client.call(accounts.getNode)
    expect(node).toEqual({
      name: "Test node",
      setUp: true,
      escrow: { enabled: true, recipient: prepared.admin.escrow?.recipient },
      signingPublicKey: prepared.body.signing.publicKey,
      receipt: prepared.body.receipt,
      expiryDays: 90,
      passwordPolicy: { minScore: 3, minLength: 8 },
      manifest: prepared.body.manifest,
      languages: { enabled: [...LANGUAGES], default: "en" },
    })
  })

  it("lets the admin log in and open the identity, escrow and signing keys made at setup", async () => {
    const admin = await login(t, "admin", prepared.admin.password)
    expect(admin.stage).toBe("full")
    expect(admin.identity).toBe(prepared.admin.identity)
    expect(admin.escrow).toBe(prepared.admin.escrow?.identity)
    expect(admin.signing?.publicKey).toEqual(prepared.admin.signing.publicKey)
  })

  it("records the setup in the audit log", async () => {
    const admin = await login(t, "admin", prepared.admin.password)
    const { entries } = await t.client.call(accounts.listAudit, { session: admin.session })
    expect(entries.map((e) => e.action)).toContain("node.setup")
  })
})

describe("setting up a node twice at once", () => {
  let t: TestRelay
  beforeAll(async () => {
    t = await startTestRelay()
  })
  afterAll(async () => {
    await t.destroy()
  })

  it("lets exactly one of two simultaneous setups through", async () => {
    const [a, b] = await Promise.all([prepareSetup(), prepareSetup({ username: "other" })])
    const results = await Promise.allSettled([
      t.client.call(accounts.setup, { body: a.body }),
      t.client.call(accounts.setup, { body: b.body }),
    ])
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1)
    const refused = results.find((r) => r.status === "rejected")
    expect((refused as PromiseRejectedResult).reason.code).toBe("ALREADY_SET_UP")
    expect((await t.relay.ctx.store.list("users")).length).toBe(2) // one record + its index
  })
})

describe("setting up a node without escrow", () => {
  let t: TestRelay
  beforeAll(async () => {
    t = await startTestRelay()
  })
  afterAll(async () => {
    await t.destroy()
  })

  it("stores no escrow recipient and gives the admin no escrow wrap", async () => {
    const prepared = await prepareSetup({ escrow: false })
    const { session } = await t.client.call(accounts.setup, { body: prepared.body })
    expect((await t.client.call(accounts.getNode)).escrow).toEqual({ enabled: false })
    const me = await t.client.call(accounts.getMe, { session })
    expect(me.escrowWrap).toBeUndefined()
    expect(me.signingKeyWrap?.to).toEqual([prepared.admin.recipient])
  })
})
