import { accounts, tips, twoFactor } from "@sotto/protocol"
import { ManualClock, readConfig } from "@sotto/relay"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import {
  createRecipient,
  firstLogin,
  login,
  relayError,
  type StaffActor,
  setupNode,
} from "./_actors.js"
import { startTestRelay, type TestRelay } from "./_harness.js"
import { currentAuthKey, passwordOnly, stageOf } from "./_twoFactor.js"
import { SoftAuthenticator } from "./_webauthn.js"

// WebAuthn as a second factor against the real relay, with a software authenticator written from
// the spec (test/relay/_webauthn.ts). The browser side is test/e2e/webauthn.test.ts.

describe("WebAuthn security keys as a second factor", () => {
  const clock = new ManualClock()
  let t: TestRelay
  let alice: StaffActor
  let origin: string
  let backupCodes: string[] = []
  let delays: number[] = []
  const desk = new SoftAuthenticator()
  const spare = new SoftAuthenticator()

  const registerOptions = (session: string) =>
    t.client.call(twoFactor.webauthnRegistrationOptions, { session })
  const register = (session: string, name: string, response: unknown) =>
    t.client.call(twoFactor.webauthnRegister, {
      session,
      body: { name, response: response as never },
    })
  const loginOptions = (session: string) =>
    t.client.call(twoFactor.webauthnLoginOptions, { session })
  const verify = (session: string, response: unknown) =>
    t.client.call(twoFactor.webauthnVerify, { session, body: { response: response as never } })
  const audit = () => t.relay.ctx.audit.list(500)

  beforeAll(async () => {
    t = await startTestRelay({ clock })
    t.relay.ctx.loginGuard.sleep = async (ms) => {
      delays.push(ms)
    }
    origin = `https://${new URL(t.baseUrl).host}`
    const admin = await setupNode(t)
    const account = await createRecipient(t, admin, "alice")
    alice = await firstLogin(t, "alice", account.oneTimePassword)
  })
  beforeEach(() => {
    clock.advance(61_000)
    delays = []
  })
  afterAll(async () => {
    await t.destroy()
  })

  it("offers creation options for the request's host, with a challenge", async () => {
    const { options } = (await registerOptions(alice.session)) as unknown as {
      options: { challenge: string; rp: { id: string; name: string }; user: { name: string } }
    }
    expect(options.rp).toEqual({ id: "127.0.0.1", name: "Test node" })
    expect(options.user.name).toBe("alice")
    expect(options.challenge).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it("refuses an answer to another challenge, then the spent challenge itself", async () => {
    const { options } = await registerOptions(alice.session)
    const rp = { challenge: options.challenge, rp: { id: "127.0.0.1" } }
    const forged = desk.create({ ...rp, challenge: "A".repeat(43) }, origin)
    const e = await relayError(register(alice.session, "Desk key", forged))
    expect([e.status, e.code, e.field]).toEqual([401, "WRONG_CODE", "body.response"])
    // The failed attempt used the challenge up: the right answer to it is now refused too.
    const late = await relayError(register(alice.session, "Desk key", desk.create(rp, origin)))
    expect(late.code).toBe("WRONG_CODE")
    expect((await twoFactorStatus()).webauthn).toEqual([])
  })

  it("refuses an answer from another origin or RP, and after 5 minutes", async () => {
    let { options } = await registerOptions(alice.session)
    const other = desk.create({ ...options, rp: { id: "127.0.0.1" } }, "https://evil.example")
    expect((await relayError(register(alice.session, "x", other))).code).toBe("WRONG_CODE")
    ;({ options } = await registerOptions(alice.session))
    const wrongRp = desk.create({ ...options, rp: { id: "evil.example" } }, origin)
    expect((await relayError(register(alice.session, "x", wrongRp))).code).toBe("WRONG_CODE")
    ;({ options } = await registerOptions(alice.session))
    clock.advance(5 * 60_000 + 1)
    const stale = desk.create({ ...options, rp: { id: "127.0.0.1" } }, origin)
    expect((await relayError(register(alice.session, "x", stale))).code).toBe("WRONG_CODE")
    const failures = (await audit()).filter((a) => a.action === "2fa.failure")
    expect(failures[0]?.details).toEqual({ method: "enrol-webauthn", reason: "wrong" })
  })

  it("registers a named key: the factor is on, with backup codes, and listed", async () => {
    const { options } = await registerOptions(alice.session)
    const answer = desk.create({ ...options, rp: { id: "127.0.0.1" } }, origin)
    const done = await register(alice.session, "  Desk key ", answer)
    expect(done.stage).toBe("full")
    expect(done.authenticator).toMatchObject({ id: desk.credentialId, name: "Desk key" })
    expect(done.backupCodes).toHaveLength(10)
    backupCodes = done.backupCodes ?? []
    // Replayed: the challenge is gone.
    const again = await relayError(register(alice.session, "Desk key", answer))
    expect([again.status, again.code]).toEqual([401, "WRONG_CODE"])
    const status = await twoFactorStatus()
    expect(status.webauthn.map((a) => a.name)).toEqual(["Desk key"])
    expect(status.backupCodesLeft).toBe(10)
    expect(status.totp).toBe("off")
    const enrol = (await audit()).find((a) => a.action === "2fa.enrol")
    expect(enrol?.details).toMatchObject({ method: "webauthn" })
  })

  it("a second key needs its own challenge, returns no new codes, and can be renamed", async () => {
    const { options } = (await registerOptions(alice.session)) as unknown as {
      options: { challenge: string; excludeCredentials: { id: string }[] }
    }
    expect(options.excludeCredentials.map((c) => c.id)).toEqual([desk.credentialId])
    const done = await register(
      alice.session,
      "Spare",
      spare.create({ ...options, rp: { id: "127.0.0.1" } }, origin),
    )
    expect(done.backupCodes).toBeUndefined()
    await t.client.call(twoFactor.renameWebAuthn, {
      session: alice.session,
      params: { credentialId: spare.credentialId },
      body: { name: "Drawer key" },
    })
    expect((await twoFactorStatus()).webauthn.map((a) => a.name)).toEqual([
      "Desk key",
      "Drawer key",
    ])
    const missing = await relayError(
      t.client.call(twoFactor.renameWebAuthn, {
        session: alice.session,
        params: { credentialId: "nope" },
        body: { name: "x" },
      }),
    )
    expect([missing.status, missing.code]).toEqual([404, "NOT_FOUND"])
  })

  it("logs in with a key: password alone stops at second-factor, the assertion opens it", async () => {
    const first = await passwordOnly(t, "alice", alice.password)
    expect(first.sealedIdentity).toBeUndefined()
    // What the login itself names as ways through the second step:
    const raw = await t.client.call(accounts.login, {
      body: { username: "alice", authKey: currentAuthKey(first) },
    })
    expect(raw.methods).toEqual(["webauthn", "backup"])
    const { options } = (await loginOptions(first.session)) as unknown as {
      options: { challenge: string; rpId: string; allowCredentials: { id: string }[] }
    }
    expect(options.rpId).toBe("127.0.0.1")
    expect(options.allowCredentials.map((c) => c.id)).toEqual([
      desk.credentialId,
      spare.credentialId,
    ])
    const assertion = desk.get(options, origin)
    const done = await verify(first.session, assertion)
    expect(done.stage).toBe("full")
    expect(done.sealedIdentity).toBeDefined()
    expect(done.backupCodesLeft).toBe(10)
    expect(await stageOf(t, first.session)).toBe("full")
    const verified = (await audit()).find((a) => a.action === "2fa.verify")
    expect(verified?.details).toMatchObject({ method: "webauthn", stage: "full" })
    expect((await twoFactorStatus()).webauthn[0]?.lastUsedAt).toBe(clock.now())
  })

  it("refuses a replayed assertion, a counter that did not grow, and the wrong stage", async () => {
    const earlier = await passwordOnly(t, "alice", alice.password)
    const seen = desk.get((await loginOptions(earlier.session)).options, origin)
    expect((await verify(earlier.session, seen)).stage).toBe("full")
    const first = await passwordOnly(t, "alice", alice.password)
    await loginOptions(first.session)
    const replayed = await relayError(verify(first.session, seen))
    expect([replayed.status, replayed.code, replayed.field]).toEqual([
      401,
      "WRONG_CODE",
      "body.response",
    ])
    // A cloned key: a valid signature, but its counter is behind the one the relay saw.
    let { options } = await loginOptions(first.session)
    desk.counter -= 5
    expect((await relayError(verify(first.session, desk.get(options, origin)))).code).toBe(
      "WRONG_CODE",
    )
    desk.counter += 10
    ;({ options } = await loginOptions(first.session))
    const done = await verify(first.session, desk.get(options, origin))
    expect(done.stage).toBe("full")
    const notWaiting = await relayError(loginOptions(first.session))
    expect([notWaiting.status, notWaiting.code]).toEqual([409, "CONFLICT"])
    const failures = (await audit()).filter(
      (a) => a.action === "2fa.failure" && a.details?.method === "webauthn",
    )
    expect(failures.length).toBe(2)
  })

  it("counts failed assertions in the login guard like wrong codes", async () => {
    const first = await passwordOnly(t, "alice", alice.password)
    for (let i = 0; i < 6; i++) {
      const { options } = await loginOptions(first.session)
      const forged = desk.get({ ...options, challenge: "B".repeat(43) }, origin)
      expect((await relayError(verify(first.session, forged))).code).toBe("WRONG_CODE")
    }
    expect(delays).toEqual([250])
    clock.advance(16 * 60_000) // past any lock; the count is per account
  })

  it("removes keys with re-authentication; the last one takes the backup codes", async () => {
    const wrong = await relayError(
      t.client.call(twoFactor.removeWebAuthn, {
        session: alice.session,
        params: { credentialId: desk.credentialId },
        body: { currentAuthKey: "A".repeat(43) },
      }),
    )
    expect([wrong.status, wrong.code]).toEqual([401, "WRONG_CREDENTIALS"])
    const current = currentAuthKey(await passwordOnly(t, "alice", alice.password))
    for (const key of [desk, spare]) {
      await t.client.call(twoFactor.removeWebAuthn, {
        session: alice.session,
        params: { credentialId: key.credentialId },
        body: { currentAuthKey: current },
      })
    }
    const status = await twoFactorStatus()
    expect(status.webauthn).toEqual([])
    expect(status.backupCodesLeft).toBe(0)
    expect((await login(t, "alice", alice.password)).stage).toBe("full")
    const removed = (await audit()).filter((a) => a.action === "2fa.remove")
    expect(removed[0]?.details).toMatchObject({ method: "webauthn", authenticatorsLeft: 0 })
    expect(backupCodes).toHaveLength(10)
  })

  async function twoFactorStatus() {
    return t.client.call(twoFactor.getSecondFactors, { session: alice.session })
  }
})

describe("WebAuthn under a policy that requires a second factor", () => {
  it("a first key ends forced enrolment; the last key cannot be removed", async () => {
    const t = await startTestRelay()
    try {
      const admin = await setupNode(t)
      await t.client.call(accounts.updateSettings, {
        session: admin.session,
        body: { twoFactorRequired: { recipient: true } },
      })
      const account = await createRecipient(t, admin, "bob")
      const bob = await firstLogin(t, "bob", account.oneTimePassword)
      expect(await stageOf(t, bob.session)).toBe("second-factor-enrol")
      const key = new SoftAuthenticator()
      const origin = `https://${new URL(t.baseUrl).host}`
      const { options } = await t.client.call(twoFactor.webauthnRegistrationOptions, {
        session: bob.session,
      })
      const done = await t.client.call(twoFactor.webauthnRegister, {
        session: bob.session,
        body: {
          name: "Only key",
          response: key.create({ ...options, rp: { id: "127.0.0.1" } }, origin) as never,
        },
      })
      expect(done.stage).toBe("full")
      expect(done.backupCodes).toHaveLength(10)
      expect(await t.client.call(tips.listTips, { session: bob.session })).toMatchObject({
        tips: [],
      })
      const next = await passwordOnly(t, "bob", bob.password)
      const refused = await relayError(
        t.client.call(twoFactor.removeWebAuthn, {
          session: bob.session,
          params: { credentialId: key.credentialId },
          body: { currentAuthKey: currentAuthKey(next) },
        }),
      )
      expect([refused.status, refused.code]).toEqual([409, "CONFLICT"])
    } finally {
      await t.destroy()
    }
  })
})

describe("the WebAuthn relying party", () => {
  it("comes from ORIGIN when set, and ORIGIN must be a bare origin", async () => {
    expect(() => readConfig({ ORIGIN: "https://x.example/path" })).toThrow(/ORIGIN/)
    const t = await startTestRelay({ env: { ORIGIN: "https://sotto.example.org" } })
    try {
      const admin = await setupNode(t)
      const { options } = (await t.client.call(twoFactor.webauthnRegistrationOptions, {
        session: admin.session,
      })) as unknown as { options: { rp: { id: string } } }
      expect(options.rp.id).toBe("sotto.example.org")
    } finally {
      await t.destroy()
    }
  })
})
