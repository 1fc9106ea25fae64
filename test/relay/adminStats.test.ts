import { sealTipPart } from "@sotto/crypto-core"
import { stats, tips, wb } from "@sotto/protocol"
import { ManualClock } from "@sotto/relay"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { ObjectRecord, TipRecord } from "../../relay/src/services/records.js"
import { startTestRelay, type TestRelay } from "./_harness.js"
import { createContext, refused, type SeededNode, type Staff, seedTeam, submit } from "./_seed.js"

const HOUR = 3_600_000
const WEEK = 7 * 24 * HOUR
// ManualClock starts at 2026-01-01 (a Thursday); its week began on Monday 2025-12-29.
const THIS_WEEK = Date.UTC(2025, 11, 29)

/**
 * Moves a stored tip back by `ms` and its comments by `commentsMs`, as if it had arrived earlier
 * (moving the clock instead would end the staff sessions).
 */
async function backdate(t: TestRelay, tipId: string, ms: number, commentsMs = 0): Promise<void> {
  const store = t.relay.ctx.store
  const tip = await store.get<TipRecord>("tips", `t/${tipId}`)
  if (!tip) throw new Error("no tip")
  await store.put("tips", `t/${tipId}`, { ...tip, createdAt: tip.createdAt - ms })
  if (commentsMs === 0) return
  for (const [key, o] of await store.list<ObjectRecord>("objects", {
    gte: `${tipId}/`,
    lt: `${tipId}0`,
  })) {
    await store.put("objects", key, { ...o, createdAt: o.createdAt - commentsMs })
  }
}

describe("GET /admin/stats", () => {
  let t: TestRelay
  let admin: Staff
  let alice: Staff
  let node: SeededNode
  const clock = new ManualClock()

  beforeAll(async () => {
    t = await startTestRelay({ clock })
    const team = await seedTeam(t, 1)
    ;({ admin, node } = team)
    alice = team.staff[0]
  })
  afterAll(() => t.destroy())

  const comment = async (session: string, tipId: string) => {
    const age = await sealTipPart(alice.recipient, "comment", { text: "x" })
    await t.client.call(tips.addTipComment, { session, params: { tipId }, body: { age } })
  }

  it("counts tips per context per week and the median time to the first staff comment", async () => {
    const a = await createContext(t, node, admin, [alice])
    const b = await createContext(t, node, admin, [alice])
    const empty = await t.client.call(stats.getStats, { session: admin.token })
    expect(empty).toEqual({
      since: THIS_WEEK - 11 * WEEK,
      weeks: [],
      contexts: [],
      disk: { freeBytes: expect.any(Number), minFreeBytes: 1024 ** 3, low: expect.any(Boolean) },
    })

    // Context a: one tip last week answered after 2 h, two this week answered after 4 h and 6 h.
    // Context b: one tip this week that only the whistleblower commented on.
    const old = await submit(t, node, a, [alice])
    await comment(alice.token, old.tipId)
    await backdate(t, old.tipId, WEEK + 2 * HOUR, WEEK)
    const fresh = [await submit(t, node, a, [alice]), await submit(t, node, a, [alice])]
    await comment(alice.token, fresh[0]?.tipId ?? "")
    await comment(alice.token, fresh[1]?.tipId ?? "")
    await backdate(t, fresh[0]?.tipId ?? "", 4 * HOUR)
    await backdate(t, fresh[1]?.tipId ?? "", 6 * HOUR)
    clock.advance(1000)
    await comment(alice.token, old.tipId) // a later answer does not count
    const other = await submit(t, node, b, [alice])
    await t.client.call(wb.addWbComment, {
      session: other.session,
      body: { age: await sealTipPart(old.tip.recipient, "comment", { text: "hello" }) },
    })

    const res = await t.client.call(stats.getStats, { session: admin.token })
    const weeks = res.weeks.map((w) => [w.weekStart, w.contextId, w.tips])
    expect(weeks).toEqual(
      [
        [THIS_WEEK - WEEK, a, 1],
        [THIS_WEEK, a, 2],
        [THIS_WEEK, b, 1],
      ].sort((x, y) => Number(x[0]) - Number(y[0]) || String(x[1]).localeCompare(String(y[1]))),
    )
    const byContext = new Map(res.contexts.map((c) => [c.contextId, c]))
    expect(byContext.get(a)).toEqual({
      contextId: a,
      tips: 3,
      responded: 3,
      medianFirstResponseMs: 4 * HOUR,
      // The deadline record keeps when each comment came (backdate moves only the tip and
      // comments): acknowledged after a week and 2 h, 4 h and 6 h; the old tip's second comment
      // is its feedback, a week, 2 h and a second after submission.
      acknowledged: 3,
      medianAckMs: 6 * HOUR,
      feedbackGiven: 1,
      medianFeedbackMs: WEEK + 2 * HOUR + 1000,
      overdue: 0,
    })
    expect(byContext.get(b)).toEqual({
      contextId: b,
      tips: 1,
      responded: 0,
      medianFirstResponseMs: null,
      acknowledged: 0,
      medianAckMs: null,
      feedbackGiven: 0,
      medianFeedbackMs: null,
      overdue: 0,
    })
    // Counts only: no tip id, answer or comment in the response.
    const text = JSON.stringify(res)
    expect(text).not.toContain(old.tipId)
    expect(text).not.toContain("BEGIN AGE")

    // One week back only: last week's tip drops out of the weekly counts, not the medians.
    const one = await t.client.call(stats.getStats, { session: admin.token, query: { weeks: 1 } })
    expect(one.since).toBe(THIS_WEEK)
    expect(one.weeks.reduce((n, w) => n + w.tips, 0)).toBe(3)
    expect(one.contexts.find((c) => c.contextId === a)?.tips).toBe(3)
  })

  it("is for admins only and checks its query", async () => {
    const recipient = await refused(t.client.call(stats.getStats, { session: alice.token }))
    expect(recipient.status).toBe(403)
    expect((await refused(t.client.call(stats.getStats))).status).toBe(401)
    const bad = await refused(
      t.client.call(stats.getStats, { session: admin.token, query: { weeks: 0 } }),
    )
    expect([bad.status, bad.code, bad.field]).toEqual([400, "VALIDATION", "query.weeks"])
  })
})
