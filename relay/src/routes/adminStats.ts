import { getStats } from "@sotto/protocol/stats"
import type { RelayContext, RouteGroup } from "../context.js"
import { bind } from "../http/router.js"
import { nextDeadline } from "../services/deadlines.js"
import { diskGuard } from "../services/diskGuard.js"
import type { ObjectRecord, TipRecord } from "../services/records.js"
import { prefixRange } from "../store/store.js"

const DAY = 24 * 60 * 60_000
const WEEK = 7 * DAY
// 1970-01-01 was a Thursday: the first Monday 00:00 UTC is 4 days later.
const FIRST_MONDAY = 4 * DAY

/** Monday 00:00 UTC of the week holding `ms`. */
export function weekStart(ms: number): number {
  return ms - ((((ms - FIRST_MONDAY) % WEEK) + WEEK) % WEEK)
}

/** The median of a non-empty list (the lower middle for an even count, so it is a real value). */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0
}

/**
 * When staff first answered a tip: the earliest comment whose author is a staff user id (the
 * whistleblower's comments are authored `wb`). Comment records keep their time, so this is
 * derived from what is stored, with nothing extra recorded.
 */
async function firstStaffComment(ctx: RelayContext, tipId: string): Promise<number | undefined> {
  let first: number | undefined
  for (const [, o] of await ctx.store.list<ObjectRecord>("objects", prefixRange(`${tipId}/`))) {
    if (o.kind !== "comment" || o.author === "wb") continue
    if (first === undefined || o.createdAt < first) first = o.createdAt
  }
  return first
}

interface ContextEntry {
  tips: number
  waits: number[]
  acks: number[]
  feedbacks: number[]
  overdue: number
}

/** Handler of `GET /admin/stats`: counts from the tip records, no content. */
export const adminStatsRoutes: RouteGroup = (ctx) => [
  bind(getStats, async ({ query }) => {
    const since = weekStart(ctx.clock.now()) - ((query.weeks ?? 12) - 1) * WEEK
    const weekly = new Map<string, { weekStart: number; contextId: string; tips: number }>()
    const perContext = new Map<string, ContextEntry>()
    const now = ctx.clock.now()
    for (const [, tip] of await ctx.store.list<TipRecord>("tips", prefixRange("t/"))) {
      const entry = perContext.get(tip.contextId) ?? {
        tips: 0,
        waits: [],
        acks: [],
        feedbacks: [],
        overdue: 0,
      }
      entry.tips += 1
      const d = tip.deadlines
      if (d?.acknowledgedAt !== undefined) entry.acks.push(d.acknowledgedAt - tip.createdAt)
      if (d?.feedbackAt !== undefined) entry.feedbacks.push(d.feedbackAt - tip.createdAt)
      if (nextDeadline(tip, now)?.overdue) entry.overdue += 1
      const answered = await firstStaffComment(ctx, tip.id)
      if (answered !== undefined) entry.waits.push(Math.max(0, answered - tip.createdAt))
      perContext.set(tip.contextId, entry)
      if (tip.createdAt < since) continue
      const start = weekStart(tip.createdAt)
      const key = `${start}/${tip.contextId}`
      const week = weekly.get(key) ?? { weekStart: start, contextId: tip.contextId, tips: 0 }
      week.tips += 1
      weekly.set(key, week)
    }
    return {
      since,
      weeks: [...weekly.values()].sort(
        (a, b) => a.weekStart - b.weekStart || a.contextId.localeCompare(b.contextId),
      ),
      contexts: [...perContext.entries()]
        .map(([contextId, e]) => ({
          contextId,
          tips: e.tips,
          responded: e.waits.length,
          medianFirstResponseMs: e.waits.length > 0 ? median(e.waits) : null,
          acknowledged: e.acks.length,
          medianAckMs: e.acks.length > 0 ? median(e.acks) : null,
          feedbackGiven: e.feedbacks.length,
          medianFeedbackMs: e.feedbacks.length > 0 ? median(e.feedbacks) : null,
          overdue: e.overdue,
        }))
        .sort((a, b) => a.contextId.localeCompare(b.contextId)),
      disk: await diskGuard(ctx).state(),
    }
  }),
]
