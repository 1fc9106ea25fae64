import {
  accountSigner,
  accountSigningKey,
  drawEscrowRequestId,
  signEscrowPolicy,
  signEscrowRequest,
} from "@sotto/crypto-core"
import { accounts, escrowQuorum } from "@sotto/protocol"
import { ManualClock } from "@sotto/relay"
import { escrowQuorumSteps } from "@sotto/workers/escrowQuorumSteps"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  createRecipient,
  createUser,
  escrowReset,
  firstLogin,
  login,
  reauthKey,
  relayError,
  type StaffActor,
} from "./_actors.js"
import {
  approveReset,
  askReset,
  completeReset,
  policyTrust,
  splitEscrow,
  threeAdmins,
} from "./_escrowQuorum.js"
import { startTestRelay, type TestRelay } from "./_harness.js"

// k-of-n escrow on the relay (crypto-core SPEC §4.1): 2-of-3 admins, approvals counted once per
// holder, non-holders refused, bad input answered with a code and nothing stored.

const clock = new ManualClock(Date.UTC(2026, 5, 1, 9, 0))
let t: TestRelay
let ana: StaffActor
let bianca: StaffActor
let chidi: StaffActor
let alice: StaffActor

beforeAll(async () => {
  t = await startTestRelay({ clock })
  t.relay.ctx.loginGuard.sleep = async () => {}
  ;({
    admins: [ana, bianca, chidi],
  } = await threeAdmins(t))
  const made = await createRecipient(t, ana, "alice")
  alice = await firstLogin(t, "alice", made.oneTimePassword)
})
afterAll(async () => {
  await t.destroy()
})

const audit = async (action: string) =>
  (await t.relay.ctx.audit.list()).filter((e) => e.action === action)

describe("switching to 2-of-3 escrow", () => {
  it("refuses a policy whose threshold was changed after signing, storing nothing", async () => {
    const me = await t.client.call(accounts.getMe, { session: ana.session })
    if (!me.escrowWrap || !me.signingKeyWrap) throw new Error("ana holds no wraps")
    const { policy, shares } = await escrowQuorumSteps.splitEscrowAmongHolders({
      identity: ana.identity,
      escrowWrap: me.escrowWrap,
      signingKeyWrap: me.signingKeyWrap,
      trust: await policyTrust(t),
      threshold: 2,
      holders: [ana, bianca, chidi].map((a) => ({
        userId: a.userId,
        recipient: a.recipient,
        signer: policyHolderSigner(a),
      })),
      version: 1,
      issuedAt: clock.now(),
    })
    const body = {
      currentAuthKey: await reauthKey(t, ana),
      policy: { ...policy, body: { ...policy.body, holders: [...policy.body.holders] } },
      shares: shares.map((s) => ({
        userId: s.userId,
        sealed: { ...s.sealed, to: [...s.sealed.to] },
      })),
    }
    const lowered = {
      ...body,
      policy: { ...body.policy, body: { ...body.policy.body, threshold: 1 } },
    }
    const e1 = await relayError(
      t.client.call(escrowQuorum.putEscrowPolicy, { session: ana.session, body: lowered }),
    )
    expect([e1.status, e1.code, e1.field]).toEqual([422, "BAD_MANIFEST", "body.policy"])
    const missing = { ...body, shares: body.shares.slice(0, 2) }
    const e2 = await relayError(
      t.client.call(escrowQuorum.putEscrowPolicy, { session: ana.session, body: missing }),
    )
    expect([e2.status, e2.code, e2.field]).toEqual([400, "VALIDATION", "body.shares"])
    const swapped = {
      ...body,
      shares: [body.shares[1], body.shares[0], body.shares[2]].map((s, i) => ({
        userId: body.shares[i]?.userId ?? "",
        sealed: s?.sealed ?? body.shares[0]!.sealed,
      })),
    }
    const e3 = await relayError(
      t.client.call(escrowQuorum.putEscrowPolicy, { session: ana.session, body: swapped }),
    )
    expect([e3.status, e3.code]).toEqual([400, "VALIDATION"])
    expect(e3.field).toMatch(/^body\.shares\.0\.sealed\.to$/)
    const wrongKey = {
      ...body,
      currentAuthKey: await reauthKey(t, { username: ana.username, password: "wrong" }),
    }
    const e4 = await relayError(
      t.client.call(escrowQuorum.putEscrowPolicy, { session: ana.session, body: wrongKey }),
    )
    expect([e4.status, e4.code]).toEqual([401, "WRONG_CREDENTIALS"])
    expect(
      (await t.client.call(escrowQuorum.getEscrowPolicy, { session: ana.session })).policy,
    ).toBeNull()
    expect(
      (await t.client.call(accounts.getMe, { session: bianca.session })).escrowWrap,
    ).toBeDefined()
  })

  it("stores the signed policy and one share per holder, and deletes every 1-of-n wrap", async () => {
    await splitEscrow(t, ana, 2, [ana, bianca, chidi])
    for (const admin of [ana, bianca, chidi]) {
      const me = await t.client.call(accounts.getMe, { session: admin.session })
      expect(me.escrowWrap).toBeUndefined()
      const mine = await t.client.call(escrowQuorum.getEscrowPolicy, { session: admin.session })
      expect([mine.policy?.body.threshold, mine.share?.to]).toEqual([2, [admin.recipient]])
    }
    const [entry] = await audit("escrow.policy")
    expect(entry).toMatchObject({
      actor: ana.userId,
      details: { threshold: 2, holders: 3, removedWraps: 3 },
    })
  })

  it("refuses the 1-of-n reset once the key is split", async () => {
    const e = await relayError(
      t.client.call(accounts.resetUserWithEscrow, {
        session: ana.session,
        params: { userId: alice.userId },
        body: {
          kdf: { salt: "AAAAAAAAAAAAAAAAAAAAAA", params: { N: 2 ** 15, r: 8, p: 1 } },
          authVerifier: "A".repeat(43),
          sealedIdentity: (await login(t, "alice", alice.password)).sealedIdentity!,
          currentAuthKey: await reauthKey(t, ana),
        },
      }),
    )
    expect([e.status, e.code]).toEqual([409, "CONFLICT"])
    await expect(escrowReset(t, ana, alice.userId)).rejects.toThrow(/no escrow wrap/)
  })

  it("refuses to replace the split without an approved policy request, keeping the shares", async () => {
    const before = await t.client.call(escrowQuorum.getEscrowPolicy, { session: bianca.session })
    const current = before.policy
    if (!current) throw new Error("no policy")
    const signing = await login(t, ana.username, ana.password)
    if (!signing.signing) throw new Error("ana holds no signing wrap")
    const next = signEscrowPolicy(
      { ...current.body, version: current.body.version + 1, threshold: 3 },
      signing.signing,
    )
    const e = await relayError(
      t.client.call(escrowQuorum.putEscrowPolicy, {
        session: ana.session,
        body: {
          currentAuthKey: await reauthKey(t, ana),
          policy: { ...next, body: { ...next.body, holders: [...next.body.holders] } },
          shares: (before.share ? [ana, bianca, chidi] : []).map((a) => ({
            userId: a.userId,
            sealed: { v: 1 as const, to: [a.recipient], age: before.share?.age ?? "" },
          })),
        },
      }),
    )
    expect([e.status, e.code, e.field]).toEqual([400, "VALIDATION", "body.requestId"])
    const after = await t.client.call(escrowQuorum.getEscrowPolicy, { session: bianca.session })
    expect(after).toEqual(before)
  })
})

describe("a 2-of-3 escrow reset", () => {
  it("is impossible with one approval, done with two, each approval audited once", async () => {
    const asked = await askReset(t, ana, { userId: alice.userId, username: "alice" })
    expect(await approveReset(t, bianca, asked.id)).toEqual({ approvals: 1, threshold: 2 })
    // Counted once per holder.
    const again = await relayError(approveReset(t, bianca, asked.id))
    expect([again.status, again.code]).toEqual([409, "CONFLICT"])
    // One approval: the relay refuses to complete and the worker cannot rebuild the key.
    await expect(completeReset(t, ana, asked)).rejects.toMatchObject({ code: "BAD_INPUT" })
    const early = await relayError(
      t.client.call(escrowQuorum.completeEscrowRequest, {
        session: ana.session,
        params: { requestId: asked.id },
        body: {
          kdf: { salt: "AAAAAAAAAAAAAAAAAAAAAA", params: { N: 2 ** 15, r: 8, p: 1 } },
          authVerifier: "A".repeat(43),
          sealedIdentity: (await login(t, "alice", alice.password)).sealedIdentity!,
          currentAuthKey: await reauthKey(t, ana),
        },
      }),
    )
    expect([early.status, early.code]).toEqual([409, "CONFLICT"])
    expect((await login(t, "alice", alice.password)).stage).toBe("full")

    expect(await approveReset(t, chidi, asked.id)).toEqual({ approvals: 2, threshold: 2 })
    const oneTimePassword = await completeReset(t, ana, asked)
    const reset = await login(t, "alice", oneTimePassword)
    expect([reset.stage, reset.identity]).toEqual(["password-change", alice.identity])

    const approvals = await audit("escrow.approve")
    expect(approvals.map((a) => [a.actor, a.target, a.details?.request]).sort()).toEqual(
      [
        [bianca.userId, alice.userId, asked.id],
        [chidi.userId, alice.userId, asked.id],
      ].sort(),
    )
    const [done] = await audit("escrow.reset")
    expect(done).toMatchObject({
      actor: ana.userId,
      target: alice.userId,
      details: { request: asked.id },
    })
    expect(String(done?.details?.approvedBy).split(",").sort()).toEqual(
      [bianca.userId, chidi.userId].sort(),
    )
    expect((await audit("escrow.request"))[0]).toMatchObject({
      actor: ana.userId,
      target: alice.userId,
    })
    const { requests } = await t.client.call(escrowQuorum.listEscrowRequests, {
      session: bianca.session,
    })
    const view = requests.find((r) => r.request.body.id === asked.id)
    expect([view?.status, view?.approvals]).toEqual(["completed", undefined])
    const closed = await relayError(approveReset(t, ana, asked.id))
    expect([closed.status, closed.code]).toEqual([409, "CONFLICT"])
  })

  it("refuses non-holders, foreign approvals and requests, and unknown ids", async () => {
    const made = await createUser(t, ana, "dmitri", { role: "admin" })
    const dmitri = await firstLogin(t, "dmitri", made.oneTimePassword)
    const bob = await firstLogin(t, "bob", (await createRecipient(t, ana, "bob")).oneTimePassword)
    const asked = await askReset(t, bianca, { userId: bob.userId, username: "bob" })
    const approve = (who: StaffActor, approval: unknown) =>
      reauthKey(t, who).then((currentAuthKey) =>
        t.client.call(escrowQuorum.approveEscrowRequest, {
          session: who.session,
          params: { requestId: asked.id },
          body: { currentAuthKey, approval: approval as never },
        }),
      )
    const share = (await t.client.call(escrowQuorum.getEscrowPolicy, { session: ana.session }))
      .share!
    const e1 = await relayError(approve(dmitri, share))
    expect([e1.status, e1.code]).toEqual([403, "FORBIDDEN"])
    const e2 = await relayError(approve(bob, share))
    expect([e2.status, e2.code]).toEqual([403, "FORBIDDEN"])
    // A share sealed to anything but the request's ephemeral key.
    const e3 = await relayError(approve(ana, share))
    expect([e3.status, e3.code, e3.field]).toEqual([400, "VALIDATION", "body.approval.to"])
    const e4 = await relayError(
      t.client.call(escrowQuorum.refuseEscrowRequest, {
        session: ana.session,
        params: { requestId: "AAAAAAAAAAAAAAAAAAAAAA" },
        body: {},
      }),
    )
    expect([e4.status, e4.code]).toEqual([404, "NOT_FOUND"])
    // The worker will not ask for dmitri (no share); a request he signs himself gets 403.
    await expect(
      askReset(t, dmitri, { userId: bob.userId, username: "bob" }),
    ).rejects.toMatchObject({
      code: "BAD_INPUT",
    })
    const { policy } = await t.client.call(escrowQuorum.getEscrowPolicy, {
      session: dmitri.session,
    })
    const own = signEscrowRequest(
      {
        id: drawEscrowRequestId(),
        purpose: "reset",
        policy: policy?.body.version ?? 1,
        initiator: dmitri.userId,
        userId: bob.userId,
        username: "bob",
        reason: "no share, still asking",
        ephemeral: dmitri.recipient,
        createdAt: clock.now(),
        expiresAt: clock.now() + 3600_000,
      },
      accountSigningKey(dmitri.identity),
    )
    const e5 = await relayError(
      t.client.call(escrowQuorum.createEscrowRequest, {
        session: dmitri.session,
        body: { currentAuthKey: await reauthKey(t, dmitri), request: own },
      }),
    )
    expect([e5.status, e5.code]).toEqual([403, "FORBIDDEN"])
    const e6 = await relayError(
      t.client.call(escrowQuorum.completeEscrowRequest, {
        session: ana.session,
        params: { requestId: asked.id },
        body: {
          kdf: { salt: "AAAAAAAAAAAAAAAAAAAAAA", params: { N: 2 ** 15, r: 8, p: 1 } },
          authVerifier: "A".repeat(43),
          sealedIdentity: (await login(t, "bob", bob.password)).sealedIdentity!,
          currentAuthKey: await reauthKey(t, ana),
        },
      }),
    )
    expect([e6.status, e6.code]).toEqual([403, "FORBIDDEN"])
    expect((await audit("escrow.approve")).filter((a) => a.details?.request === asked.id)).toEqual(
      [],
    )
  })

  it("closes a refused request for everyone and an expired one by time", async () => {
    const refused = await askReset(t, ana, { userId: alice.userId, username: "alice" })
    await t.client.call(escrowQuorum.refuseEscrowRequest, {
      session: chidi.session,
      params: { requestId: refused.id },
      body: {},
    })
    const e1 = await relayError(approveReset(t, bianca, refused.id))
    expect([e1.status, e1.code]).toEqual([409, "CONFLICT"])
    expect((await audit("escrow.refuse"))[0]).toMatchObject({
      actor: chidi.userId,
      details: { request: refused.id },
    })

    const short = await askReset(
      t,
      ana,
      { userId: alice.userId, username: "alice" },
      { lifetimeMs: 60_000 },
    )
    clock.advance(61_000)
    // The worker refuses to approve an expired request before the relay is asked.
    await expect(approveReset(t, bianca, short.id)).rejects.toMatchObject({ code: "EXPIRED" })
    const { requests } = await t.client.call(escrowQuorum.listEscrowRequests, {
      session: bianca.session,
    })
    expect(requests.find((r) => r.request.body.id === short.id)?.status).toBe("expired")
    expect(requests.find((r) => r.request.body.id === refused.id)).toMatchObject({
      status: "refused",
      refusedBy: chidi.userId,
    })
  })
})

function policyHolderSigner(a: StaffActor): string {
  return accountSigner(a.identity)
}
