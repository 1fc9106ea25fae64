import { signNodeManifest, toBase64url } from "@sotto/crypto-core"
import { accounts, manifest, oprf, wb } from "@sotto/protocol"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  changePassword,
  createRecipient,
  escrowReset,
  firstLogin,
  login,
  type NodeAdmin,
  relayError,
  setupNode,
  trustedManifest,
} from "./_actors.js"
import { startTestRelay, type TestRelay } from "./_harness.js"
import { createContext, type Staff, submit, wbLoginBody } from "./_seed.js"

// Issue 12, migration: a node made before the OPRF is upgraded (its manifest re-signed with the
// relay's OPRF key); v1 accounts move to the OPRF derivation at their next login (a password
// change with the same password); v1 receipts keep working until their tips expire.

describe("moving a node made before the OPRF onto it", () => {
  let t: TestRelay
  let admin: NodeAdmin
  let v1Receipt: string
  let v1ReceiptKey: string
  let alicePassword: string

  beforeAll(async () => {
    t = await startTestRelay()
    admin = await setupNode(t)
    const account = await createRecipient(t, admin, "alice")
    alicePassword = (await firstLogin(t, "alice", account.oneTimePassword)).password
    const me: Staff = {
      id: admin.userId,
      name: "First Admin",
      token: admin.session,
      identity: admin.identity,
      recipient: admin.recipient,
    }
    const node = {
      signing: admin.signing,
      receiptSalt: Buffer.from(admin.receipt.salt, "base64url"),
    }
    const contextId = await createContext(t, node, me, [me])
    const tip = await submit(t, node, contextId, [me])
    v1Receipt = tip.receipt
    v1ReceiptKey = toBase64url(tip.keys.authKey)
    // The upgrade: an admin re-signs the manifest listing the relay's OPRF key.
    const before = await trustedManifest(t)
    const { keys } = await t.client.call(oprf.getOprfKeys)
    const { v: _v, protocol: _p, directorySigner: _d, ...fields } = before
    const signed = signNodeManifest(
      { ...fields, version: before.version + 1, oprf: { suite: "ristretto255-SHA512", keys } },
      admin.signing,
    )
    await t.client.call(manifest.putNodeManifest, {
      session: admin.session,
      body: { manifest: signed },
    })
    expect((await trustedManifest(t)).oprf?.keys).toEqual(keys)
  })
  afterAll(async () => {
    await t.destroy()
  })

  it("keeps a v1 account on v1 until it logs in, then moves it with the same password", async () => {
    const params = await t.client.call(accounts.getAuthParams, { query: { username: "alice" } })
    expect(params.oprf).toBeUndefined()
    const v1 = await login(t, "alice", alicePassword)
    expect(v1.identity).toBeDefined()
    // What the client does right after a v1 login on an OPRF node.
    await changePassword(t, v1, alicePassword)
    const after = await t.client.call(accounts.getAuthParams, { query: { username: "alice" } })
    expect(after.oprf).toBe((await trustedManifest(t)).oprf?.keys[0])
    // The old (v1) auth key no longer opens the account; the OPRF one does, identity intact.
    const stale = await relayError(
      t.client.call(accounts.login, {
        body: { username: "alice", authKey: toBase64url(v1.keys.authKey) },
      }),
    )
    expect(stale.code).toBe("WRONG_CREDENTIALS")
    const v2 = await login(t, "alice", alicePassword)
    expect(v2.identity).toBe(v1.identity)
    expect(v2.keys.authKey).not.toEqual(v1.keys.authKey)
  })

  it("refuses a new v1 verifier once the manifest lists OPRF keys", async () => {
    const admin2 = await login(t, "admin", admin.password)
    const err = await relayError(
      t.client.call(accounts.changePassword, {
        session: admin2.session,
        body: {
          currentAuthKey: toBase64url(admin2.keys.authKey),
          kdf: { salt: admin.receipt.salt, params: { N: 2 ** 15, r: 8, p: 1 } },
          authVerifier: toBase64url(new Uint8Array(32)),
          sealedIdentity: admin2.sealedIdentity ?? (undefined as never),
          publicKey: admin.recipient,
        },
      }),
    )
    expect([err.status, err.code, err.field]).toEqual([400, "VALIDATION", "body.kdf.oprf"])
  })

  it("answers unknown names like moved accounts", async () => {
    const ghost = await t.client.call(accounts.getAuthParams, { query: { username: "ghost" } })
    expect(ghost.oprf).toBe((await trustedManifest(t)).oprf?.keys[0])
  })

  it("resets a password with escrow through the OPRF too", async () => {
    const admin2 = await login(t, "admin", admin.password)
    const { users } = await t.client.call(accounts.listUsers, { session: admin2.session })
    const alice = users.find((u) => u.username === "alice")
    const otp = await escrowReset(
      t,
      { ...admin, ...admin2, identity: admin.identity },
      alice?.id ?? "",
    )
    const params = await t.client.call(accounts.getAuthParams, { query: { username: "alice" } })
    expect(params.oprf).toBe((await trustedManifest(t)).oprf?.keys[0])
    const first = await login(t, "alice", otp)
    expect(first.stage).toBe("password-change")
  })

  it("still logs a v1 receipt in, until its tip expires", async () => {
    expect(v1Receipt.length).toBeGreaterThan(0)
    const back = await t.client.call(wb.wbLogin, { body: await wbLoginBody(t, v1ReceiptKey) })
    expect(back.tipId).toMatch(/.+/)
  })
})
