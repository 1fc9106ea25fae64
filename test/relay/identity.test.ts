import {
  approveIdentityRequest,
  createIdentityKey,
  directoryExpiry,
  type IdentityKey,
  openIdentity,
  openIdentityReason,
  sealIdentity,
  sealIdentityReason,
  signDirectory,
  toBase64url,
  unwrapIdentityKey,
  type WrappedKey,
  wrapIdentityKey,
} from "@sotto/crypto-core"
import { contexts, identity, wb } from "@sotto/protocol"
import { ManualClock } from "@sotto/relay"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { SUBLEVELS } from "../../relay/src/store/backend.js"
import { startTestRelay, type TestRelay } from "./_harness.js"
import {
  buildSubmission,
  contextBody,
  refused,
  type SeededNode,
  type Staff,
  seedStaff,
  seedTeam,
  solve,
  wire,
} from "./_seed.js"

// Issue 17: a whistleblower's identity behind a custodian, against a real relay and LevelDB.

/** Every sealed object (`{v: 1, to, age}`) anywhere in the store, with where it was found. */
async function sealedInStore(t: TestRelay): Promise<Array<{ where: string; sealed: WrappedKey }>> {
  const found: Array<{ where: string; sealed: WrappedKey }> = []
  const walk = (where: string, value: unknown) => {
    if (typeof value !== "object" || value === null) return
    const v = value as Record<string, unknown>
    if (v.v === 1 && Array.isArray(v.to) && typeof v.age === "string") {
      found.push({ where, sealed: v as unknown as WrappedKey })
      return
    }
    for (const [k, inner] of Object.entries(v)) walk(`${where}.${k}`, inner)
  }
  for (const sublevel of SUBLEVELS) {
    for (const [key, bytes] of await t.relay.ctx.store.list<unknown>(sublevel)) {
      walk(`${sublevel}/${key}`, bytes)
    }
  }
  return found
}

/** Whether `reader` can open any identity-key wrap the relay stores. */
async function opensAnyIdentityWrap(t: TestRelay, reader: Staff): Promise<string[]> {
  const opened: string[] = []
  for (const { where, sealed } of await sealedInStore(t)) {
    try {
      await unwrapIdentityKey(sealed, reader.identity)
      opened.push(where)
    } catch {
      // Not an identity-key wrap for this reader: what we want for recipients.
    }
  }
  return opened
}

describe("identity behind a custodian", () => {
  let t: TestRelay
  let node: SeededNode
  let adminToken: string
  let alice: Staff
  let bob: Staff
  let carol: Staff
  let contextId: string
  let tipId: string
  let wbSession: string
  let idKey: IdentityKey
  let tipRecipient: string

  beforeAll(async () => {
    t = await startTestRelay({ clock: new ManualClock() })
    const team = await seedTeam(t, 2)
    ;({ node } = team)
    adminToken = team.admin.token
    ;[alice, bob] = team.staff
    carol = await seedStaff(t, "custodian")
  })
  afterAll(() => t.destroy())

  it("refuses identity fields on a channel without a custodian, saying why", async () => {
    const body = contextBody(node, [alice, bob])
    body.questionnaire.push({
      id: "name",
      type: "text",
      label: "Your name",
      required: false,
      identity: true,
    })
    const err = await refused(t.client.call(contexts.createContext, { session: adminToken, body }))
    expect(err.status).toBe(400)
    expect(err.field).toBe("body.questionnaire.2.identity")
    expect(err.message).toMatch(/needs a custodian/)
  })

  it("creates a channel whose signed directory lists its custodian apart from the recipients", async () => {
    const body = contextBody(node, [alice, bob])
    body.questionnaire.push({
      id: "name",
      type: "text",
      label: "Your name",
      required: false,
      identity: true,
    })
    const people = (list: Staff[]) =>
      list.map((s) => ({ id: s.id, name: s.name, recipient: s.recipient }))
    const signed = signDirectory(
      {
        v: 2,
        context: body.id,
        version: 1,
        issuedAt: new Date(Date.UTC(2026, 0, 1)).toISOString(),
        expiresAt: directoryExpiry(new Date()),
        recipients: people([alice, bob]),
        custodians: people([carol]),
      },
      node.signing,
    )
    // Carol is not a recipient: a directory that lists her so, or not at all, is refused.
    const missing = await refused(
      t.client.call(contexts.createContext, {
        session: adminToken,
        body: { ...body, custodians: [carol.id] },
      }),
    )
    expect(missing.code).toBe("BAD_DIRECTORY")
    const recipientAsCustodian = await refused(
      t.client.call(contexts.createContext, {
        session: adminToken,
        body: { ...body, custodians: [alice.id], directory: wire(signed) },
      }),
    )
    expect(recipientAsCustodian.field).toBe("body.custodians.0")
    await t.client.call(contexts.createContext, {
      session: adminToken,
      body: { ...body, custodians: [carol.id], directory: wire(signed) },
    })
    contextId = body.id
    const served = await t.client.call(contexts.getContextDirectory, { params: { contextId } })
    expect(served.directory.custodians?.map((c) => c.id)).toEqual([carol.id])
    expect(served.directory.recipients.map((r) => r.id).sort()).toEqual([alice.id, bob.id].sort())
  })

  it("stores a submission's identity so that before approval no recipient can open it", async () => {
    const built = await buildSubmission(node, contextId, [alice, bob])
    idKey = await createIdentityKey()
    tipRecipient = built.tip.recipient
    const body = {
      ...built.body,
      identity: {
        age: await sealIdentity(idKey.recipient, built.tip.recipient, { name: "Jane Roe" }),
        wraps: [{ holder: carol.id, wrap: wire(await wrapIdentityKey(idKey, carol.recipient)) }],
      },
    }
    const res = await t.client.call(wb.submitTip, {
      body: { pow: await solve(t, "submitTip", body), ...body },
    })
    tipId = res.tipId
    wbSession = res.session

    // The relay holds wraps it could hand out; none opens for a recipient, one for the custodian.
    expect(await opensAnyIdentityWrap(t, alice)).toEqual([])
    expect(await opensAnyIdentityWrap(t, bob)).toEqual([])
    expect(await opensAnyIdentityWrap(t, carol)).toEqual([`tips/iw/${tipId}/${carol.id}.wrap`])
    // And nothing in the store carries the identity in the clear.
    for (const sublevel of SUBLEVELS) {
      const dump = JSON.stringify(await t.relay.ctx.store.list(sublevel))
      expect(dump).not.toContain("Jane Roe")
    }

    const view = await t.client.call(identity.getTipIdentity, {
      session: alice.token,
      params: { tipId },
    })
    expect(view.wrap).toBeUndefined()
    expect(view.requests).toEqual([])
    const mine = await t.client.call(wb.getWbTip, { session: wbSession })
    expect(mine.tip.identityDisclosed).toBe(false)
  })

  it("refuses identity wraps that are not exactly the custodians'", async () => {
    const built = await buildSubmission(node, contextId, [alice, bob])
    const key = await createIdentityKey()
    const body = {
      ...built.body,
      identity: {
        age: await sealIdentity(key.recipient, built.tip.recipient, { name: "x" }),
        // A recipient slipped in as a custodian: the relay must not store it.
        wraps: [{ holder: alice.id, wrap: wire(await wrapIdentityKey(key, alice.recipient)) }],
      },
    }
    const err = await refused(
      t.client.call(wb.submitTip, { body: { pow: await solve(t, "submitTip", body), ...body } }),
    )
    expect(err.status).toBe(409)
    expect(err.field).toBe("body.identity.wraps.0")
  })

  it("lets a custodian approve a recipient's written request; only that recipient then reads it", async () => {
    const reason = "We need to contact the reporter about the invoices."
    const sealedReason = await sealIdentityReason(reason, [carol.recipient])
    const asked = await t.client.call(identity.requestIdentity, {
      session: alice.token,
      params: { tipId },
      body: { reason: wire(sealedReason) },
    })
    expect(asked.state).toBe("pending")
    // A second request while one waits is refused; the custodian role is needed to decide.
    expect(
      (
        await refused(
          t.client.call(identity.requestIdentity, {
            session: alice.token,
            params: { tipId },
            body: { reason: wire(sealedReason) },
          }),
        )
      ).status,
    ).toBe(409)
    const notCustodian = await refused(
      t.client.call(identity.decideIdentityRequest, {
        session: bob.token,
        params: { tipId, requestId: asked.id },
        body: { approve: true },
      }),
    )
    expect(notCustodian.status).toBe(403)

    // The custodian's side: read the reason, check the directory against the pin, wrap.
    const { requests } = await t.client.call(identity.listIdentityRequests, {
      session: carol.token,
    })
    const request = requests.find((r) => r.id === asked.id)
    if (!request) throw new Error("the custodian does not see the request")
    expect(await openIdentityReason(request.reason, carol.identity)).toBe(reason)
    const signed = await t.client.call(contexts.getContextDirectory, { params: { contextId } })
    const wrap = await approveIdentityRequest({
      signed,
      pin: toBase64url(node.signing.publicKey),
      contextId: request.contextId,
      requesterId: request.requester,
      custodianWrap: request.custodianWrap,
      custodian: carol.identity,
    })
    // The relay refuses an approval whose wrap is for anyone but the requester.
    const misaddressed = await refused(
      t.client.call(identity.decideIdentityRequest, {
        session: carol.token,
        params: { tipId, requestId: asked.id },
        body: { approve: true, wrap: wire(await wrapIdentityKey(idKey, bob.recipient)) },
      }),
    )
    expect(misaddressed.field).toBe("body.wrap")
    const decided = await t.client.call(identity.decideIdentityRequest, {
      session: carol.token,
      params: { tipId, requestId: asked.id },
      body: { approve: true, wrap: wire(wrap) },
    })
    expect(decided).toMatchObject({ state: "approved", decidedBy: carol.id })

    const forAlice = await t.client.call(identity.getTipIdentity, {
      session: alice.token,
      params: { tipId },
    })
    if (!forAlice.wrap) throw new Error("no wrap for the approved recipient")
    const opened = await openIdentity(
      forAlice.age,
      await unwrapIdentityKey(forAlice.wrap, alice.identity),
      { tip: tipRecipient },
    )
    expect(opened.answers).toEqual({ name: "Jane Roe" })

    // The second recipient still cannot: no wrap served, none in the store opens for them.
    const forBob = await t.client.call(identity.getTipIdentity, {
      session: bob.token,
      params: { tipId },
    })
    expect(forBob.wrap).toBeUndefined()
    expect(forBob.requests.map((r) => [r.requester, r.state])).toEqual([[alice.id, "approved"]])
    expect(await opensAnyIdentityWrap(t, bob)).toEqual([])

    const mine = await t.client.call(wb.getWbTip, { session: wbSession })
    expect(mine.tip.identityDisclosed).toBe(true)
    const audit = await t.relay.ctx.audit.list()
    expect(audit.filter((e) => e.target === tipId).map((e) => [e.action, e.actor])).toEqual(
      expect.arrayContaining([
        ["identity.requested", alice.id],
        ["identity.approved", carol.id],
      ]),
    )
    expect(JSON.stringify(audit)).not.toContain(reason)
  })

  it("records a refusal and gives nothing", async () => {
    const asked = await t.client.call(identity.requestIdentity, {
      session: bob.token,
      params: { tipId },
      body: { reason: wire(await sealIdentityReason("Curious.", [carol.recipient])) },
    })
    const refusedDecision = await t.client.call(identity.decideIdentityRequest, {
      session: carol.token,
      params: { tipId, requestId: asked.id },
      body: { approve: false },
    })
    expect(refusedDecision.state).toBe("refused")
    expect(await opensAnyIdentityWrap(t, bob)).toEqual([])
    const audit = await t.relay.ctx.audit.list()
    expect(audit.some((e) => e.action === "identity.refused" && e.actor === carol.id)).toBe(true)
  })
})
