import {
  type AgeIdentity,
  authVerifier,
  drawRecoveryKey,
  fromBase64url,
  openAccountIdentity,
  openRecoveryChallenge,
  openTipPart,
  recipientOf,
  resealAccountIdentity,
  sealAccountIdentity,
  toBase64url,
  unwrapTipKeyFrom,
} from "@sotto/crypto-core"
import { accounts, contexts, tips, twoFactor } from "@sotto/protocol"
import { ManualClock } from "@sotto/relay"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import {
  createUser,
  findSecrets,
  firstLogin,
  login,
  type NodeAdmin,
  newPassword,
  passwordKeys,
  relayError,
  rememberSecret,
  type StaffActor,
  setupNode,
  usedSecrets,
} from "./_actors.js"
import { startTestRelay, type TestRelay } from "./_harness.js"
import { startMailServer, type TestMailServer } from "./_mailServer.js"
import { contextBody, type SeededNode, submit } from "./_seed.js"
import { enrolTotp, oathtool } from "./_twoFactor.js"

// The recovery-key login (relay/README.md "Recovery-key login"), as a browser does it with
// crypto-core: ask for a challenge, open it with the recovery key, answer, then reseal the identity
// (opened with the recovery key) to a new password without the old one.

const GUARD_KEY = (username: string) => `RECOVERY/${username}`

describe("logging in with the recovery key", () => {
  const clock = new ManualClock()
  let t: TestRelay
  let smtp: TestMailServer
  let admin: NodeAdmin
  let alice: StaffActor
  let tip: { tipId: string; what: string }

  const challenge = (username: string) =>
    t.client.call(accounts.recoveryChallenge, { body: { username } })
  const verify = (challengeId: string, nonce: string) =>
    t.client.call(accounts.recoveryVerify, { body: { challengeId, nonce } })
  /** Asks for a challenge, opens it with `key` and answers. */
  const recover = async (username: string, key: AgeIdentity) => {
    const c = await challenge(username)
    const nonce = await openRecoveryChallenge(c.sealed, key)
    return verify(c.challengeId, toBase64url(nonce))
  }
  const account = async (username: string, email?: string) => {
    const made = await createUser(t, admin, username, email === undefined ? {} : { email })
    return firstLogin(t, username, made.oneTimePassword)
  }

  beforeAll(async () => {
    smtp = await startMailServer()
    t = await startTestRelay({ clock, env: { SMTP_URL: smtp.url } })
    t.relay.ctx.loginGuard.sleep = async () => {}
    admin = await setupNode(t)
    alice = await account("alice", "alice@example.org")
    // A tip wrapped to alice before she forgets her password.
    const node: SeededNode = {
      signing: admin.signing,
      receiptSalt: fromBase64url("salt", admin.receipt.salt),
    }
    const people = [{ id: alice.userId, name: "Person alice", recipient: alice.recipient }]
    const staffLike = people.map((p) => ({ ...p, token: "", identity: "" }))
    const body = contextBody(node, staffLike)
    await t.client.call(contexts.createContext, { session: admin.session, body })
    const sent = await submit(t, node, body.id, staffLike)
    tip = { tipId: sent.tipId, what: sent.answers.what }
    await t.relay.timers.runDue()
  })
  beforeEach(() => {
    smtp.received.length = 0
    // A fresh minute for the guard's node-wide window, and a new TOTP step.
    clock.advance(61_000)
  })
  afterAll(async () => {
    await t.destroy()
    await smtp.close()
  })

  it("seals the challenge to the recovery key: only that key opens it", async () => {
    const c = await challenge("alice")
    expect(c.challengeId).toMatch(/^[A-Za-z0-9_-]{62}$/)
    const other = rememberSecret(drawRecoveryKey())
    await expect(openRecoveryChallenge(c.sealed, other)).rejects.toMatchObject({
      code: "WRONG_KEY",
    })
    await expect(openRecoveryChallenge(c.sealed, alice.identity)).rejects.toMatchObject({
      code: "WRONG_KEY",
    })
    expect(await openRecoveryChallenge(c.sealed, alice.recoveryKey)).toHaveLength(32)
  })

  it("gives an unknown, a disabled or an identity-less name a challenge of the same shape, refused alike", async () => {
    const real = await challenge("alice")
    const carol = await createUser(t, admin, "carol")
    const dave = await account("dave")
    await t.client.call(accounts.updateUser, {
      session: admin.session,
      params: { userId: dave.userId },
      body: { disabled: true },
    })
    for (const name of ["nobody", "carol", "dave"]) {
      const decoy = await challenge(name)
      expect(Object.keys(decoy).sort()).toEqual(Object.keys(real).sort())
      expect(decoy.challengeId).toMatch(/^[A-Za-z0-9_-]{62}$/)
      expect(real.challengeId).toMatch(/^[A-Za-z0-9_-]{62}$/)
      expect(decoy.sealed.length).toBe(real.sealed.length)
      const e = await relayError(verify(decoy.challengeId, toBase64url(new Uint8Array(32))))
      expect([e.status, e.code, e.field]).toEqual([401, "WRONG_CREDENTIALS", "body.nonce"])
    }
    // dave's own recovery key does not open the decoy his disabled account gets.
    const decoy = await challenge("dave")
    await expect(openRecoveryChallenge(decoy.sealed, dave.recoveryKey)).rejects.toMatchObject({
      code: "WRONG_KEY",
    })
    expect(carol.username).toBe("carol")
  })

  it("refuses a wrong nonce, counts it in the guard, spends the challenge, then locks", async () => {
    const erin = await account("erin")
    const c = await challenge("erin")
    const right = toBase64url(await openRecoveryChallenge(c.sealed, erin.recoveryKey))
    const wrong = await relayError(verify(c.challengeId, toBase64url(new Uint8Array(32))))
    expect([wrong.status, wrong.code]).toEqual([401, "WRONG_CREDENTIALS"])
    // Spent by the wrong answer: the right nonce no longer counts.
    expect((await relayError(verify(c.challengeId, right))).code).toBe("WRONG_CREDENTIALS")
    for (let i = 0; i < 4; i++) {
      const next = await challenge("erin")
      await relayError(verify(next.challengeId, toBase64url(new Uint8Array(32))))
    }
    const known = { known: true }
    expect(await t.relay.ctx.loginGuard.delayFor(GUARD_KEY("erin"), known)).toBeGreaterThan(0)
    // The password count is apart: erin's password still logs in without delay.
    expect(await t.relay.ctx.loginGuard.delayFor("erin", known)).toBe(0)
    for (let i = 0; i < 4; i++) {
      const next = await challenge("erin")
      await relayError(verify(next.challengeId, toBase64url(new Uint8Array(32))))
    }
    const last = await challenge("erin")
    await relayError(verify(last.challengeId, toBase64url(new Uint8Array(32))))
    const locked = await relayError(recover("erin", erin.recoveryKey))
    expect([locked.status, locked.code]).toEqual([423, "LOCKED"])
    const { entries } = await t.client.call(accounts.listAudit, {
      session: admin.session,
      query: { limit: 500 },
    })
    const failures = entries.filter(
      (e) => e.action === "recovery.failure" && e.target === erin.userId,
    )
    expect(failures.length).toBeGreaterThanOrEqual(10)
  })

  it("takes a challenge once, and not after 5 minutes; a newer one does not cancel it", async () => {
    const fred = await account("fred")
    const c = await challenge("fred")
    const nonce = toBase64url(await openRecoveryChallenge(c.sealed, fred.recoveryKey))
    const first = await verify(c.challengeId, nonce)
    expect(first.stage).toBe("password-change")
    expect((await relayError(verify(c.challengeId, nonce))).code).toBe("WRONG_CREDENTIALS")

    const late = await challenge("fred")
    const lateNonce = toBase64url(await openRecoveryChallenge(late.sealed, fred.recoveryKey))
    clock.advance(5 * 60_000 + 1)
    expect((await relayError(verify(late.challengeId, lateNonce))).code).toBe("WRONG_CREDENTIALS")

    const older = await challenge("fred")
    const olderNonce = await openRecoveryChallenge(older.sealed, fred.recoveryKey)
    await challenge("fred")
    // Stateless challenges: anyone asking for one for "fred" cannot void the owner's.
    const kept = await verify(older.challengeId, toBase64url(olderNonce))
    expect(kept.stage).toBe("password-change")
  })

  it("recovers end to end: new password without the old one, same identity, tips still open, audited and mailed", async () => {
    const res = await recover("alice", alice.recoveryKey)
    expect(res.stage).toBe("password-change")
    expect(res.user).toMatchObject({ id: alice.userId, username: "alice" })
    const sealed = res.sealedIdentity ?? expect.unreachable()
    const opened = await openAccountIdentity(sealed, alice.recoveryKey)
    expect(opened.identity).toBe(alice.identity)
    const blocked = await relayError(t.client.call(tips.listTips, { session: res.session }))
    expect(blocked.code).toBe("PASSWORD_CHANGE_REQUIRED")

    // The reseal must keep the recovery recipient, even in a recovered session.
    const password = newPassword()
    const { keys, kdf } = await passwordKeys(password)
    const swapped = await sealAccountIdentity(opened, {
      ...sealed.to,
      password: keys.recipient,
      recovery: await recipientOf(rememberSecret(drawRecoveryKey())),
    })
    const body = {
      kdf,
      authVerifier: toBase64url(authVerifier(keys.authKey)),
      publicKey: sealed.recipient,
    }
    const bad = await relayError(
      t.client.call(accounts.changePassword, {
        session: res.session,
        body: { ...body, sealedIdentity: swapped },
      }),
    )
    expect([bad.status, bad.field]).toEqual([400, "body.sealedIdentity.to.recovery"])

    const resealed = await resealAccountIdentity(
      sealed,
      alice.recoveryKey,
      keys.recipient,
      sealed.to.escrow ?? null,
    )
    await t.client.call(accounts.changePassword, {
      session: res.session,
      body: { ...body, sealedIdentity: resealed },
    })
    expect((await t.client.call(accounts.getMe, { session: res.session })).stage).toBe("full")
    // The old session ended with the change; the old password no longer works.
    expect((await relayError(t.client.call(accounts.getMe, { session: alice.session }))).code).toBe(
      "UNAUTHENTICATED",
    )
    expect((await relayError(login(t, "alice", alice.password))).code).toBe("WRONG_CREDENTIALS")
    const after = await login(t, "alice", password)
    expect([after.stage, after.identity]).toEqual(["full", alice.identity])

    const read = await t.client.call(tips.getTip, {
      session: after.session,
      params: { tipId: tip.tipId },
    })
    const tipKey = await unwrapTipKeyFrom([read.wrap], after.identity ?? "")
    expect(await openTipPart(read.answers, tipKey, "answers")).toMatchObject({ what: tip.what })

    const { entries } = await t.client.call(accounts.listAudit, {
      session: admin.session,
      query: { limit: 500 },
    })
    const mine = entries.filter((e) => e.target === alice.userId).map((e) => e.action)
    expect(mine).toEqual(expect.arrayContaining(["recovery.challenge", "recovery.login"]))
    const change = entries.find((e) => e.action === "password.change" && e.target === alice.userId)
    expect(change?.details).toMatchObject({ recovered: true, stage: "full" })

    await t.relay.timers.runDue()
    const mail = smtp.received.find((m) => m.to.includes("alice@example.org"))
    expect(mail?.subject).toBe("Your account on Test node was opened with its recovery key")
    for (const secret of usedSecrets) expect(mail?.raw).not.toContain(secret)
  })

  it("still needs the current password in an ordinary session", async () => {
    const gina = await account("gina")
    const again = await login(t, "gina", gina.password)
    const { keys, kdf } = await passwordKeys(newPassword())
    const sealed = again.sealedIdentity ?? expect.unreachable()
    const e = await relayError(
      t.client.call(accounts.changePassword, {
        session: again.session,
        body: {
          kdf,
          authVerifier: toBase64url(authVerifier(keys.authKey)),
          sealedIdentity: await resealAccountIdentity(
            sealed,
            gina.recoveryKey,
            keys.recipient,
            null,
          ),
          publicKey: sealed.recipient,
        },
      }),
    )
    expect([e.status, e.code, e.field]).toEqual([400, "VALIDATION", "body.currentAuthKey"])
  })

  it("still asks for the second factor, then for the new password", async () => {
    const hank = await account("hank")
    const { secret } = await enrolTotp(t, hank.session)
    clock.advance(31_000)
    const res = await recover("hank", hank.recoveryKey)
    expect(res.stage).toBe("second-factor")
    expect(res.methods).toContain("totp")
    expect(res.sealedIdentity).toBeUndefined()
    const { keys, kdf } = await passwordKeys(newPassword())
    const early = await relayError(
      t.client.call(accounts.changePassword, {
        session: res.session,
        body: {
          kdf,
          authVerifier: toBase64url(authVerifier(keys.authKey)),
          sealedIdentity:
            (await t.client.call(accounts.getMe, { session: hank.session })).sealedIdentity ??
            expect.unreachable(),
          publicKey: hank.recipient,
        },
      }),
    )
    expect(early.code).toBe("SECOND_FACTOR_REQUIRED")
    clock.advance(31_000)
    const code = oathtool(secret, clock.now())
    const proved = await t.client.call(twoFactor.verifySecondFactor, {
      session: res.session,
      body: { method: "totp", code },
    })
    expect(proved.stage).toBe("password-change")
    const sealed = proved.sealedIdentity ?? expect.unreachable()
    await t.client.call(accounts.changePassword, {
      session: res.session,
      body: {
        kdf,
        authVerifier: toBase64url(authVerifier(keys.authKey)),
        sealedIdentity: await resealAccountIdentity(
          sealed,
          hank.recoveryKey,
          keys.recipient,
          sealed.to.escrow ?? null,
        ),
        publicKey: sealed.recipient,
      },
    })
    expect((await t.client.call(accounts.getMe, { session: res.session })).stage).toBe("full")
  })

  it("keeps recovery keys, identities and passwords out of the data dir", async () => {
    expect(await findSecrets(t, usedSecrets)).toEqual([])
  })
})
