import { openAccountIdentity } from "@sotto/crypto-core"
import { accounts, tips, twoFactor } from "@sotto/protocol"
import { ManualClock } from "@sotto/relay"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import {
  findSecrets,
  type LoginResult,
  login,
  type NodeAdmin,
  relayError,
  setupNode,
} from "./_actors.js"
import { startTestRelay, type TestRelay } from "./_harness.js"
import { currentAuthKey, enrolTotp, oathtool, passwordOnly, stageOf } from "./_twoFactor.js"

describe("TOTP as a second factor, with codes from the oathtool CLI", () => {
  const clock = new ManualClock()
  let t: TestRelay
  let admin: NodeAdmin
  let secret: string
  let backupCodes: string[]
  let delays: number[] = []

  const verify = (session: string, method: "totp" | "backup", code: string) =>
    t.client.call(twoFactor.verifySecondFactor, { session, body: { method, code } })

  beforeAll(async () => {
    t = await startTestRelay({ clock })
    t.relay.ctx.loginGuard.sleep = async (ms) => {
      delays.push(ms)
    }
    admin = await setupNode(t)
  })
  beforeEach(() => {
    // A fresh minute (the guard's global window) and a new TOTP step for every test.
    clock.advance(61_000)
    delays = []
  })
  afterAll(async () => {
    await t.destroy()
  })

  it("enrols: a base32 secret and its otpauth URI, pending until a code confirms it", async () => {
    const enrolled = await t.client.call(twoFactor.enrolTotp, { session: admin.session })
    expect(enrolled.secret).toMatch(/^[A-Z2-7]{32}$/)
    const uri = new URL(enrolled.uri)
    expect(uri.protocol).toBe("otpauth:")
    expect(uri.searchParams.get("secret")).toBe(enrolled.secret)
    expect(Object.fromEntries(uri.searchParams)).toMatchObject({
      issuer: "Test node",
      algorithm: "SHA1",
      digits: "6",
      period: "30",
    })
    const status = await t.client.call(twoFactor.getSecondFactors, { session: admin.session })
    expect(status).toMatchObject({ totp: "pending", backupCodesLeft: 0, required: false })
    // Pending: a login still ends at full, with the sealed identity.
    expect((await login(t, "admin", admin.password)).stage).toBe("full")
  })

  it("refuses a wrong confirmation code, then turns on with the CLI's code", async () => {
    const { secret: fresh } = await t.client.call(twoFactor.enrolTotp, { session: admin.session })
    const wrong = String((Number(oathtool(fresh, clock.now())) + 1) % 1_000_000).padStart(6, "0")
    const e = await relayError(
      t.client.call(twoFactor.confirmTotp, { session: admin.session, body: { code: wrong } }),
    )
    expect([e.status, e.code, e.field]).toEqual([401, "WRONG_CODE", "body.code"])
    clock.advance(30_000)
    ;({ secret, backupCodes } = await enrolTotp(t, admin.session))
    expect(backupCodes).toHaveLength(10)
    expect(new Set(backupCodes).size).toBe(10)
    for (const code of backupCodes) expect(code).toMatch(/^[0-9a-z]{5}-[0-9a-z]{5}$/)
    const status = await t.client.call(twoFactor.getSecondFactors, { session: admin.session })
    expect(status).toMatchObject({ totp: "on", email: "off", backupCodesLeft: 10 })
    const again = await relayError(t.client.call(twoFactor.enrolTotp, { session: admin.session }))
    expect([again.status, again.code]).toEqual([409, "CONFLICT"])
  })

  it("stops a password-only login at second-factor without any key material", async () => {
    const first = await passwordOnly(t, "admin", admin.password)
    expect(first.sealedIdentity).toBeUndefined()
    expect(first.identity).toBeUndefined()
    expect(first.escrow).toBeUndefined()
    expect(first.signing).toBeUndefined()
    const raw = await t.client.call(accounts.login, {
      body: { username: "admin", authKey: currentAuthKey(first) },
    })
    expect(Object.keys(raw).sort()).toEqual(["kdf", "methods", "session", "stage", "user"])
    expect(raw.methods).toEqual(["totp", "backup"])
    const me = await t.client.call(accounts.getMe, { session: first.session })
    expect([me.stage, me.sealedIdentity, me.escrowWrap, me.signingKeyWrap]).toEqual([
      "second-factor",
      undefined,
      undefined,
      undefined,
    ])
    const e = await relayError(t.client.call(tips.listTips, { session: first.session }))
    expect([e.status, e.code]).toEqual([401, "SECOND_FACTOR_REQUIRED"])
  })

  it("logs in with the CLI's code, hands out the identity, and refuses the same code again", async () => {
    const first = await passwordOnly(t, "admin", admin.password)
    const code = oathtool(secret, clock.now())
    const done = await verify(first.session, "totp", code)
    expect(done).toMatchObject({ stage: "full", backupCodesLeft: 10 })
    const sealed = done.sealedIdentity ?? expect.unreachable()
    expect((await openAccountIdentity(sealed, first.keys.identity)).identity).toBe(admin.identity)
    expect(done.escrowWrap).toBeDefined()
    expect(done.signingKeyWrap).toBeDefined()
    expect(await stageOf(t, first.session)).toBe("full")
    await t.client.call(tips.listTips, { session: first.session })

    const second = await passwordOnly(t, "admin", admin.password)
    const e = await relayError(verify(second.session, "totp", code))
    expect([e.status, e.code, e.field]).toEqual([401, "CODE_REUSED", "body.code"])
    expect(await stageOf(t, second.session)).toBe("second-factor")
  })

  it("accepts the code of one step either side, not two", async () => {
    const first = await passwordOnly(t, "admin", admin.password)
    const e = await relayError(
      verify(first.session, "totp", oathtool(secret, clock.now() - 60_000)),
    )
    expect(e.code).toBe("WRONG_CODE")
    const early = await verify(first.session, "totp", oathtool(secret, clock.now() - 30_000))
    expect(early.stage).toBe("full")
    clock.advance(61_000)
    const next = await passwordOnly(t, "admin", admin.password)
    const late = await verify(next.session, "totp", oathtool(secret, clock.now() + 30_000))
    expect(late.stage).toBe("full")
  })

  it("slows wrong codes down like failed logins and locks at ten, even for the right code", async () => {
    const first = await passwordOnly(t, "admin", admin.password)
    const right = oathtool(secret, clock.now())
    const wrong = String((Number(right) + 500_000) % 1_000_000).padStart(6, "0")
    for (let i = 0; i < 10; i++) {
      expect((await relayError(verify(first.session, "totp", wrong))).code).toBe("WRONG_CODE")
    }
    expect(delays).toEqual([250, 500, 1000, 2000, 4000])
    const locked = await relayError(verify(first.session, "totp", right))
    expect([locked.status, locked.code]).toEqual([423, "LOCKED"])
    // A right password does not reset the second-factor count.
    const again = await passwordOnly(t, "admin", admin.password)
    expect((await relayError(verify(again.session, "totp", right))).code).toBe("LOCKED")
    const audit = await t.relay.ctx.audit.list(50)
    expect(audit.filter((a) => a.action === "2fa.failure").length).toBeGreaterThanOrEqual(10)
    clock.advance(15 * 60_000)
    const unlocked = await verify(again.session, "totp", oathtool(secret, clock.now()))
    expect(unlocked.stage).toBe("full")
  })

  it("takes each backup code once, however it is typed", async () => {
    const [code] = backupCodes
    if (!code) throw new Error("no backup code")
    const first = await passwordOnly(t, "admin", admin.password)
    const typed = ` ${code.toUpperCase().replace("-", " ")} `
    expect(await verify(first.session, "backup", typed.trim())).toMatchObject({
      stage: "full",
      backupCodesLeft: 9,
    })
    const second = await passwordOnly(t, "admin", admin.password)
    const e = await relayError(verify(second.session, "backup", code))
    expect([e.status, e.code]).toEqual([401, "WRONG_CODE"])
    const bad = await relayError(verify(second.session, "totp", "12345"))
    expect([bad.status, bad.code, bad.field]).toEqual([400, "VALIDATION", "body.code"])
  })

  it("keeps backup codes out of the data dir (only their hashes are stored)", async () => {
    expect(await findSecrets(t, backupCodes)).toEqual([])
  })

  it("refuses verify outside the second-factor stage", async () => {
    const first = await passwordOnly(t, "admin", admin.password)
    await verify(first.session, "totp", oathtool(secret, clock.now()))
    clock.advance(30_000)
    const e = await relayError(verify(first.session, "totp", oathtool(secret, clock.now())))
    expect([e.status, e.code]).toEqual([409, "CONFLICT"])
  })

  it("removes TOTP only with the current auth key; logins are password-only again", async () => {
    let full: LoginResult = await passwordOnly(t, "admin", admin.password)
    await verify(full.session, "totp", oathtool(secret, clock.now()))
    const remove = (key: string) =>
      t.client.call(twoFactor.removeSecondFactor, {
        session: full.session,
        body: { kind: "totp", currentAuthKey: key },
      })
    const e = await relayError(remove("A".repeat(43)))
    expect([e.status, e.code, e.field]).toEqual([401, "WRONG_CREDENTIALS", "body.currentAuthKey"])
    expect(await remove(currentAuthKey(full))).toEqual({ ok: true })
    const status = await t.client.call(twoFactor.getSecondFactors, { session: full.session })
    expect(status).toMatchObject({ totp: "off", backupCodesLeft: 0 })
    full = await login(t, "admin", admin.password)
    expect(full.stage).toBe("full")
    expect(full.identity).toBe(admin.identity)
    const actions = (await t.relay.ctx.audit.list(500)).map((a) => a.action)
    for (const action of ["2fa.enrol", "2fa.enable", "2fa.verify", "2fa.failure", "2fa.remove"]) {
      expect(actions).toContain(action)
    }
    expect(JSON.stringify(await t.relay.ctx.audit.list(500))).not.toContain(secret)
  })
})
