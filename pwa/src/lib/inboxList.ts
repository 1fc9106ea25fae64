import type { LiveEvent } from "./liveEvents.js"
import type { TipSummary } from "./staffTips.js"

// The inbox list's pure rules (store/createInbox.ts holds the state): pages merge in the relay's
// order, push events edit the list in place.

/** Newest first, then by id descending: the relay's order (GET /tips). */
function newerFirst(a: TipSummary, b: TipSummary): number {
  return b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)
}

/** `list` with a fetched page's lines added (each tip once), in the relay's order. */
export function mergePage(
  list: readonly TipSummary[],
  page: readonly TipSummary[],
): readonly TipSummary[] {
  const known = new Set(list.map((t) => t.id))
  return [...list, ...page.filter((t) => !known.has(t.id))].sort(newerFirst)
}

/**
 * `list` after a push event, or undefined when the event carries no line to apply (the caller
 * reloads). `hasMore`: older pages are not loaded yet, so a line older than every loaded one is
 * left for "Load more".
 */
export function applyLiveEvent(
  list: readonly TipSummary[],
  hasMore: boolean,
  event: LiveEvent,
): readonly TipSummary[] | undefined {
  if (event.removed || event.type === "tip.deleted") return list.filter((t) => t.id !== event.tipId)
  const line = event.tip
  if (!line) return undefined
  const rest = list.filter((t) => t.id !== line.id)
  const oldest = rest.at(-1)
  if (rest.length === list.length && hasMore && oldest && newerFirst(line, oldest) > 0) return list
  return [...rest, line].sort(newerFirst)
}
