import { accounts, type BodyOf } from "@sotto/protocol"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  createRecipient,
  createUser,
  deleteAccount,
  firstLogin,
  grantAdminWraps,
  login,
  type NodeAdmin,
  reauthKey,
  relayError,
  type StaffActor,
  setupNode,
} from "./_actors.js"
import { startTestRelay, type TestRelay } from "./_harness.js"

describe("managing accounts", () => {
  let t: TestRelay
  let admin: NodeAdmin
  beforeAll(async () => {
    t = await startTestRelay()
    t.relay.ctx.loginGuard.sleep = async () => {}
    admin = await setupNode(t)
  })
  afterAll(async () => {
    await t.destroy()
  })

  const list = async () =>
    (await t.client.call(accounts.listUsers, { session: admin.session })).users
  const patch = (userId: string, body: BodyOf<typeof accounts.updateUser>) =>
    t.client.call(accounts.updateUser, { session: admin.session, params: { userId }, body })
  // Staff who finished their first login, by username.
  const actors = new Map<string, StaffActor>()
  const passwordOf = (username: string) => actors.get(username)?.password ?? ""

  it("creates an account with 201, waiting for its first login", async () => {
    const before = (await list()).length
    const bob = await createRecipient(t, admin, "bob")
    const users = await list()
    expect(users.length).toBe(before + 1)
    expect(users.find((u) => u.id === bob.userId)).toEqual({
      id: bob.userId,
      username: "bob",
      name: "Person bob",
      role: "recipient",
      disabled: false,
      createdAt: expect.any(Number),
      mustChangePassword: true,
      twoFactor: false,
      // The admin's statement of the one-time password's key (protocol v2), listed as signed.
      certification: expect.objectContaining({
        body: expect.objectContaining({ username: "bob" }),
      }),
    })
    const res = await t.client.raw(accounts.createUser, {
      session: admin.session,
      body: {
        username: "carol",
        name: "Carol",
        email: "carol@example.org",
        role: "custodian",
        kdf: { salt: "A".repeat(22), params: { N: 2 ** 15, r: 8, p: 1 } },
        authVerifier: "A".repeat(43),
      },
    })
    expect(res.status).toBe(201)
  })

  it("lists accounts without verifiers, salts or sealed identities", async () => {
    const text = JSON.stringify(await list())
    for (const secretish of [
      "authVerifier",
      "sealedIdentity",
      "kdf",
      "escrowWrap",
      "signingKeyWrap",
    ]) {
      expect(text).not.toContain(secretish)
    }
  })

  it("refuses a taken username with 409 CONFLICT and changes nothing", async () => {
    const before = await list()
    const e = await relayError(createRecipient(t, admin, "bob"))
    expect([e.status, e.code, e.field]).toEqual([409, "CONFLICT", "body.username"])
    expect(await list()).toEqual(before)
  })

  it("lets exactly one of two simultaneous creations of one username through", async () => {
    const results = await Promise.allSettled([
      createRecipient(t, admin, "twin"),
      createRecipient(t, admin, "twin"),
    ])
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"])
    expect((await list()).filter((u) => u.username === "twin")).toHaveLength(1)
  })

  it("renames, re-mails and removes an email", async () => {
    const { userId } = await createUser(t, admin, "dora", { email: "dora@example.org" })
    expect(await patch(userId, { name: "Dora D.", email: "d@example.org" })).toMatchObject({
      name: "Dora D.",
      email: "d@example.org",
    })
    const cleared = await patch(userId, { email: null })
    expect(cleared.email).toBeUndefined()
    expect(cleared.name).toBe("Dora D.")
  })

  it("disabling ends the account's sessions and refuses its logins until enabled again", async () => {
    const account = await createRecipient(t, admin, "erin")
    const erin = await firstLogin(t, "erin", account.oneTimePassword)
    actors.set("erin", erin)
    await patch(erin.userId, { disabled: true })
    expect((await relayError(t.client.call(accounts.getMe, { session: erin.session }))).code).toBe(
      "UNAUTHENTICATED",
    )
    expect((await relayError(login(t, "erin", erin.password))).code).toBe("WRONG_CREDENTIALS")
    await patch(erin.userId, { disabled: false })
    expect((await login(t, "erin", erin.password)).identity).toBe(erin.identity)
  })

  it("ends the sessions of an account whose role changes (sessions carry the role)", async () => {
    const account = await createRecipient(t, admin, "fred")
    const fred = await firstLogin(t, "fred", account.oneTimePassword)
    actors.set("fred", fred)
    expect((await patch(fred.userId, { role: "custodian" })).role).toBe("custodian")
    const e = await relayError(t.client.call(accounts.getMe, { session: fred.session }))
    expect(e.code).toBe("UNAUTHENTICATED")
    expect((await login(t, "fred", fred.password)).role).toBe("custodian")
  })

  it("keeps admin routes from other roles with 403 FORBIDDEN", async () => {
    const fred = await login(t, "fred", passwordOf("fred"))
    const e = await relayError(t.client.call(accounts.listUsers, { session: fred.session }))
    expect([e.status, e.code]).toEqual([403, "FORBIDDEN"])
  })

  it("answers 404 for an account that does not exist", async () => {
    const e = await relayError(patch("no-such-user", { name: "X" }))
    expect([e.status, e.code]).toEqual([404, "NOT_FOUND"])
    expect((await relayError(deleteAccount(t, admin, "nope"))).status).toBe(404)
  })

  describe("the last admin", () => {
    let second: StaffActor
    it("cannot be demoted, disabled or deleted", async () => {
      for (const change of [
        () => patch(admin.userId, { role: "recipient" }),
        () => patch(admin.userId, { disabled: true }),
        () => deleteAccount(t, admin, admin.userId),
      ]) {
        const e = await relayError(change())
        expect([e.status, e.code]).toEqual([409, "CONFLICT"])
      }
      expect((await list()).find((u) => u.id === admin.userId)).toMatchObject({
        role: "admin",
        disabled: false,
      })
    })

    it("can step down once another admin exists, losing the node key wraps", async () => {
      const account = await createUser(t, admin, "second", { role: "admin" })
      second = await firstLogin(t, "second", account.oneTimePassword)
      actors.set("second", second)
      expect((await list()).find((u) => u.id === second.userId)?.hasAdminWraps).toBe(false)
      await grantAdminWraps(t, admin, second)
      expect((await list()).find((u) => u.id === second.userId)?.hasAdminWraps).toBe(true)
      const secondLogin = await login(t, "second", second.password)
      expect(secondLogin.escrow).toBe(admin.escrow?.identity)
      expect(secondLogin.signing?.publicKey).toEqual(admin.signing.publicKey)
      second = { ...second, session: secondLogin.session }

      const demoted = await t.client.call(accounts.updateUser, {
        session: second.session,
        params: { userId: admin.userId },
        body: { role: "custodian" },
      })
      expect(demoted.role).toBe("custodian")
      const stored = await t.relay.ctx.store.get<object>("users", `u/${admin.userId}`)
      expect(stored).not.toHaveProperty("escrowWrap")
      expect(stored).not.toHaveProperty("signingKeyWrap")
    })

    it("leaves the other admin protected in turn", async () => {
      const e = await relayError(deleteAccount(t, second, second.userId))
      expect(e.code).toBe("CONFLICT")
    })
  })

  it("deletes an account: sessions end, logins fail, the name is free again", async () => {
    const admin2 = await login(t, "second", passwordOf("second"))
    const account = await createRecipient(t, admin2, "gina")
    const gina = await firstLogin(t, "gina", account.oneTimePassword)
    const secondKey = await reauthKey(t, { username: "second", password: passwordOf("second") })
    const remove = (currentAuthKey: string) =>
      t.client.call(accounts.deleteUser, {
        session: admin2.session,
        params: { userId: gina.userId },
        body: { currentAuthKey },
      })
    // The admin's typed password is checked first: a wrong one deletes nothing and is audited.
    const wrongKey = await reauthKey(t, { username: "second", password: "not the password" })
    const wrong = await relayError(remove(wrongKey))
    expect([wrong.status, wrong.code, wrong.field]).toEqual([
      401,
      "WRONG_CREDENTIALS",
      "body.currentAuthKey",
    ])
    expect((await t.client.call(accounts.getMe, { session: gina.session })).id).toBe(gina.userId)
    const users = await t.client.call(accounts.listUsers, { session: admin2.session })
    expect(users.users.some((u) => u.id === gina.userId)).toBe(true)
    const audit = await t.relay.ctx.audit.list()
    expect(audit[0]).toMatchObject({ action: "reauth.failure", actor: admin2.userId })
    expect(audit.some((e) => e.action === "user.delete" && e.target === gina.userId)).toBe(false)
    await remove(secondKey)
    expect((await relayError(t.client.call(accounts.getMe, { session: gina.session }))).code).toBe(
      "UNAUTHENTICATED",
    )
    expect((await relayError(login(t, "gina", gina.password))).code).toBe("WRONG_CREDENTIALS")
    const again = await createRecipient(t, admin2, "gina")
    expect(again.userId).not.toBe(gina.userId)
  })
})
