import { type AnyRoute, accounts } from "@sotto/protocol"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  createRecipient,
  firstLogin,
  type NodeAdmin,
  relayError,
  type StaffActor,
  setupNode,
  wireWrap,
} from "./_actors.js"
import { startTestRelay, type TestRelay } from "./_harness.js"

type Body = Record<string, unknown>

/** A route with a valid request, and the required top-level field the sweep breaks. */
interface BodyCase {
  readonly spec: AnyRoute
  readonly params?: () => Record<string, string>
  readonly body: () => Body
  /** The field to mistype and remove; removing an optional one leaves "nothing to change". */
  readonly field: string
  readonly missingField?: string
}

describe("bad input to the account routes", () => {
  let t: TestRelay
  let admin: NodeAdmin
  let bob: StaffActor
  let me: Awaited<ReturnType<typeof t.client.call<typeof accounts.getMe>>>
  beforeAll(async () => {
    t = await startTestRelay()
    admin = await setupNode(t)
    const account = await createRecipient(t, admin, "bob")
    bob = await firstLogin(t, "bob", account.oneTimePassword)
    me = await t.client.call(accounts.getMe, { session: admin.session })
  })
  afterAll(async () => {
    await t.destroy()
  })

  // Everything a refused request must leave as it was.
  const snapshot = async () => {
    const store = t.relay.ctx.store
    return JSON.stringify({
      users: await store.list("users"),
      settings: await store.list("settings"),
      sessions: await store.keys("sessions"),
      audit: (await store.keys("audit")).length,
      guard: await t.relay.ctx.loginGuard.delayFor("admin", { known: true }),
    })
  }
  const send = (c: BodyCase, body: unknown) =>
    relayError(
      t.client.call(c.spec, {
        session: admin.session,
        ...(c.params ? { params: c.params() } : {}),
        body,
      } as never),
    )

  const bodyCases: Record<string, BodyCase> = {
    login: {
      spec: accounts.login,
      body: () => ({ username: "admin", authKey: "A".repeat(43) }),
      field: "authKey",
    },
    changePassword: {
      spec: accounts.changePassword,
      body: () => ({
        currentAuthKey: "A".repeat(43),
        kdf: me.kdf,
        authVerifier: "A".repeat(43),
        sealedIdentity: me.sealedIdentity,
        publicKey: me.publicKey,
      }),
      field: "currentAuthKey",
    },
    createUser: {
      spec: accounts.createUser,
      body: () => ({
        username: "newbie",
        name: "Newbie",
        role: "recipient",
        kdf: me.kdf,
        authVerifier: "A".repeat(43),
      }),
      field: "username",
    },
    updateUser: {
      spec: accounts.updateUser,
      params: () => ({ userId: bob.userId }),
      body: () => ({ name: "Robert" }),
      field: "name",
      missingField: "body",
    },
    resetUserWithEscrow: {
      spec: accounts.resetUserWithEscrow,
      params: () => ({ userId: bob.userId }),
      body: () => ({
        kdf: me.kdf,
        authVerifier: "A".repeat(43),
        sealedIdentity: me.sealedIdentity,
        currentAuthKey: "A".repeat(43),
      }),
      field: "authVerifier",
    },
    deleteUser: {
      spec: accounts.deleteUser,
      params: () => ({ userId: bob.userId }),
      body: () => ({ currentAuthKey: "A".repeat(43) }),
      field: "currentAuthKey",
    },
    setAdminWraps: {
      spec: accounts.setAdminWraps,
      params: () => ({ userId: admin.userId }),
      body: () => ({
        signingKeyWrap: wireWrap(me.signingKeyWrap ?? expect.unreachable()),
        escrowWrap: wireWrap(me.escrowWrap ?? expect.unreachable()),
      }),
      field: "signingKeyWrap",
    },
    updateSettings: {
      spec: accounts.updateSettings,
      body: () => ({ name: "Renamed" }),
      field: "name",
      missingField: "body",
    },
  }

  describe.each(Object.entries(bodyCases))("%s", (_, c) => {
    it("refuses a field of the wrong type, naming it", async () => {
      const before = await snapshot()
      const e = await send(c, { ...c.body(), [c.field]: 12345 })
      expect([e.status, e.code, e.field]).toEqual([400, "VALIDATION", `body.${c.field}`])
      expect(await snapshot()).toBe(before)
    })

    it("refuses a missing field, naming it", async () => {
      const before = await snapshot()
      const { [c.field]: _, ...rest } = c.body()
      const e = await send(c, rest)
      expect([e.status, e.field]).toEqual([400, c.missingField ?? `body.${c.field}`])
      expect(await snapshot()).toBe(before)
    })

    it("refuses an unknown field, naming it", async () => {
      const before = await snapshot()
      const e = await send(c, { ...c.body(), sneaky: true })
      expect([e.status, e.code, e.field]).toEqual([400, "VALIDATION", "body.sneaky"])
      expect(await snapshot()).toBe(before)
    })

    it("refuses a body over the route's limit with 413", async () => {
      const before = await snapshot()
      const e = await send(c, { ...c.body(), padding: "x".repeat(c.spec.bodyLimit ?? 0) })
      expect([e.status, e.code, e.field]).toEqual([413, "BODY_TOO_LARGE", "body"])
      expect(await snapshot()).toBe(before)
    })

    if (c.params) {
      it("refuses a malformed user id in the path, naming it", async () => {
        const e = await relayError(
          t.client.call(c.spec, {
            session: admin.session,
            params: { userId: "not an id!" },
            body: c.body(),
          } as never),
        )
        expect([e.status, e.field]).toEqual([400, "params.userId"])
      })
    }
  })

  it("refuses nested mistakes in KDF inputs and sealed identities, naming the nested field", async () => {
    const before = await snapshot()
    const create = bodyCases.createUser ?? expect.unreachable()
    const kdf = { ...me.kdf, params: { ...me.kdf.params, N: "big" } }
    expect((await send(create, { ...create.body(), kdf })).field).toBe("body.kdf.params.N")
    const change = bodyCases.changePassword ?? expect.unreachable()
    const sealedIdentity = {
      ...me.sealedIdentity,
      to: { ...me.sealedIdentity?.to, password: "age1nope" },
    }
    const e = await send(change, { ...change.body(), sealedIdentity })
    expect(e.field).toBe("body.sealedIdentity.to.password")
    expect(await snapshot()).toBe(before)
  })

  it("refuses a body that is not sent as JSON with 415", async () => {
    const res = await fetch(t.client.url(accounts.login), {
      method: "POST",
      body: "username=admin",
    })
    expect(res.status).toBe(415)
  })

  it.each([
    ["a missing username", {}, "query.username"],
    ["an over-long username", { username: "u".repeat(257) }, "query.username"],
    ["an unknown parameter", { username: "admin", extra: "1" }, "query.extra"],
  ])("refuses auth params with %s", async (_, query, field) => {
    const e = await relayError(t.client.call(accounts.getAuthParams, { query: query as never }))
    expect([e.status, e.field]).toEqual([400, field])
  })

  it.each([
    ["a zero limit", { limit: 0 }, "query.limit"],
    ["a limit that is not a number", { limit: "many" }, "query.limit"],
    ["a negative before", { before: -1 }, "query.before"],
    ["an unknown parameter", { page: 2 }, "query.page"],
  ])("refuses an audit query with %s", async (_, query, field) => {
    const e = await relayError(
      t.client.call(accounts.listAudit, { session: admin.session, query: query as never }),
    )
    expect([e.status, e.field]).toEqual([400, field])
  })

  // deleteUser takes a body, so the body sweep above covers its malformed ids.
  it.each([["getUserSealedIdentity", accounts.getUserSealedIdentity]])(
    "%s refuses a malformed user id, naming it",
    async (_, spec) => {
      const body = { currentAuthKey: "A".repeat(43) }
      const e = await relayError(
        t.client.call(spec, { session: admin.session, params: { userId: "bad/id" }, body }),
      )
      expect([e.status, e.field]).toEqual([400, "params.userId"])
    },
  )

  it.each([
    ["getMe", accounts.getMe],
    ["listUsers", accounts.listUsers],
    ["getSettings", accounts.getSettings],
    ["listAudit", accounts.listAudit],
    ["changePassword", accounts.changePassword],
    ["createUser", accounts.createUser],
  ])("%s answers 401 UNAUTHENTICATED without a session", async (_, spec) => {
    const body = spec.body === undefined ? {} : { body: {} }
    const e = await relayError(t.client.call(spec as AnyRoute, body as never))
    expect([e.status, e.code]).toEqual([401, "UNAUTHENTICATED"])
  })

  it("answers an unknown session token like no session", async () => {
    const e = await relayError(t.client.call(accounts.getMe, { session: "A".repeat(43) }))
    expect(e.code).toBe("UNAUTHENTICATED")
  })
})
