import { randomBytes } from "node:crypto"
import {
  authVerifier,
  createAccountIdentity,
  DEFAULT_KDF_PARAMS,
  drawRecoveryKey,
  recipientOf,
  sealAccountIdentity,
  toBase64url,
} from "@sotto/crypto-core"
import { accounts } from "@sotto/protocol"
import { ManualClock } from "@sotto/relay"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  changePassword,
  createUser,
  findSecrets,
  firstLogin,
  login,
  loginWithKey,
  type NodeAdmin,
  newPassword,
  passwordKeys,
  relayError,
  setupNode,
  usedSecrets,
} from "./_actors.js"
import { startTestRelay, type TestRelay } from "./_harness.js"

describe("logging in", () => {
  const clock = new ManualClock()
  let t: TestRelay
  let admin: NodeAdmin
  beforeAll(async () => {
    t = await startTestRelay({ clock })
    // Brute-force delays are covered in loginGuard.test.ts; here they must not slow the suite.
    t.relay.ctx.loginGuard.sleep = async () => {}
    admin = await setupNode(t)
  })
  afterAll(async () => {
    await t.destroy()
  })

  describe("auth params", () => {
    it("answers the real salt and params for an account, whatever the case and spacing", async () => {
      const me = await t.client.call(accounts.getMe, { session: admin.session })
      for (const username of ["admin", " ADMIN "]) {
        expect(await t.client.call(accounts.getAuthParams, { query: { username } })).toEqual(me.kdf)
      }
    })

    it("answers a stable fake salt for an unknown name, shaped like a real one", async () => {
      const real = await t.client.call(accounts.getAuthParams, { query: { username: "admin" } })
      const ghost = await t.client.call(accounts.getAuthParams, { query: { username: "ghost" } })
      const again = await t.client.call(accounts.getAuthParams, { query: { username: " Ghost" } })
      const other = await t.client.call(accounts.getAuthParams, { query: { username: "phantom" } })
      expect(again).toEqual(ghost)
      expect(other.salt).not.toBe(ghost.salt)
      expect(Object.keys(ghost).sort()).toEqual(Object.keys(real).sort())
      expect(Object.keys(ghost.params).sort()).toEqual(Object.keys(real.params).sort())
      expect(ghost.salt).toMatch(/^[A-Za-z0-9_-]{22}$/)
      expect(ghost.params).toEqual(DEFAULT_KDF_PARAMS)
    })

    it("keeps the fake salt across a restart (it is keyed by a stored node secret)", async () => {
      const before = await t.client.call(accounts.getAuthParams, { query: { username: "ghost" } })
      t = await t.restart()
      t.relay.ctx.loginGuard.sleep = async () => {}
      const after = await t.client.call(accounts.getAuthParams, { query: { username: "ghost" } })
      expect(after).toEqual(before)
    })
  })

  describe("with a key", () => {
    it("logs in with the right key into a full session carrying the sealed identity", async () => {
      const res = await login(t, "admin", admin.password)
      expect(res.stage).toBe("full")
      expect(res.identity).toBe(admin.identity)
      expect(res.userId).toBe(admin.userId)
    })

    it("answers a wrong key, an unknown name and a disabled account identically", async () => {
      const wrong = await relayError(loginWithKey(t, "admin", randomBytes(32)))
      const unknown = await relayError(loginWithKey(t, "nobody-here", randomBytes(32)))
      const user = await createUser(t, admin, "leaver")
      await t.client.call(accounts.updateUser, {
        session: admin.session,
        params: { userId: user.userId },
        body: { disabled: true },
      })
      const disabled = await relayError(login(t, "leaver", user.oneTimePassword))
      for (const e of [wrong, unknown, disabled]) {
        expect([e.status, e.code, e.message]).toEqual([401, "WRONG_CREDENTIALS", wrong.message])
      }
    })

    it("answers a disabled account's params with a fake salt, not the real one", async () => {
      const params = await t.client.call(accounts.getAuthParams, { query: { username: "leaver" } })
      const { users } = await t.client.call(accounts.listUsers, { session: admin.session })
      const leaver = users.find((u) => u.username === "leaver")
      const stored = await t.relay.ctx.store.get<{ kdf: { salt: string } }>(
        "users",
        `u/${leaver?.id}`,
      )
      expect(stored?.kdf.salt).toMatch(/^[A-Za-z0-9_-]{22}$/)
      expect(params.salt).not.toBe(stored?.kdf.salt)
      expect(params.params).toEqual(DEFAULT_KDF_PARAMS)
    })

    it("audits successes and failures without the typed name of an unknown account", async () => {
      const { entries } = await t.client.call(accounts.listAudit, { session: admin.session })
      const failures = entries.filter((e) => e.action === "login.failure")
      expect(failures.map((f) => f.actor)).toEqual(
        expect.arrayContaining(["unknown", admin.userId]),
      )
      expect(JSON.stringify(entries)).not.toContain("nobody-here")
      expect(entries.some((e) => e.action === "login.success" && e.actor === admin.userId)).toBe(
        true,
      )
    })
  })

  describe("first login", () => {
    it("forces a password change before any staff route", async () => {
      const account = await createUser(t, admin, "newadmin", { role: "admin" })
      const first = await login(t, "newadmin", account.oneTimePassword)
      expect(first.stage).toBe("password-change")
      expect(first.sealedIdentity).toBeUndefined()
      const e = await relayError(t.client.call(accounts.listUsers, { session: first.session }))
      expect([e.status, e.code]).toEqual([403, "PASSWORD_CHANGE_REQUIRED"])
      const me = await t.client.call(accounts.getMe, { session: first.session })
      expect(me).toMatchObject({ stage: "password-change", mustChangePassword: true })
      expect(me.publicKey).toBeUndefined()
    })

    it("makes the identity, sets the password and opens the staff routes", async () => {
      const account = await createUser(t, admin, "second", { role: "admin" })
      const user = await firstLogin(t, "second", account.oneTimePassword)
      const { users } = await t.client.call(accounts.listUsers, { session: user.session })
      expect(users.find((u) => u.id === user.userId)).toMatchObject({
        publicKey: user.recipient,
        mustChangePassword: false,
      })
      const again = await login(t, "second", user.password)
      expect([again.stage, again.identity]).toEqual(["full", user.identity])
      expect((await relayError(login(t, "second", account.oneTimePassword))).code).toBe(
        "WRONG_CREDENTIALS",
      )
    })

    it("refuses an identity that leaves out the node's escrow key", async () => {
      const account = await createUser(t, admin, "noescrow")
      const first = await login(t, "noescrow", account.oneTimePassword)
      const identity = await createAccountIdentity()
      const { keys, kdf } = await passwordKeys(newPassword())
      const sealed = await sealAccountIdentity(identity, {
        password: keys.recipient,
        recovery: await recipientOf(drawRecoveryKey()),
      })
      const e = await relayError(
        t.client.call(accounts.changePassword, {
          session: first.session,
          body: {
            currentAuthKey: toBase64url(first.keys.authKey),
            kdf,
            authVerifier: toBase64url(authVerifier(keys.authKey)),
            sealedIdentity: sealed,
            publicKey: identity.recipient,
          },
        }),
      )
      expect([e.status, e.field]).toEqual([400, "body.sealedIdentity.to.escrow"])
      expect((await t.client.call(accounts.getMe, { session: first.session })).publicKey).toBe(
        undefined,
      )
    })
  })

  describe("password change", () => {
    // The "changer" account's password once the first test has changed it.
    let changerPassword = ""

    it("makes the old password fail, the new one work, and ends the other sessions", async () => {
      const account = await createUser(t, admin, "changer", { role: "admin" })
      const user = await firstLogin(t, "changer", account.oneTimePassword)
      const other = await login(t, "changer", user.password)
      const current = await login(t, "changer", user.password)
      const password = await changePassword(t, current)
      changerPassword = password
      expect((await relayError(login(t, "changer", user.password))).code).toBe("WRONG_CREDENTIALS")
      const fresh = await login(t, "changer", password)
      expect(fresh.identity).toBe(user.identity)
      for (const ended of [other.session, user.session]) {
        const e = await relayError(t.client.call(accounts.getMe, { session: ended }))
        expect(e.code).toBe("UNAUTHENTICATED")
      }
      expect((await t.client.call(accounts.getMe, { session: current.session })).stage).toBe("full")
    })

    it("refuses a wrong current key with 401 and keeps the old password", async () => {
      const current = await login(t, "changer", changerPassword)
      const { keys, kdf } = await passwordKeys(newPassword())
      const e = await relayError(
        t.client.call(accounts.changePassword, {
          session: current.session,
          body: {
            currentAuthKey: toBase64url(randomBytes(32)),
            kdf,
            authVerifier: toBase64url(authVerifier(keys.authKey)),
            sealedIdentity: current.sealedIdentity ?? never(),
            publicKey: current.sealedIdentity?.recipient ?? "",
          },
        }),
      )
      expect([e.status, e.code]).toEqual([401, "WRONG_CREDENTIALS"])
      expect((await login(t, "changer", changerPassword)).stage).toBe("full")
    })

    it("refuses to swap the account's public key or recovery key", async () => {
      const current = await login(t, "changer", changerPassword)
      const sealed = current.sealedIdentity ?? never()
      const other = await createAccountIdentity()
      const body = {
        currentAuthKey: toBase64url(current.keys.authKey),
        kdf: (await passwordKeys(newPassword())).kdf,
        authVerifier: toBase64url(randomBytes(32)),
      }
      const swapKey = relayError(
        t.client.call(accounts.changePassword, {
          session: current.session,
          body: {
            ...body,
            sealedIdentity: { ...sealed, recipient: other.recipient },
            publicKey: other.recipient,
          },
        }),
      )
      expect((await swapKey).field).toBe("body.publicKey")
      const recovery = await recipientOf(drawRecoveryKey())
      const swapRecovery = relayError(
        t.client.call(accounts.changePassword, {
          session: current.session,
          body: {
            ...body,
            sealedIdentity: { ...sealed, to: { ...sealed.to, recovery } },
            publicKey: sealed.recipient,
          },
        }),
      )
      expect((await swapRecovery).field).toBe("body.sealedIdentity.to.recovery")
      expect((await login(t, "changer", changerPassword)).stage).toBe("full")
    })
  })

  describe("sessions", () => {
    it("ends a session idle past the admin timeout with 401 SESSION_EXPIRED", async () => {
      const { session } = await login(t, "admin", admin.password)
      clock.advance(29 * 60_000)
      expect((await t.client.call(accounts.getMe, { session })).id).toBe(admin.userId)
      clock.advance(29 * 60_000)
      expect((await t.client.call(accounts.getMe, { session })).id).toBe(admin.userId)
      clock.advance(31 * 60_000)
      const e = await relayError(t.client.call(accounts.getMe, { session }))
      expect([e.status, e.code]).toEqual([401, "SESSION_EXPIRED"])
    })

    it("logs out a full session and a session still waiting for its password change", async () => {
      const full = await login(t, "admin", admin.password)
      const account = await createUser(t, full, "outgoing")
      const partial = await login(t, "outgoing", account.oneTimePassword)
      for (const { session } of [full, partial]) {
        expect(await t.client.call(accounts.logout, { session })).toEqual({ ok: true })
        const e = await relayError(t.client.call(accounts.getMe, { session }))
        expect(e.code).toBe("UNAUTHENTICATED")
      }
    })

    it("answers logout without a session with 401 UNAUTHENTICATED", async () => {
      const e = await relayError(t.client.call(accounts.logout))
      expect([e.status, e.code]).toEqual([401, "UNAUTHENTICATED"])
    })
  })

  it("keeps every password, auth key and private key out of the data dir", async () => {
    expect(usedSecrets.size).toBeGreaterThan(20)
    expect(await findSecrets(t, usedSecrets)).toEqual([])
  })
})

function never(): never {
  throw new Error("expected a sealed identity")
}
