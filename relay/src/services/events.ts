import type { TipSummary } from "./tipViews.js"

/** Something that changed, pushed over the WebSocket to the sessions entitled to see it. */
export interface RelayEvent {
  readonly type:
    | "tip.created"
    | "tip.updated"
    | "comment.created"
    | "file.added"
    | "access.changed"
    | "tip.deleted"
  readonly tipId: string
  /** Staff user ids to notify. */
  readonly users: readonly string[]
  /** Whether the tip's whistleblower sessions are notified too. */
  readonly wb: boolean
  /** The tip's inbox line after the change (metadata only), when the tip still exists. */
  readonly tip?: TipSummary
  /** Staff user ids (among `users`) whose inbox the tip has left: their access was revoked. */
  readonly removed?: readonly string[]
}

/** Fan-out of events to subscribers (the WebSocket layer, mail notifications). In-process today. */
export class EventHub {
  readonly #listeners = new Set<(e: RelayEvent) => void>()

  /** Subscribes; returns the unsubscribe function. */
  subscribe(listener: (e: RelayEvent) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Delivers `event` to every subscriber; a failing subscriber does not stop the others. */
  publish(event: RelayEvent): void {
    for (const l of this.#listeners) {
      try {
        l(event)
      } catch {
        // one broken socket must not block the rest
      }
    }
  }
}
