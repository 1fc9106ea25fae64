import { twoFactor } from "@sotto/protocol"
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
import { mailedCode, passwordOnly, stageOf } from "./_twoFactor.js"

describe("e-mail codes as a second factor, through a real SMTP server", () => {
  const clock = new ManualClock()
  const address = "bob@example.org"
  let smtp: TestMailServer
  let t: TestRelay
  let admin: NodeAdmin
  let bob: StaffActor

  const send = (session: string) => t.client.call(twoFactor.sendEmailCode, { session })
  const deliver = async () => {
    await t.relay.timers.runDue()
    return mailedCode(smtp, address)
  }

  beforeAll(async () => {
    smtp = await startMailServer()
    t = await startTestRelay({ clock, env: { SMTP_URL: smtp.url } })
    t.relay.ctx.loginGuard.sleep = async () => {}
    admin = await setupNode(t)
    const account = await createUser(t, admin, "bob", { email: address })
    bob = await firstLogin(t, "bob", account.oneTimePassword)
  })
  beforeEach(() => {
    smtp.received.length = 0
    // Past the one-a-minute limit of the test before.
    clock.advance(61_000)
  })
  afterAll(async () => {
    await t.destroy()
    await smtp.close()
  })

  it("enrols: a mailed code confirms the address once; a second code within a minute is refused", async () => {
    const status = await t.client.call(twoFactor.getSecondFactors, { session: bob.session })
    expect(status).toMatchObject({ email: "off", emailAvailable: true })
    const { expiresAt } = await send(bob.session)
    expect(expiresAt).toBe(clock.now() + 10 * 60_000)
    const code = await deliver()
    expect(smtp.received).toHaveLength(1)
    expect(smtp.received[0]).toMatchObject({ to: [address], subject: "Your Test node login code" })
    const limited = await relayError(send(bob.session))
    expect([limited.status, limited.code]).toEqual([429, "RATE_LIMITED"])
    const wrong = code === "00000000" ? "00000001" : "00000000"
    const e = await relayError(
      t.client.call(twoFactor.confirmEmailFactor, { session: bob.session, body: { code: wrong } }),
    )
    expect([e.status, e.code]).toEqual([401, "WRONG_CODE"])
    const done = await t.client.call(twoFactor.confirmEmailFactor, {
      session: bob.session,
      body: { code },
    })
    expect(done.backupCodes).toHaveLength(10)
    expect(done.stage).toBe("full")
    const again = await relayError(
      t.client.call(twoFactor.confirmEmailFactor, { session: bob.session, body: { code } }),
    )
    expect(again.code).toBe("WRONG_CODE")
    const on = await relayError(send(bob.session))
    expect([on.status, on.code]).toEqual([409, "CONFLICT"])
    const audit = JSON.stringify(await t.relay.ctx.audit.list(100))
    expect(audit).toContain("2fa.email-code")
    expect(audit).not.toContain(address)
    expect(audit).not.toContain(code)
  })

  it("logs in with a mailed code, once", async () => {
    const first = await passwordOnly(t, "bob", bob.password)
    expect(first.sealedIdentity).toBeUndefined()
    await send(first.session)
    const code = await deliver()
    const verify = (session: string) =>
      t.client.call(twoFactor.verifySecondFactor, {
        session,
        body: { method: "email", code },
      })
    const done = await verify(first.session)
    expect(done.stage).toBe("full")
    expect(done.sealedIdentity?.recipient).toBe(bob.recipient)
    const second = await passwordOnly(t, "bob", bob.password)
    const e = await relayError(verify(second.session))
    expect([e.status, e.code]).toEqual([401, "WRONG_CODE"])
    expect(await stageOf(t, second.session)).toBe("second-factor")
  })

  it("refuses an expired code", async () => {
    const first = await passwordOnly(t, "bob", bob.password)
    await send(first.session)
    const code = await deliver()
    clock.advance(10 * 60_000 + 1)
    const e = await relayError(
      t.client.call(twoFactor.verifySecondFactor, {
        session: first.session,
        body: { method: "email", code },
      }),
    )
    expect([e.status, e.code]).toEqual([401, "WRONG_CODE"])
  })

  it("mails at most five codes an hour, saying when to ask again", async () => {
    // Earlier tests sent codes too: start a fresh hour.
    clock.advance(60 * 60_000)
    const first = await passwordOnly(t, "bob", bob.password)
    for (let i = 0; i < 5; i++) {
      await send(first.session)
      clock.advance(61_000)
    }
    const res = await t.client
      .raw(twoFactor.sendEmailCode, { session: first.session })
      .catch((e: unknown) => e)
    expect(res).toMatchObject({ status: 429, code: "RATE_LIMITED" })
    await t.relay.timers.runDue()
    expect(smtp.received).toHaveLength(5)
    const wait = await fetch(t.client.url(twoFactor.sendEmailCode), {
      method: "POST",
      headers: { "X-Session": first.session },
    })
    expect(wait.status).toBe(429)
    const retryAfter = Number(wait.headers.get("retry-after"))
    expect(retryAfter).toBeGreaterThan(0)
    expect(retryAfter).toBeLessThanOrEqual(60 * 60 - 5 * 61 + 1)
    clock.advance(retryAfter * 1000)
    expect((await send(first.session)).expiresAt).toBeGreaterThan(clock.now())
  })

  it("refuses a code for an account without a mail address", async () => {
    const { session } = await login(t, "admin", admin.password)
    const e = await relayError(send(session))
    expect([e.status, e.code]).toEqual([409, "CONFLICT"])
    const status = await t.client.call(twoFactor.getSecondFactors, { session })
    expect(status).toMatchObject({ email: "off", emailAvailable: false })
  })
})
