import { contexts } from "@sotto/protocol"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startTestRelay, type TestRelay } from "./_harness.js"
import {
  contextBody,
  refused,
  type SeededNode,
  type Staff,
  seedTeam,
  storeSnapshot,
} from "./_seed.js"

describe("bad input to the context routes", () => {
  let t: TestRelay
  let node: SeededNode
  let admin: Staff
  let alice: Staff
  let existing: string

  beforeAll(async () => {
    t = await startTestRelay()
    ;({
      node,
      admin,
      staff: [alice],
    } = await seedTeam(t, 1))
    const body = contextBody(node, [alice])
    existing = (await t.client.call(contexts.createContext, { session: admin.token, body })).id
  })
  afterAll(async () => {
    await t.destroy()
  })

  const create = (body: unknown) =>
    t.client.call(contexts.createContext, { session: admin.token, body: body as never })
  const update = (body: unknown, contextId = existing) =>
    t.client.call(contexts.updateContext, {
      session: admin.token,
      params: { contextId },
      body: body as never,
    })

  /** Variants of a valid body, each with the field the relay must name. */
  function badBodies(): Array<[Record<string, unknown>, string]> {
    const good = contextBody(node, [alice], existing) as unknown as Record<string, unknown>
    const q = (extra: Record<string, unknown>) => ({
      ...good,
      questionnaire: [{ id: "a", type: "text", label: "A", required: true, ...extra }],
    })
    const without = (key: string) =>
      Object.fromEntries(Object.entries(good).filter(([k]) => k !== key))
    return [
      [{ ...good, name: 42 }, "body.name"],
      [{ ...good, name: "" }, "body.name"],
      [{ ...good, name: "n".repeat(101) }, "body.name"],
      [{ ...good, description: "d".repeat(5001) }, "body.description"],
      [without("recipients"), "body.recipients"],
      [{ ...good, recipients: [] }, "body.recipients"],
      [{ ...good, recipients: [alice.id, alice.id] }, "body.recipients"],
      [{ ...good, recipients: ["not an id!"] }, "body.recipients.0"],
      [{ ...good, expiryDays: "30" }, "body.expiryDays"],
      [{ ...good, expiryDays: 0 }, "body.expiryDays"],
      [{ ...good, maxFiles: 1.5 }, "body.maxFiles"],
      [{ ...good, maxFileBytes: 0 }, "body.maxFileBytes"],
      [without("directory"), "body.directory"],
      [{ ...good, directory: { ...(good.directory as object), extra: 1 } }, "body.directory.extra"],
      [{ ...good, colour: "red" }, "body.colour"],
      [q({ type: "slider" }), "body.questionnaire.0.type"],
      [q({ label: undefined }), "body.questionnaire.0.label"],
      [q({ hint: "x" }), "body.questionnaire.0.hint"],
      [q({ type: "select" }), "body.questionnaire.0.options"],
      [q({ options: ["yes"] }), "body.questionnaire.0.options"],
      [q({ type: "select", options: [] }), "body.questionnaire.0.options"],
      [
        {
          ...good,
          questionnaire: [
            { id: "a", type: "text", label: "A", required: true },
            { id: "a", type: "date", label: "B", required: false },
          ],
        },
        "body.questionnaire.1.id",
      ],
    ]
  }

  it("names the field of a bad createContext body and stores nothing", async () => {
    const before = await storeSnapshot(t)
    for (const [body, field] of badBodies()) {
      const { id: _, ...rest } = body
      const e = await refused(create({ ...rest, id: "fresh-context" }))
      expect([e.status, e.code, e.field], field).toEqual([400, "VALIDATION", field])
    }
    const noId = contextBody(node, [alice]) as unknown as Record<string, unknown>
    delete noId.id
    expect((await refused(create(noId))).field).toBe("body.id")
    expect(await storeSnapshot(t)).toEqual(before)
  })

  it("names the field of a bad updateContext body or path and changes nothing", async () => {
    const before = await storeSnapshot(t)
    for (const [body, field] of badBodies()) {
      const { id: _, ...rest } = body
      const e = await refused(update(rest))
      expect([e.status, e.code, e.field], field).toEqual([400, "VALIDATION", field])
    }
    const { id: _, ...good } = contextBody(node, [alice], existing)
    const e = await refused(update(good, "bad id!"))
    expect([e.status, e.field]).toEqual([400, "params.contextId"])
    expect((await refused(update({ ...good, id: existing }))).field).toBe("body.id")
    expect(await storeSnapshot(t)).toEqual(before)
  })

  it("refuses a context body over 2 MiB with 413", async () => {
    const body = { ...contextBody(node, [alice]), description: "x".repeat(2 * 1024 * 1024) }
    const e = await refused(create(body))
    expect([e.status, e.code]).toEqual([413, "BODY_TOO_LARGE"])
  })

  it("names a malformed context id on the public and delete routes", async () => {
    const params = { contextId: "x".repeat(65) }
    for (const call of [
      () => t.client.call(contexts.getContext, { params }),
      () => t.client.call(contexts.getContextDirectory, { params }),
      () => t.client.call(contexts.deleteContext, { session: admin.token, params }),
    ]) {
      const e = await refused(call())
      expect([e.status, e.field]).toEqual([400, "params.contextId"])
    }
  })
})
