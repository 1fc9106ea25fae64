import { accounts, tips, twoFactor } from "@sotto/protocol"
import { ManualClock } from "@sotto/relay"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import {
  createUser,
  firstLogin,
  login,
  type NodeAdmin,
  relayError,
  type StaffActor,
  setupNode,
} from "./_actors.js"
import { startTestRelay, type TestRelay } from "./_harness.js"
import { startMailServer, type TestMailServer } from "./_mailServer.js"
import { currentAuthKey, enrolTotp, oathtool, passwordOnly, stageOf } from "./_twoFactor.js"

describe("2FA policy per role and the admin's reset", () => {
  const clock = new ManualClock()
  const address = "carol@example.org"
  let smtp: TestMailServer
  let t: TestRelay
  let admin: NodeAdmin
  let carol: StaffActor
  let secret: string

  beforeAll(async () => {
    smtp = await startMailServer()
    t = await startTestRelay({ clock, env: { SMTP_URL: smtp.url } })
    t.relay.ctx.loginGuard.sleep = async () => {}
    admin = await setupNode(t)
    await t.client.call(accounts.updateSettings, {
      session: admin.session,
      body: { twoFactorRequired: { recipient: true } },
    })
  })
  beforeEach(() => {
    clock.advance(31_000)
  })
  afterAll(async () => {
    await t.destroy()
    await smtp.close()
  })

  it("sends a recipient without a second factor to enrolment after the first password change", async () => {
    const account = await createUser(t, admin, "carol", { email: address })
    carol = await firstLogin(t, "carol", account.oneTimePassword)
    expect(await stageOf(t, carol.session)).toBe("second-factor-enrol")
    const e = await relayError(t.client.call(tips.listTips, { session: carol.session }))
    expect([e.status, e.code]).toEqual([403, "SECOND_FACTOR_ENROLMENT_REQUIRED"])
    const status = await t.client.call(twoFactor.getSecondFactors, { session: carol.session })
    expect(status).toMatchObject({ required: true, totp: "off", email: "off" })
  })

  it("keeps a fresh login in enrolment too, with the identity (there is no factor to prove)", async () => {
    const again = await login(t, "carol", carol.password)
    expect(again.stage).toBe("second-factor-enrol")
    expect(again.identity).toBe(carol.identity)
    const e = await relayError(t.client.call(tips.listTips, { session: again.session }))
    expect(e.code).toBe("SECOND_FACTOR_ENROLMENT_REQUIRED")
  })

  it("opens the inbox once a factor is confirmed", async () => {
    const enrolled = await enrolTotp(t, carol.session)
    secret = enrolled.secret
    expect(enrolled.stage).toBe("full")
    expect(await stageOf(t, carol.session)).toBe("full")
    expect(await t.client.call(tips.listTips, { session: carol.session })).toMatchObject({
      tips: [],
    })
  })

  it("refuses to remove the last factor while the role requires one", async () => {
    const e = await relayError(
      t.client.call(twoFactor.removeSecondFactor, {
        session: carol.session,
        body: { kind: "totp", currentAuthKey: currentAuthKey(await passwordLogin()) },
      }),
    )
    expect([e.status, e.code, e.field]).toEqual([409, "CONFLICT", "body.kind"])
  })

  it("lets an admin reset a user's factors, after re-authenticating: audited and mailed", async () => {
    const adminLogin = await login(t, "admin", admin.password)
    const reset = (key: string) =>
      t.client.call(twoFactor.resetSecondFactors, {
        session: adminLogin.session,
        params: { userId: carol.userId },
        body: { currentAuthKey: key },
      })
    const wrong = await relayError(reset("A".repeat(43)))
    expect([wrong.status, wrong.code]).toEqual([401, "WRONG_CREDENTIALS"])
    const notAdmin = await relayError(
      t.client.call(twoFactor.resetSecondFactors, {
        session: carol.session,
        params: { userId: carol.userId },
        body: { currentAuthKey: "A".repeat(43) },
      }),
    )
    expect([notAdmin.status, notAdmin.code]).toEqual([403, "FORBIDDEN"])

    smtp.received.length = 0
    expect(await reset(currentAuthKey(adminLogin))).toEqual({ ok: true })
    const ended = await relayError(t.client.call(accounts.getMe, { session: carol.session }))
    expect(ended.code).toBe("UNAUTHENTICATED")
    const entry = (await t.relay.ctx.audit.list(20)).find((a) => a.action === "2fa.reset")
    expect(entry).toMatchObject({
      actor: admin.userId,
      target: carol.userId,
      // Her first-login session, the later login and the one stopped at second-factor.
      details: { factors: "totp", endedSessions: 3, mailed: true },
    })
    await t.relay.timers.runDue()
    expect(smtp.received).toHaveLength(1)
    expect(smtp.received[0]).toMatchObject({
      to: [address],
      subject: "Your second factors on Test node were removed",
    })
    expect(smtp.received[0]?.text).not.toContain(secret)
    const again = await relayError(reset(currentAuthKey(adminLogin)))
    expect([again.status, again.code]).toEqual([409, "CONFLICT"])
  })

  it("sends the reset user back to enrolment, and the old TOTP secret no longer works", async () => {
    const next = await login(t, "carol", carol.password)
    expect(next.stage).toBe("second-factor-enrol")
    const e = await relayError(
      t.client.call(twoFactor.verifySecondFactor, {
        session: next.session,
        body: { method: "totp", code: oathtool(secret, clock.now()) },
      }),
    )
    expect([e.status, e.code]).toEqual([409, "CONFLICT"])
    await enrolTotp(t, next.session)
    expect(await stageOf(t, next.session)).toBe("full")
  })

  it("moves a second-factor login with a forced password change on to password-change", async () => {
    const enrolled = await enrolTotp(t, (await login(t, "admin", admin.password)).session)
    const first = await passwordOnly(t, "admin", admin.password)
    clock.advance(30_000)
    await t.relay.ctx.store.put("users", `u/${admin.userId}`, {
      ...(await t.relay.ctx.store.get<object>("users", `u/${admin.userId}`)),
      mustChangePassword: true,
    })
    const done = await t.client.call(twoFactor.verifySecondFactor, {
      session: first.session,
      body: { method: "totp", code: oathtool(enrolled.secret, clock.now()) },
    })
    expect(done.stage).toBe("password-change")
    expect(done.sealedIdentity).toBeDefined()
  })

  // A password login of Carol as she stands (second-factor stage once enrolled).
  async function passwordLogin() {
    return passwordOnly(t, "carol", carol.password)
  }
})
