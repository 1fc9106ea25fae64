import { randomBytes } from "node:crypto"
import { toBase64url } from "@sotto/crypto-core"
import { accounts } from "@sotto/protocol"
import { ManualClock } from "@sotto/relay"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { login, loginWithKey, relayError, setupNode } from "./_actors.js"
import { startTestRelay, type TestRelay } from "./_harness.js"

describe("the login guard against password guessing", () => {
  const clock = new ManualClock()
  let t: TestRelay
  let adminKey: Uint8Array
  let admin: Awaited<ReturnType<typeof setupNode>>
  // The waits the guard asked for, instead of waiting them.
  let delays: number[] = []

  const fail = (username: string) => relayError(loginWithKey(t, username, randomBytes(32)))
  const failTimes = async (username: string, times: number) => {
    for (let i = 0; i < times; i++) expect((await fail(username)).code).toBe("WRONG_CREDENTIALS")
  }

  beforeAll(async () => {
    t = await startTestRelay({ clock })
    t.relay.ctx.loginGuard.sleep = async (ms) => {
      delays.push(ms)
    }
    admin = await setupNode(t)
    adminKey = (await login(t, "admin", admin.password)).keys.authKey
  })
  beforeEach(() => {
    // A fresh global window for each test, and a fresh record of waits.
    clock.advance(61_000)
    delays = []
  })
  afterAll(async () => {
    await t.destroy()
  })

  it("lets five failures pass without waiting, then doubles the wait from 250 ms", async () => {
    await failTimes("admin", 9)
    expect(delays).toEqual([250, 500, 1000, 2000])
  })

  it("locks the account at ten failures: 423 LOCKED with Retry-After, even for the right key", async () => {
    await failTimes("admin", 1)
    expect(delays).toEqual([4000])
    const res = await fetch(t.client.url(accounts.login), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "admin", authKey: toBase64url(adminKey) }),
    })
    expect(res.status).toBe(423)
    expect((await res.json()).error.code).toBe("LOCKED")
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(14 * 60)
    expect(Number(res.headers.get("retry-after"))).toBeLessThanOrEqual(15 * 60)
  })

  it("counts differently typed forms of one name as the same account", async () => {
    const e = await relayError(loginWithKey(t, " ADMIN", adminKey))
    expect([e.status, e.code]).toEqual([423, "LOCKED"])
  })

  it("unlocks after 15 minutes and resets the count on success", async () => {
    clock.advance(15 * 60_000)
    const res = await loginWithKey(t, "admin", adminKey)
    expect(res.stage).toBe("full")
    expect(delays).toEqual([250])
    await loginWithKey(t, "admin", adminKey)
    expect(delays).toEqual([250])
  })

  it("locks unknown names exactly like real ones, so a lockout reveals nothing", async () => {
    await failTimes("ghost", 10)
    expect(delays).toEqual([250, 500, 1000, 2000, 4000])
    const e = await fail("ghost")
    expect([e.status, e.code]).toEqual([423, "LOCKED"])
  })

  it("makes parallel guesses on one account wait their turn", async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => fail("parallel")))
    expect(results.map((e) => e.code)).toEqual(Array(8).fill("WRONG_CREDENTIALS"))
    expect(delays).toEqual([250, 500, 1000])
  })

  it("slows every login once more than ten failures hit the node within a minute", async () => {
    for (let i = 0; i < 10; i++) await fail(`sprayed-${i}`)
    await loginWithKey(t, "admin", adminKey)
    expect(delays).toEqual([])
    await fail("sprayed-10")
    expect(delays).toEqual([])
    await loginWithKey(t, "admin", adminKey)
    await fail("sprayed-11")
    expect(delays).toEqual([1000, 1000])
    clock.advance(60_000)
    await loginWithKey(t, "admin", adminKey)
    expect(delays).toEqual([1000, 1000])
  })

  it("counts wrong current keys on a password change against the account", async () => {
    const { session } = await loginWithKey(t, "admin", adminKey)
    const me = await t.client.call(accounts.getMe, { session })
    const body = {
      currentAuthKey: toBase64url(randomBytes(32)),
      kdf: me.kdf,
      authVerifier: toBase64url(randomBytes(32)),
      sealedIdentity: me.sealedIdentity ?? expect.unreachable(),
      publicKey: me.publicKey ?? "",
    }
    for (let i = 0; i < 5; i++) {
      const e = await relayError(t.client.call(accounts.changePassword, { session, body }))
      expect(e.code).toBe("WRONG_CREDENTIALS")
    }
    expect(delays).toEqual([])
    expect((await fail("admin")).code).toBe("WRONG_CREDENTIALS")
    expect(delays).toEqual([250])
    await loginWithKey(t, "admin", adminKey)
  })
})
