import type { TipSummary } from "./staffTips.js"

// The inbox's deadline view (EU Directive 2019/1937): each tip's next open deadline, sorted and
// filtered. The relay decides `overdue` by its own clock, so every screen agrees with its mails.

/** How the inbox orders tips. */
export type InboxOrder = "newest" | "deadline"
/** Which tips the inbox shows. */
export type InboxFilter = "all" | "open" | "overdue"

/** The tips in `order`, keeping only those `filter` selects (a new array). */
export function viewTips(
  tips: readonly TipSummary[],
  order: InboxOrder,
  filter: InboxFilter,
): TipSummary[] {
  const kept = tips.filter((t) =>
    filter === "all" ? true : filter === "open" ? t.deadline !== undefined : !!t.deadline?.overdue,
  )
  if (order === "newest") return kept.sort((a, b) => b.createdAt - a.createdAt)
  // Soonest deadline first; tips with nothing due go last, newest first among them.
  const due = (t: TipSummary) => t.deadline?.dueAt ?? Number.POSITIVE_INFINITY
  return kept.sort((a, b) => due(a) - due(b) || b.createdAt - a.createdAt)
}

/** The words for a tip's next deadline: "Acknowledge by …" or "Feedback by …". */
export function deadlineLabel(kind: "ack" | "feedback"): string {
  return kind === "ack" ? "Acknowledge by" : "Feedback by"
}
