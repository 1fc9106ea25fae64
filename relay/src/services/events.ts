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

/** Carries events to the node's other processes (services/natsBus.ts). */
export interface EventTransport {
  /** Sends `event` to every other process; never throws (a lost push is only a late refresh). */
  publish(event: RelayEvent): void
}

/**
 * Fan-out of events to subscribers. In process by default; with a transport (`BUS_URL`) events
 * made here also go to the node's other processes, and theirs arrive through {@link deliverRemote}.
 */
export class EventHub {
  readonly #listeners = new Set<(e: RelayEvent) => void>()
  readonly #local = new Set<(e: RelayEvent) => void>()
  #transport: EventTransport | undefined

  /** Subscribes to every event of the node, from any process (push); returns the unsubscribe. */
  subscribe(listener: (e: RelayEvent) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /**
   * Subscribes to the events made by this process only: work that must happen once per event
   * node-wide (activity mail). Returns the unsubscribe function.
   */
  subscribeLocal(listener: (e: RelayEvent) => void): () => void {
    this.#local.add(listener)
    return () => this.#local.delete(listener)
  }

  /** Sends the events published from now on to the other processes too. */
  attach(transport: EventTransport | undefined): void {
    this.#transport = transport
  }

  /** Delivers `event` to every subscriber here and hands it to the transport. */
  publish(event: RelayEvent): void {
    deliver(this.#local, event)
    deliver(this.#listeners, event)
    this.#transport?.publish(event)
  }

  /** Delivers an event another process made to this process's push subscribers. */
  deliverRemote(event: RelayEvent): void {
    deliver(this.#listeners, event)
  }
}

// A failing subscriber does not stop the others.
function deliver(listeners: ReadonlySet<(e: RelayEvent) => void>, event: RelayEvent): void {
  for (const l of listeners) {
    try {
      l(event)
    } catch {
      // one broken socket must not block the rest
    }
  }
}
