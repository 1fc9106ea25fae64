import { createAccountIdentity, createSigningKey, verifyDirectory } from "@sotto/crypto-core"
import { contexts } from "@sotto/protocol"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startTestRelay, type TestRelay } from "./_harness.js"
import {
  contextBody,
  refused,
  type SeededNode,
  type Staff,
  seedStaff,
  seedTeam,
  signFor,
  storeSnapshot,
  submit,
  wire,
} from "./_seed.js"

describe("contexts and their signed key directories", () => {
  let t: TestRelay
  let node: SeededNode
  let admin: Staff
  let alice: Staff
  let bob: Staff

  beforeAll(async () => {
    t = await startTestRelay()
    ;({
      node,
      admin,
      staff: [alice, bob],
    } = await seedTeam(t, 2))
  })
  afterAll(async () => {
    await t.destroy()
  })

  it("creates a context whose directory anyone can fetch and verify against the node key", async () => {
    const body = contextBody(node, [alice, bob])
    const created = await t.client.call(contexts.createContext, { session: admin.token, body })
    expect(created).toEqual({ id: body.id })
    const view = await t.client.call(contexts.getContext, { params: { contextId: body.id } })
    expect(view).toEqual({
      id: body.id,
      name: body.name,
      description: body.description,
      questionnaire: body.questionnaire,
      maxFiles: body.maxFiles,
      maxFileBytes: body.maxFileBytes,
      expiryDays: body.expiryDays,
      deadlines: { ackDays: 7, feedbackDays: 90, acknowledgeBy: "either" },
    })
    const { contexts: list } = await t.client.call(contexts.listContexts)
    expect(list.map((c) => c.id)).toContain(body.id)
    const signed = await t.client.call(contexts.getContextDirectory, {
      params: { contextId: body.id },
    })
    const { directory } = verifyDirectory(signed, signed.signer)
    expect(signed.signer).toBe(
      (await t.relay.ctx.store.get<{ signingPublicKey: string }>("settings", "node"))
        ?.signingPublicKey,
    )
    expect(directory.recipients.map((r) => r.recipient).sort()).toEqual(
      [alice.recipient, bob.recipient].sort(),
    )
  })

  it("refuses a directory signed by a key other than the node's", async () => {
    const body = contextBody({ ...node, signing: createSigningKey() }, [alice])
    const e = await refused(t.client.call(contexts.createContext, { session: admin.token, body }))
    expect([e.status, e.code, e.field]).toEqual([422, "BAD_DIRECTORY", "body.directory.signer"])
    expect(await t.relay.ctx.store.get("contexts", `c/${body.id}`)).toBeUndefined()
  })

  it("refuses a directory whose signature was tampered with", async () => {
    const body = contextBody(node, [alice])
    body.directory.directory.issuedAt = new Date(Date.UTC(2027, 0, 1)).toISOString()
    const e = await refused(t.client.call(contexts.createContext, { session: admin.token, body }))
    expect([e.code, e.field]).toEqual(["BAD_DIRECTORY", "body.directory.signature"])
  })

  it("refuses a directory that lists a wrong key for a recipient", async () => {
    const stranger = await createAccountIdentity()
    const body = contextBody(node, [alice])
    body.directory = wire(
      signFor(node.signing, body.id, [{ ...alice, recipient: stranger.recipient }]),
    )
    const e = await refused(t.client.call(contexts.createContext, { session: admin.token, body }))
    expect([e.code, e.field]).toEqual([
      "BAD_DIRECTORY",
      "body.directory.directory.recipients.0.recipient",
    ])
  })

  it("refuses a directory that does not list exactly the recipients", async () => {
    const body = contextBody(node, [alice, bob])
    body.directory = wire(signFor(node.signing, body.id, [alice]))
    const e = await refused(t.client.call(contexts.createContext, { session: admin.token, body }))
    expect([e.code, e.field]).toEqual(["BAD_DIRECTORY", "body.directory.directory.recipients"])
  })

  it("refuses a directory signed for another context", async () => {
    const body = contextBody(node, [alice])
    body.directory = wire(signFor(node.signing, "elsewhere", [alice]))
    const e = await refused(t.client.call(contexts.createContext, { session: admin.token, body }))
    expect([e.code, e.field]).toEqual(["BAD_DIRECTORY", "body.directory.directory.context"])
  })

  it("refuses recipients who are unknown, disabled or have no key yet", async () => {
    const keyless = await seedStaff(t, "recipient", { withKey: false })
    const disabled = await seedStaff(t, "recipient", { disabled: true })
    for (const who of [keyless, disabled, { ...alice, id: "nobody" }]) {
      const body = contextBody(node, [alice, who])
      const e = await refused(t.client.call(contexts.createContext, { session: admin.token, body }))
      expect([e.status, e.code, e.field]).toEqual([400, "VALIDATION", "body.recipients.1"])
    }
  })

  it("refuses a second context with a taken id", async () => {
    const body = contextBody(node, [alice])
    await t.client.call(contexts.createContext, { session: admin.token, body })
    const before = await storeSnapshot(t)
    const again = { ...body, name: "Another name" }
    const e = await refused(
      t.client.call(contexts.createContext, { session: admin.token, body: again }),
    )
    expect([e.status, e.code, e.field]).toEqual([409, "CONFLICT", "body.id"])
    expect(await storeSnapshot(t)).toEqual(before)
  })

  it("lets only admins write contexts", async () => {
    const body = contextBody(node, [alice])
    const e = await refused(t.client.call(contexts.createContext, { session: alice.token, body }))
    expect([e.status, e.code]).toEqual([403, "FORBIDDEN"])
    const anon = await refused(t.client.call(contexts.createContext, { body }))
    expect(anon.status).toBe(401)
  })

  it("updates a context with a newer directory for new recipients, and refuses a rollback", async () => {
    const first = contextBody(node, [alice])
    await t.client.call(contexts.createContext, { session: admin.token, body: first })
    const { id, ...fields } = first
    const later = new Date(Date.UTC(2026, 5, 1)).toISOString()
    const update = {
      ...fields,
      name: "Renamed",
      recipients: [alice.id, bob.id],
      directory: wire(signFor(node.signing, id, [alice, bob], later, 2)),
    }
    await t.client.call(contexts.updateContext, {
      session: admin.token,
      params: { contextId: id },
      body: update,
    })
    expect((await t.client.call(contexts.getContext, { params: { contextId: id } })).name).toBe(
      "Renamed",
    )
    const signed = await t.client.call(contexts.getContextDirectory, { params: { contextId: id } })
    expect(signed.directory.recipients).toHaveLength(2)
    const before = await storeSnapshot(t)
    const rollback = { ...fields, directory: first.directory }
    const e = await refused(
      t.client.call(contexts.updateContext, {
        session: admin.token,
        params: { contextId: id },
        body: rollback,
      }),
    )
    expect([e.code, e.field]).toEqual(["BAD_DIRECTORY", "body.directory.directory.version"])
    expect(await storeSnapshot(t)).toEqual(before)
  })

  it("answers 404 for a context that does not exist", async () => {
    for (const call of [
      () => t.client.call(contexts.getContext, { params: { contextId: "missing" } }),
      () => t.client.call(contexts.getContextDirectory, { params: { contextId: "missing" } }),
      () =>
        t.client.call(contexts.deleteContext, {
          session: admin.token,
          params: { contextId: "missing" },
        }),
    ]) {
      expect((await refused(call())).status).toBe(404)
    }
  })

  it("refuses to delete a context while it has tips, and deletes it once empty", async () => {
    const body = contextBody(node, [alice])
    await t.client.call(contexts.createContext, { session: admin.token, body })
    const tip = await submit(t, node, body.id, [alice])
    const params = { contextId: body.id }
    const e = await refused(t.client.call(contexts.deleteContext, { session: admin.token, params }))
    expect([e.status, e.code]).toEqual([409, "CONFLICT"])
    await t.relay.ctx.store.batch().del("tips", `t/${tip.tipId}`).write()
    await t.client.call(contexts.deleteContext, { session: admin.token, params })
    expect(await t.relay.ctx.store.get("contexts", `c/${body.id}`)).toBeUndefined()
    expect(await t.relay.ctx.store.get("contexts", `d/${body.id}`)).toBeUndefined()
  })
})
