import {
  authVerifier,
  createAccountIdentity,
  derivePasswordKeys,
  drawRecoveryKey,
  drawSalt,
  MIN_KDF_PARAMS,
  openAccountIdentity,
  recipientOf,
  sealAccountIdentity,
  toBase64url,
} from "@sotto/crypto-core"
import { accounts } from "@sotto/protocol"
import { ManualClock } from "@sotto/relay"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  changePassword,
  createRecipient,
  createUser,
  escrowReset,
  findSecrets,
  firstLogin,
  login,
  type NodeAdmin,
  reauthKey,
  relayError,
  type StaffActor,
  setupNode,
  usedSecrets,
} from "./_actors.js"
import { startTestRelay, type TestRelay } from "./_harness.js"
import { startMailServer, type TestMailServer } from "./_mailServer.js"

describe("resetting a forgotten password with escrow", () => {
  let t: TestRelay
  let admin: NodeAdmin
  let alice: StaffActor
  beforeAll(async () => {
    t = await startTestRelay()
    t.relay.ctx.loginGuard.sleep = async () => {}
    admin = await setupNode(t)
    const account = await createRecipient(t, admin, "alice")
    alice = await firstLogin(t, "alice", account.oneTimePassword)
  })
  afterAll(async () => {
    await t.destroy()
  })

  const resetBody = async (sealed: Parameters<typeof sealAccountIdentity>[0]) => {
    const keys = await derivePasswordKeys("unused one-time password", drawSalt(), MIN_KDF_PARAMS)
    const sealedIdentity = await sealAccountIdentity(sealed, {
      password: keys.recipient,
      recovery: await recipientOf(drawRecoveryKey()),
      ...(admin.escrow ? { escrow: admin.escrow.recipient } : {}),
    })
    return {
      kdf: { salt: toBase64url(drawSalt()), params: { ...MIN_KDF_PARAMS } },
      authVerifier: toBase64url(authVerifier(keys.authKey)),
      sealedIdentity,
      currentAuthKey: await reauthKey(t, admin),
    }
  }

  it("refuses a reseal that changes the recovery key or the public key, changing nothing", async () => {
    const sameKey = await resetBody({ identity: alice.identity, recipient: alice.recipient })
    const e1 = await relayError(
      t.client.call(accounts.resetUserWithEscrow, {
        session: admin.session,
        params: { userId: alice.userId },
        body: sameKey,
      }),
    )
    expect([e1.status, e1.field]).toEqual([400, "body.sealedIdentity.to.recovery"])
    const otherKey = await resetBody(await createAccountIdentity())
    const e2 = await relayError(
      t.client.call(accounts.resetUserWithEscrow, {
        session: admin.session,
        params: { userId: alice.userId },
        body: otherKey,
      }),
    )
    expect([e2.status, e2.field]).toEqual([400, "body.sealedIdentity.recipient"])
    expect(
      (await t.client.call(accounts.getMe, { session: alice.session })).mustChangePassword,
    ).toBe(false)
  })

  it("refuses with 409 for an account that has no identity yet", async () => {
    const fresh = await createRecipient(t, admin, "notyet")
    const get = t.client.call(accounts.getUserSealedIdentity, {
      session: admin.session,
      params: { userId: fresh.userId },
      body: { currentAuthKey: await reauthKey(t, admin) },
    })
    const e = await relayError(get)
    expect([e.status, e.code]).toEqual([409, "CONFLICT"])
    const reset = t.client.call(accounts.resetUserWithEscrow, {
      session: admin.session,
      params: { userId: fresh.userId },
      body: await resetBody(await createAccountIdentity()),
    })
    expect((await relayError(reset)).code).toBe("CONFLICT")
  })

  it("refuses a wrong admin password with 401, changing nothing, audited as reauth.failure", async () => {
    const before = await t.relay.ctx.store.get<object>("users", `u/${alice.userId}`)
    const wrongKey = await reauthKey(t, { username: admin.username, password: "wrong password" })
    const e = await relayError(escrowReset(t, admin, alice.userId, wrongKey))
    expect([e.status, e.code, e.field]).toEqual([401, "WRONG_CREDENTIALS", "body.currentAuthKey"])
    expect(await t.relay.ctx.store.get<object>("users", `u/${alice.userId}`)).toEqual(before)
    expect((await t.client.call(accounts.getMe, { session: alice.session })).id).toBe(alice.userId)
    const audit = await t.relay.ctx.audit.list()
    expect(audit[0]).toMatchObject({ action: "reauth.failure", actor: admin.userId })
    expect(audit.some((entry) => entry.action === "escrow.reset")).toBe(false)
  })

  it("resets end to end: one-time password, forced change, same identity, recovery key still works", async () => {
    const oneTimePassword = await escrowReset(t, admin, alice.userId)

    const ended = await relayError(t.client.call(accounts.getMe, { session: alice.session }))
    expect(ended.code).toBe("UNAUTHENTICATED")
    expect((await relayError(login(t, "alice", alice.password))).code).toBe("WRONG_CREDENTIALS")

    const reset = await login(t, "alice", oneTimePassword)
    expect(reset.stage).toBe("password-change")
    expect(reset.identity).toBe(alice.identity)
    const blocked = await relayError(t.client.call(accounts.listUsers, { session: reset.session }))
    expect(blocked.code).toBe("PASSWORD_CHANGE_REQUIRED")

    const password = await changePassword(t, reset)
    const after = await login(t, "alice", password)
    expect([after.stage, after.identity]).toEqual(["full", alice.identity])
    expect((await relayError(login(t, "alice", oneTimePassword))).code).toBe("WRONG_CREDENTIALS")

    const me = await t.client.call(accounts.getMe, { session: after.session })
    const opened = await openAccountIdentity(
      me.sealedIdentity ?? expect.unreachable(),
      alice.recoveryKey,
    )
    expect(opened.identity).toBe(alice.identity)
  })

  it("audits the reset with the admin as actor and the user as target", async () => {
    const { entries } = await t.client.call(accounts.listAudit, { session: admin.session })
    const reset = entries.find((e) => e.action === "escrow.reset")
    expect(reset).toMatchObject({ actor: admin.userId, target: alice.userId })
  })

  it("keeps the one-time and new passwords out of the data dir", async () => {
    expect(await findSecrets(t, usedSecrets)).toEqual([])
  })
})

describe("escrow reset on a node without escrow", () => {
  let t: TestRelay
  beforeAll(async () => {
    t = await startTestRelay()
  })
  afterAll(async () => {
    await t.destroy()
  })

  it("is refused with 409 CONFLICT and changes nothing", async () => {
    const admin = await setupNode(t, { escrow: false })
    const account = await createRecipient(t, admin, "bob")
    const bob = await firstLogin(t, "bob", account.oneTimePassword)
    const me = await t.client.call(accounts.getMe, { session: bob.session })
    expect(me.sealedIdentity?.to.escrow).toBeUndefined()
    const e = await relayError(
      t.client.call(accounts.resetUserWithEscrow, {
        session: admin.session,
        params: { userId: bob.userId },
        body: {
          kdf: me.kdf,
          authVerifier: toBase64url(new Uint8Array(32)),
          sealedIdentity: me.sealedIdentity ?? expect.unreachable(),
          currentAuthKey: await reauthKey(t, admin),
        },
      }),
    )
    expect([e.status, e.code]).toEqual([409, "CONFLICT"])
    expect((await login(t, "bob", bob.password)).stage).toBe("full")
  })
})

describe("telling a user that an admin reset their password", () => {
  const clock = new ManualClock(Date.UTC(2026, 2, 2, 9, 30))
  let smtp: TestMailServer
  let t: TestRelay
  let admin: NodeAdmin
  beforeAll(async () => {
    smtp = await startMailServer()
    t = await startTestRelay({ clock, env: { SMTP_URL: smtp.url } })
    t.relay.ctx.loginGuard.sleep = async () => {}
    admin = await setupNode(t)
    await t.relay.timers.runDue()
  })
  afterAll(async () => {
    await t.destroy()
    await smtp.close()
  })

  const userWith = async (username: string, email?: string) => {
    const account = await createUser(t, admin, username, email === undefined ? {} : { email })
    return firstLogin(t, username, account.oneTimePassword)
  }

  it("mails the user the node and the time of the reset, and no password", async () => {
    const carol = await userWith("carol", "carol@example.org")
    clock.advance(60_000)
    const oneTimePassword = await escrowReset(t, admin, carol.userId)
    await t.relay.timers.runDue()
    // Two notices: the escrow's use (the read, test/evil/escrowUse.test.ts) and the reset.
    expect(smtp.received).toHaveLength(2)
    const mail = smtp.received.find((m) => m.subject.includes("was reset"))
    expect(mail?.to).toEqual(["carol@example.org"])
    expect(mail?.subject).toBe("Your password on Test node was reset")
    expect(mail?.text).toContain("on 2026-03-02 09:31 UTC")
    expect(mail?.raw).not.toContain(oneTimePassword)
    for (const secret of usedSecrets) expect(mail?.raw).not.toContain(secret)
    const { entries } = await t.client.call(accounts.listAudit, { session: admin.session })
    expect(entries.find((e) => e.action === "escrow.reset")).toMatchObject({
      actor: admin.userId,
      target: carol.userId,
    })
  })

  it("queues no mail for a user without an email", async () => {
    smtp.received.length = 0
    const dan = await userWith("dan")
    await escrowReset(t, admin, dan.userId)
    const timers = await t.relay.ctx.store.list<{ kind: string }>("timers")
    expect(timers.filter(([, task]) => task.kind === "mail.send")).toEqual([])
    await t.relay.timers.runDue()
    expect(smtp.received).toEqual([])
  })
})
