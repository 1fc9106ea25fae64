import { Type } from "@sinclair/typebox"
import { Id, Obj, Time } from "./common.js"
import { route } from "./route.js"

// Route specs of the "stats" group: counts for the admin console, never content.

/** Most weeks one stats request may cover. */
export const MAX_STATS_WEEKS = 104

/** Tips created in one context during one week (weeks start on Monday 00:00 UTC). */
const WeekCount = Obj({ weekStart: Time, contextId: Id, tips: Type.Integer({ minimum: 0 }) })

/** Per context: tips, how many got a staff comment, and the median time until the first one. */
const ContextStats = Obj({
  contextId: Id,
  tips: Type.Integer({ minimum: 0 }),
  responded: Type.Integer({ minimum: 0 }),
  /** Median ms from submission to the first staff comment; null when none was answered. */
  medianFirstResponseMs: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  /** Tips acknowledged, and the median ms from submission to the acknowledgement (or null). */
  acknowledged: Type.Integer({ minimum: 0 }),
  medianAckMs: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  /** Tips given feedback, and the median ms from submission to the feedback (or null). */
  feedbackGiven: Type.Integer({ minimum: 0 }),
  medianFeedbackMs: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  /** Tips whose next deadline has passed without the acknowledgement or feedback it asks for. */
  overdue: Type.Integer({ minimum: 0 }),
})

/**
 * Counts of the tips stored now (wiped tips are gone): tips per context per week over the last
 * `weeks` weeks (default 12), and per context the median time to the first staff comment; and the
 * data dir's free disk against the watermark under which anonymous writes are refused (`low`).
 */
export const getStats = route({
  id: "getStats",
  method: "GET",
  path: "/api/v1/admin/stats",
  summary: "Tips per context per week and median time to first response (counts only)",
  access: ["admin"],
  query: Obj({ weeks: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_STATS_WEEKS })) }),
  response: Obj({
    since: Time,
    weeks: Type.Array(WeekCount),
    contexts: Type.Array(ContextStats),
    disk: Obj({
      freeBytes: Type.Integer({ minimum: 0 }),
      minFreeBytes: Type.Integer({ minimum: 0 }),
      low: Type.Boolean(),
    }),
  }),
})
