import type { Static } from "@sinclair/typebox"
import type { TipSummary as TipSummarySchema } from "@sotto/protocol/tipSchemas"
import type { RelayContext } from "../context.js"
import { nextDeadline } from "./deadlines.js"
import type { TipRecord } from "./records.js"
import { countUsage } from "./tips.js"

// What staff see of a tip record, shared by the routes and the push events: the list line
// (`TipSummary`) and the tip view. Only metadata the relay keeps in the clear; nothing sealed.

/** One line of a staff inbox, as `GET /tips` lists it and push events carry it. */
export type TipSummary = Static<typeof TipSummarySchema>

/** The fields every staff view of a tip starts with (`TipView`, `TipSummary`). */
export function tipFields(tip: TipRecord) {
  return {
    id: tip.id,
    contextId: tip.contextId,
    createdAt: tip.createdAt,
    updatedAt: tip.updatedAt,
    expiresAt: tip.expiresAt,
    status: tip.status,
    labels: [...tip.labels],
  }
}

/** `wbLastAccessAt`, only once the whistleblower has been back. */
export function wbLastAccess(tip: TipRecord) {
  return tip.wbLastAccessAt === undefined ? {} : { wbLastAccessAt: tip.wbLastAccessAt }
}

/** The next open deadline (overdue by the relay's clock) and when each was met, if it was. */
export function deadlineFields(tip: TipRecord, now: number) {
  const next = nextDeadline(tip, now)
  const d = tip.deadlines
  return {
    ...(next ? { deadline: next } : {}),
    ...(d?.acknowledgedAt === undefined ? {} : { acknowledgedAt: d.acknowledgedAt }),
    ...(d?.feedbackAt === undefined ? {} : { feedbackAt: d.feedbackAt }),
  }
}

/** The staff view of the tip record (`TipView`). */
export function tipView(tip: TipRecord) {
  return { ...tipFields(tip), accessCount: tip.accessCount, ...wbLastAccess(tip) }
}

/** A tip's comment and complete-file counts, from beside its record. */
export function tipCounts(tip: TipRecord): { comments: number; files: number } | undefined {
  const usage = tip.usage
  return usage?.files === undefined ? undefined : { comments: usage.comments, files: usage.files }
}

/**
 * The inbox line of a tip. Counts come from beside the record; a tip from before the file count
 * was kept is counted from its objects once per call (older data dirs only).
 */
export async function tipSummary(ctx: RelayContext, tip: TipRecord): Promise<TipSummary> {
  const counts = tipCounts(tip) ?? (await countUsage(ctx, tip.id))
  return {
    ...tipFields(tip),
    ...deadlineFields(tip, ctx.clock.now()),
    comments: counts.comments,
    files: counts.files ?? 0,
    ...wbLastAccess(tip),
  }
}
