import { createSignal } from "solid-js"
import { applyLiveEvent, mergePage } from "../lib/inboxList.js"
import type { LiveEvent } from "../lib/liveEvents.js"
import { type InboxPage, loadInboxPage, type TipSummary } from "../lib/staffTips.js"

// The staff inbox as a list that grows page by page ("Load more") and that push events edit in
// place: a new or changed tip's line replaces or joins the list, a tip that left is dropped. The
// list is fetched again only when events may have been missed (the push channel reconnected) or
// when an event carries no line (a relay that predates the line in events).

/** The inbox state and what changes it. */
export interface Inbox {
  /** The lines loaded so far, newest first. */
  readonly tips: () => readonly TipSummary[]
  /** Whether the relay has more (older) lines than those loaded. */
  readonly hasMore: () => boolean
  /** Whether a page is being fetched. */
  readonly loading: () => boolean
  /** The last fetch's error, cleared by the next successful one. */
  readonly error: () => unknown
  /** Fetches the first page again, replacing the list. */
  reload(): Promise<void>
  /** Fetches the page after the last loaded line. */
  loadMore(): Promise<void>
  /** Applies a push event; returns false when it could not (the caller should reload). */
  apply(event: LiveEvent): boolean
}

/**
 * An inbox for `session`; `fetchPage` is the relay call (tests and offline mode pass their own).
 * Nothing is fetched until {@link Inbox.reload}.
 */
export function createInbox(
  session: string,
  fetchPage: (session: string, cursor?: string) => Promise<InboxPage> = loadInboxPage,
): Inbox {
  const [tips, setTips] = createSignal<readonly TipSummary[]>([])
  const [next, setNext] = createSignal<string | undefined>()
  const [loading, setLoading] = createSignal(false)
  const [error, setError] = createSignal<unknown>()
  let generation = 0

  const fetchInto = async (cursor: string | undefined) => {
    const mine = ++generation
    setLoading(true)
    try {
      const page = await fetchPage(session, cursor)
      if (mine !== generation) return
      setError(undefined)
      setTips(mergePage(cursor === undefined ? [] : tips(), page.tips))
      setNext(page.next)
    } catch (e) {
      if (mine === generation) setError(e)
    } finally {
      if (mine === generation) setLoading(false)
    }
  }

  return {
    tips,
    hasMore: () => next() !== undefined,
    loading,
    error,
    reload: () => fetchInto(undefined),
    loadMore: async () => {
      const cursor = next()
      if (cursor !== undefined && !loading()) await fetchInto(cursor)
    },
    apply: (event) => {
      const after = applyLiveEvent(tips(), next() !== undefined, event)
      if (after === undefined) return false
      setTips(after)
      return true
    },
  }
}
