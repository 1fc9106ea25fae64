import { sealTipPart, unwrapTipKey, wrapTipKey } from "@sotto/crypto-core"
import { tips } from "@sotto/protocol"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startTestRelay, type TestRelay } from "./_harness.js"
import {
  refused,
  type Staff,
  type SubmittedTip,
  seedTeamContext,
  storeSnapshot,
  submit,
  wire,
} from "./_seed.js"

const ARMOR = "-----BEGIN AGE ENCRYPTED FILE-----"

describe("bad input to the staff tip routes", () => {
  let t: TestRelay
  let alice: Staff
  let bob: Staff
  let sent: SubmittedTip
  let comment: string
  let wrapForBob: { v: 1; to: string[]; age: string }

  beforeAll(async () => {
    t = await startTestRelay()
    const team = await seedTeamContext(t, 2, 1)
    ;[alice, bob] = team.staff
    sent = await submit(t, team.node, team.contextId, [alice])
    const read = await t.client.call(tips.getTip, {
      session: alice.token,
      params: { tipId: sent.tipId },
    })
    const key = await unwrapTipKey(read.wrap, alice.identity)
    comment = await sealTipPart(key.recipient, "comment", { text: "noted" })
    wrapForBob = wire(await wrapTipKey(key, bob.recipient))
  })
  afterAll(async () => {
    await t.destroy()
  })

  /** Sends each body and expects 400 VALIDATION naming the field, with nothing stored. */
  async function expectFields(
    send: (body: unknown) => Promise<unknown>,
    cases: Array<[unknown, string]>,
  ): Promise<void> {
    const before = await storeSnapshot(t)
    for (const [body, field] of cases) {
      const e = await refused(send(body))
      expect([e.status, e.code, e.field], field).toEqual([400, "VALIDATION", field])
    }
    expect(await storeSnapshot(t)).toEqual(before)
  }

  const params = () => ({ tipId: sent.tipId })
  const session = () => alice.token

  it("names the field of a bad staff comment", async () => {
    await expectFields(
      (body) =>
        t.client.call(tips.addTipComment, {
          session: session(),
          params: params(),
          body: body as never,
        }),
      [
        [{}, "body.age"],
        [{ age: false }, "body.age"],
        [{ age: "plain words" }, "body.age"],
        [{ age: `${ARMOR}\n${"A".repeat(64 * 1024)}` }, "body.age"],
        [{ age: comment, internal: true }, "body.internal"],
      ],
    )
    const huge = { age: `${ARMOR}\n${"A".repeat(70 * 1024)}` }
    const e = await refused(
      t.client.call(tips.addTipComment, { session: session(), params: params(), body: huge }),
    )
    expect(e.status).toBe(413)
  })

  it("names the field of a bad status or label change", async () => {
    await expectFields(
      (body) =>
        t.client.call(tips.updateTip, {
          session: session(),
          params: params(),
          body: body as never,
        }),
      [
        [{}, "body"],
        [{ status: "archived" }, "body.status"],
        [{ status: 1 }, "body.status"],
        [{ labels: "urgent" }, "body.labels"],
        [{ labels: [""] }, "body.labels.0"],
        [{ labels: ["x".repeat(33)] }, "body.labels.0"],
        [{ labels: ["a\nb"] }, "body.labels.0"],
        [{ labels: ["a", "a"] }, "body.labels"],
        [{ labels: Array.from({ length: 21 }, (_, i) => `l${i}`) }, "body.labels"],
        [{ status: "open", priority: "high" }, "body.priority"],
      ],
    )
    const huge = { labels: Array.from({ length: 200 }, (_, i) => `label-${i}`) }
    const e = await refused(
      t.client.call(tips.updateTip, { session: session(), params: params(), body: huge }),
    )
    expect(e.status).toBe(413)
  })

  it("names the field of a bad grant", async () => {
    const grantParams = () => ({ ...params(), userId: bob.id })
    await expectFields(
      (body) =>
        t.client.call(tips.grantAccess, {
          session: session(),
          params: grantParams(),
          body: body as never,
        }),
      [
        [{}, "body.wrap"],
        [{ wrap: "sealed" }, "body.wrap"],
        [{ wrap: { ...wrapForBob, to: [] } }, "body.wrap.to"],
        [{ wrap: { ...wrapForBob, age: "clear" } }, "body.wrap.age"],
        [{ wrap: wrapForBob, role: "admin" }, "body.role"],
      ],
    )
    const e = await refused(
      t.client.call(tips.grantAccess, {
        session: session(),
        params: { ...params(), userId: "bad id!" },
        body: { wrap: wrapForBob },
      }),
    )
    expect([e.status, e.field]).toEqual([400, "params.userId"])
    const huge = { wrap: { ...wrapForBob, age: `${ARMOR}\n${"A".repeat(11 * 1024)}` } }
    const big = await refused(
      t.client.call(tips.grantAccess, { session: session(), params: grantParams(), body: huge }),
    )
    expect(big.status).toBe(413)
  })

  it("names the field of a bad postponement", async () => {
    await expectFields(
      (body) =>
        t.client.call(tips.postponeTip, {
          session: session(),
          params: params(),
          body: body as never,
        }),
      [
        [{}, "body.days"],
        [{ days: 0 }, "body.days"],
        [{ days: 366 }, "body.days"],
        [{ days: 1.5 }, "body.days"],
        [{ days: "7" }, "body.days"],
        [{ days: 7, reason: "busy" }, "body.reason"],
      ],
    )
    const huge = { days: 7, reason: "x".repeat(300) }
    const e = await refused(
      t.client.call(tips.postponeTip, {
        session: session(),
        params: params(),
        body: huge as never,
      }),
    )
    expect(e.status).toBe(413)
  })

  it("names a malformed tip id on every route, changing nothing", async () => {
    const bad = { tipId: "no/such tip" }
    const calls = [
      () => t.client.call(tips.getTip, { session: session(), params: bad }),
      () =>
        t.client.call(tips.addTipComment, {
          session: session(),
          params: bad,
          body: { age: comment },
        }),
      () =>
        t.client.call(tips.updateTip, {
          session: session(),
          params: bad,
          body: { status: "open" },
        }),
      () =>
        t.client.call(tips.grantAccess, {
          session: session(),
          params: { ...bad, userId: bob.id },
          body: { wrap: wrapForBob },
        }),
      () =>
        t.client.call(tips.revokeAccess, {
          session: session(),
          params: { ...bad, userId: bob.id },
        }),
      () => t.client.call(tips.postponeTip, { session: session(), params: bad, body: { days: 1 } }),
      () => t.client.call(tips.deleteTip, { session: session(), params: bad }),
    ]
    const before = await storeSnapshot(t)
    for (const call of calls) {
      const e = await refused(call())
      expect([e.status, e.code, e.field]).toEqual([400, "VALIDATION", "params.tipId"])
    }
    expect(await storeSnapshot(t)).toEqual(before)
  })
})
