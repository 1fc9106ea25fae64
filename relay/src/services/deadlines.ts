import type { RelayContext } from "../context.js"
import type { Batch } from "../store/store.js"
import type { ContextDeadlines, ContextRecord, TipDeadlines, TipRecord } from "./records.js"
import { timers } from "./timers.js"

// EU Directive 2019/1937 deadlines per tip: acknowledge within `ackDays` of receipt, give feedback
// within `feedbackDays` of the acknowledgement (or, without one, of the acknowledgement deadline).
// The tip record keeps the due times and what met them; timers remind staff before and at each.

const DAY = 24 * 60 * 60_000

/** The directive's periods: 7 days to acknowledge, 3 months (90 days) to give feedback. */
export const DEFAULT_DEADLINES: ContextDeadlines = {
  ackDays: 7,
  feedbackDays: 90,
  acknowledgeBy: "either",
}

/** How long before each deadline the "due soon" reminder goes out. */
export const REMIND_AHEAD = { ack: 2 * DAY, feedback: 14 * DAY } as const

/** A staff action that can meet a deadline. */
export type StaffAction =
  | { readonly kind: "comment" }
  | { readonly kind: "status"; readonly status: string }

/** The periods of a context, the directive's defaults where it sets none. */
export function deadlinesOf(
  context: Pick<ContextRecord, "deadlines"> | undefined,
): ContextDeadlines {
  return context?.deadlines ?? DEFAULT_DEADLINES
}

/** A new tip's deadlines, with their reminder timers added to `batch`. */
export function startDeadlines(
  batch: Batch,
  tipId: string,
  context: ContextRecord,
  now: number,
): TipDeadlines {
  const periods = deadlinesOf(context)
  const ackDueAt = now + periods.ackDays * DAY
  const feedbackDueAt = ackDueAt + periods.feedbackDays * DAY
  const timerKeys = [
    ...remindersFor(batch, tipId, "ack", ackDueAt, now),
    ...remindersFor(batch, tipId, "feedback", feedbackDueAt, now),
  ]
  return { ackDueAt, feedbackDueAt, timerKeys }
}

/**
 * The tip after a staff `action` at `now`: acknowledged when the context counts that action and it
 * is the first; feedback given by a staff comment after the acknowledgement, or by closing the
 * tip. Moving the feedback deadline (an early acknowledgement) replaces its timers in `batch`.
 * @returns the tip unchanged when nothing was met (older tips without deadlines included).
 */
export function applyStaffAction(
  batch: Batch,
  tip: TipRecord,
  context: ContextRecord | undefined,
  action: StaffAction,
  now: number,
): TipRecord {
  const d = tip.deadlines
  if (!d) return tip
  const periods = deadlinesOf(context)
  if (d.acknowledgedAt === undefined) {
    const counts =
      periods.acknowledgeBy === "either" ||
      (periods.acknowledgeBy === "comment" && action.kind === "comment") ||
      (periods.acknowledgeBy === "status" && action.kind === "status")
    if (!counts) return tip
    for (const key of d.timerKeys) timers.remove(batch, key)
    const feedbackDueAt = now + periods.feedbackDays * DAY
    // Closing a tip is its feedback too: nothing is left to remind of.
    if (action.kind === "status" && action.status === "closed") {
      const met = { acknowledgedAt: now, feedbackDueAt, feedbackAt: now, timerKeys: [] }
      return { ...tip, deadlines: { ...d, ...met } }
    }
    const timerKeys = remindersFor(batch, tip.id, "feedback", feedbackDueAt, now)
    return { ...tip, deadlines: { ...d, acknowledgedAt: now, feedbackDueAt, timerKeys } }
  }
  if (d.feedbackAt !== undefined) return tip
  const feedback =
    action.kind === "comment" || (action.kind === "status" && action.status === "closed")
  if (!feedback) return tip
  for (const key of d.timerKeys) timers.remove(batch, key)
  return { ...tip, deadlines: { ...d, feedbackAt: now, timerKeys: [] } }
}

/** The next deadline still open, and whether it has passed at `now`. */
export function nextDeadline(
  tip: TipRecord,
  now: number,
): { kind: "ack" | "feedback"; dueAt: number; overdue: boolean } | undefined {
  const d = tip.deadlines
  if (!d) return undefined
  if (d.acknowledgedAt === undefined)
    return { kind: "ack", dueAt: d.ackDueAt, overdue: now > d.ackDueAt }
  if (d.feedbackAt === undefined) {
    return { kind: "feedback", dueAt: d.feedbackDueAt, overdue: now > d.feedbackDueAt }
  }
  return undefined
}

/**
 * Whether a `tip.deadline` timer still has something to remind of: the deadline it names is
 * still open and still falls when the timer was set for.
 */
export function deadlineStillOpen(
  tip: TipRecord | undefined,
  which: "ack" | "feedback",
  dueAt: number,
): boolean {
  const d = tip?.deadlines
  if (!d) return false
  if (which === "ack") return d.acknowledgedAt === undefined && d.ackDueAt === dueAt
  return d.feedbackAt === undefined && d.feedbackDueAt === dueAt
}

/** Removes a tip's deadline timers (the wipe). */
export function removeDeadlineTimers(batch: Batch, tip: TipRecord): void {
  for (const key of tip.deadlines?.timerKeys ?? []) timers.remove(batch, key)
}

/** Reads the context of a tip for {@link applyStaffAction}. */
export function contextOf(ctx: RelayContext, tip: TipRecord): Promise<ContextRecord | undefined> {
  return ctx.store.get<ContextRecord>("contexts", `c/${tip.contextId}`)
}

function remindersFor(
  batch: Batch,
  tipId: string,
  which: "ack" | "feedback",
  dueAt: number,
  now: number,
): string[] {
  const keys: string[] = []
  const soon = dueAt - REMIND_AHEAD[which]
  if (soon > now) {
    keys.push(timers.add(batch, soon, { kind: "tip.deadline", tipId, which, dueAt, phase: "soon" }))
  }
  keys.push(timers.add(batch, dueAt, { kind: "tip.deadline", tipId, which, dueAt, phase: "due" }))
  return keys
}
