import { randomBytes } from "node:crypto"
import { openRecoveryChallenge, toBase64url } from "@sotto/crypto-core"
import { accounts, twoFactor } from "@sotto/protocol"
import { ManualClock } from "@sotto/relay"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  createUser,
  firstLogin,
  loginWithKey,
  type NodeAdmin,
  newPassword,
  passwordKeys,
  relayError,
  type StaffActor,
  setupNode,
} from "../relay/_actors.js"
import { startTestRelay, type TestRelay } from "../relay/_harness.js"
import { enrolTotp, oathtool, passwordOnly } from "../relay/_twoFactor.js"

// Attack: flood the login guard with failures on invented names so it forgets a real account's lock
// (issue 11 "guards that forget"), and lock `admin` for good with ten wrong passwords.

/** Runs `total` calls of `one`, `width` at a time. */
async function flood(total: number, width: number, one: (i: number) => Promise<unknown>) {
  let next = 0
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < total) await one(next++)
    }),
  )
}

describe("a locked account under a flood of failed logins on other names", () => {
  const clock = new ManualClock()
  let t: TestRelay
  let admin: NodeAdmin
  let alice: StaffActor & { totp: string; backup: string[] }
  let adminKey: Uint8Array
  let aliceKey: Uint8Array

  const wrongLogins = async (username: string, times: number) => {
    for (let i = 0; i < times; i++) await relayError(loginWithKey(t, username, randomBytes(32)))
  }
  const authKeyOf = async (username: string, password: string) => {
    const p = await t.client.call(accounts.getAuthParams, { query: { username } })
    const salt = Buffer.from(p.salt, "base64url")
    return (await passwordKeys(password, new Uint8Array(salt), p.params)).keys.authKey
  }

  beforeAll(async () => {
    t = await startTestRelay({ clock })
    t.relay.ctx.loginGuard.sleep = async () => {}
    admin = await setupNode(t)
    adminKey = await authKeyOf("admin", admin.password)
    const account = await createUser(t, admin, "alice", { role: "recipient" })
    const a = await firstLogin(t, "alice", account.oneTimePassword, newPassword())
    const { secret, backupCodes } = await enrolTotp(t, a.session)
    alice = { ...a, totp: secret, backup: backupCodes }
    aliceKey = await authKeyOf("alice", a.password)
  })
  afterAll(async () => {
    await t?.destroy()
  })

  it("keeps admin's password lock and alice's TOTP lock through 10,001 failures on invented names", async () => {
    await wrongLogins("admin", 10)
    expect((await relayError(loginWithKey(t, "admin", adminKey))).code).toBe("LOCKED")
    // Ten wrong TOTP codes lock alice's second factor.
    const partial = await passwordOnly(t, "alice", alice.password)
    for (let i = 0; i < 10; i++) {
      await relayError(
        t.client.call(twoFactor.verifySecondFactor, {
          session: partial.session,
          body: { method: "totp", code: "000000" },
        }),
      )
    }
    const code = oathtool(alice.totp, clock.now())
    const proof = { session: partial.session, body: { method: "totp" as const, code } }
    expect((await relayError(t.client.call(twoFactor.verifySecondFactor, proof))).code).toBe(
      "LOCKED",
    )

    await flood(10_001, 16, (i) => relayError(loginWithKey(t, `ghost${i}`, randomBytes(32))))

    expect((await relayError(loginWithKey(t, "admin", adminKey))).code).toBe("LOCKED")
    expect((await relayError(t.client.call(twoFactor.verifySecondFactor, proof))).code).toBe(
      "LOCKED",
    )
  })

  it("keeps the lock across a restart (state in LevelDB, not in memory)", async () => {
    t = await t.restart()
    t.relay.ctx.loginGuard.sleep = async () => {}
    expect((await relayError(loginWithKey(t, "admin", adminKey))).code).toBe("LOCKED")
  })

  it("lets the owner in during a password lock with the password and a backup code", async () => {
    await wrongLogins("alice", 10)
    expect((await relayError(loginWithKey(t, "alice", aliceKey))).code).toBe("LOCKED")
    // alice's TOTP count is locked too (previous test): a backup code is another proof of the
    // second factor, counted under the same lock, so it waits. Let that lock end first.
    clock.advance(16 * 60_000)
    await wrongLogins("alice", 10)
    expect((await relayError(loginWithKey(t, "alice", aliceKey))).code).toBe("LOCKED")
    const res = await t.client.call(accounts.login, {
      body: {
        username: "alice",
        authKey: toBase64url(aliceKey),
        secondFactor: { method: "totp", code: oathtool(alice.totp, clock.now()) },
      },
    })
    expect(res.stage).toBe("full")
    expect(res.sealedIdentity).toBeDefined()
  })

  it("refuses the lock bypass to a wrong code or a wrong password, and counts the wrong codes", async () => {
    await wrongLogins("alice", 10)
    const bypass = (authKey: Uint8Array, code: string) =>
      relayError(
        t.client.call(accounts.login, {
          body: {
            username: "alice",
            authKey: toBase64url(authKey),
            secondFactor: { method: "totp", code },
          },
        }),
      )
    expect((await bypass(aliceKey, "000000")).code).toBe("WRONG_CODE")
    clock.advance(30_000)
    expect((await bypass(randomBytes(32), oathtool(alice.totp, clock.now()))).code).toBe(
      "WRONG_CREDENTIALS",
    )
  })

  it("lets admin's owner in with the recovery key while the password stays locked", async () => {
    await wrongLogins("admin", 10)
    expect((await relayError(loginWithKey(t, "admin", adminKey))).code).toBe("LOCKED")
    const c = await t.client.call(accounts.recoveryChallenge, { body: { username: "admin" } })
    // A flood of challenges for the same name must not cancel the owner's challenge.
    await flood(200, 8, () =>
      t.client.call(accounts.recoveryChallenge, { body: { username: "admin" } }),
    )
    const nonce = await openRecoveryChallenge(c.sealed, admin.recoveryKey)
    const res = await t.client.call(accounts.recoveryVerify, {
      body: { challengeId: c.challengeId, nonce: toBase64url(nonce) },
    })
    expect(res.stage).toBe("password-change")
  })
})
