import type { PushEvent } from "@sotto/protocol/push"

// The relay's push channel (`/api/v1/ws`) for any area: a staff inbox or a whistleblower's tip.
// Events say what changed (protocol/src/push.ts): staff get the tip's new inbox line or `removed`,
// a whistleblower the counts of their tip; pages apply them in place. The socket
// reconnects with growing, jittered delays after a network loss, and stops for good when the
// relay says the session is no longer valid (there is nothing to gain by retrying then).

/** What the relay pushes: a kind of change, the tip it concerns and what changed. */
export interface LiveEvent {
  readonly type:
    | "tip.created"
    | "tip.updated"
    | "comment.created"
    | "file.added"
    | "access.changed"
    | "tip.deleted"
    | (string & {})
  readonly tipId: string
  /** Staff: the tip's inbox line now (what `GET /tips` would list). */
  readonly tip?: PushEvent["tip"]
  /** Whistleblower: the tip's counts now. */
  readonly counts?: PushEvent["counts"]
  /** Staff: the tip left this person's inbox. */
  readonly removed?: true
}

/** Where the connection stands, for a small "live" indicator. */
export type LiveStatus = "connecting" | "live" | "retrying" | "ended"

/** Optional hooks of {@link connectLive}. */
export interface LiveOptions {
  /** Called on every status change; `code` is the relay's error code when it ended the socket. */
  readonly onStatus?: (status: LiveStatus, code?: string) => void
  /**
   * Called each time the relay says `ready`, including after a reconnect: events sent while the
   * socket was down are lost, so refetch here.
   */
  readonly onReady?: () => void
  /** First retry delay in ms (default 1000); doubles up to {@link LiveOptions.maxDelayMs}. */
  readonly minDelayMs?: number
  /** Longest retry delay in ms (default 30000). */
  readonly maxDelayMs?: number
  /** Keep-alive ping interval in ms (default 25000; the relay closes idle sockets at 60 s). */
  readonly pingMs?: number
}

// Codes after which reconnecting with the same session cannot succeed.
const FATAL = new Set(["UNAUTHENTICATED", "SESSION_EXPIRED", "FORBIDDEN", "VALIDATION"])

/** The WebSocket URL of the relay this page came from (same origin). */
export function liveUrl(): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:"
  return `${scheme}//${location.host}/api/v1/ws`
}

/**
 * Opens the push channel for `session` (a full staff session or a receipt session) and calls
 * `onEvent` for each event. Never throws: failures show up through `options.onStatus`.
 * @returns a function that closes the channel for good (call it when the page goes away).
 */
export function connectLive(
  session: string,
  onEvent: (event: LiveEvent) => void,
  options: LiveOptions = {},
): () => void {
  const minDelay = options.minDelayMs ?? 1000
  const maxDelay = options.maxDelayMs ?? 30_000
  let delay = minDelay
  let socket: WebSocket | undefined
  let retryTimer: ReturnType<typeof setTimeout> | undefined
  let pingTimer: ReturnType<typeof setInterval> | undefined
  let stopped = false

  const status = (s: LiveStatus, code?: string) => options.onStatus?.(s, code)

  const stopPing = () => {
    if (pingTimer !== undefined) clearInterval(pingTimer)
    pingTimer = undefined
  }

  const end = (code?: string) => {
    stopped = true
    stopPing()
    if (retryTimer !== undefined) clearTimeout(retryTimer)
    status("ended", code)
  }

  const scheduleRetry = () => {
    if (stopped) return
    status("retrying")
    // Jitter keeps a node's clients from reconnecting in lockstep after a relay restart.
    const wait = delay * (0.5 + Math.random() / 2)
    delay = Math.min(maxDelay, delay * 2)
    retryTimer = setTimeout(open, wait)
  }

  function open() {
    if (stopped) return
    status("connecting")
    let ws: WebSocket
    try {
      ws = new WebSocket(liveUrl())
    } catch {
      scheduleRetry()
      return
    }
    socket = ws
    ws.onopen = () => ws.send(JSON.stringify({ type: "auth", session }))
    ws.onmessage = (message) => {
      let data: {
        type?: string
        code?: string
        event?: { type?: unknown; tipId?: unknown } & Omit<LiveEvent, "type" | "tipId">
      }
      try {
        data = JSON.parse(String(message.data)) as typeof data
      } catch {
        return
      }
      if (data.type === "ready") {
        delay = minDelay
        status("live")
        stopPing()
        pingTimer = setInterval(
          () => ws.readyState === WebSocket.OPEN && ws.send('{"type":"ping"}'),
          options.pingMs ?? 25_000,
        )
        options.onReady?.()
      } else if (data.type === "event" && data.event) {
        const { type, tipId, tip, counts, removed } = data.event
        if (typeof type !== "string" || typeof tipId !== "string") return
        onEvent({
          type,
          tipId,
          // A line for another tip than the event's is ignored rather than trusted.
          ...(tip && typeof tip === "object" && tip.id === tipId ? { tip } : {}),
          ...(counts && typeof counts === "object" ? { counts } : {}),
          ...(removed === true ? { removed } : {}),
        })
      } else if (data.type === "error" && data.code && FATAL.has(data.code)) {
        end(data.code)
        ws.close()
      }
    }
    ws.onclose = () => {
      stopPing()
      if (socket === ws) socket = undefined
      scheduleRetry()
    }
    // An error is always followed by close, which schedules the retry.
    ws.onerror = () => undefined
  }

  open()
  return () => {
    if (stopped) return
    end()
    const ws = socket
    socket = undefined
    ws?.close(1000)
  }
}
