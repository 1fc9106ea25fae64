import { vi } from "vitest"
import WebSocket from "ws"
import type { TestRelay } from "./_harness.js"

/** A message the relay sent over the push channel, parsed. */
export type PushMessage = {
  type: string
  code?: string
  event?: {
    type: string
    tipId: string
    tip?: Record<string, unknown> & { comments: number; files: number }
    counts?: { comments: number; files: number }
    removed?: true
  }
}

/** A `ws` client on the relay's push channel that keeps every message it receives. */
export interface PushSocket {
  readonly ws: WebSocket
  readonly messages: PushMessage[]
  /** Resolves with the close code once the relay (or the test) closed the socket. */
  readonly closed: Promise<number>
  send(message: unknown): void
  /** Waits until a message matching `match` arrived and returns it. */
  next(match: (m: PushMessage) => boolean, timeout?: number): Promise<PushMessage>
}

/** Opens a socket to `/api/v1/ws`; with `session`, sends the auth message and waits for ready. */
export async function openPush(t: TestRelay, session?: string): Promise<PushSocket> {
  const ws = new WebSocket(`${t.baseUrl.replace("http", "ws")}/api/v1/ws`)
  const messages: PushMessage[] = []
  ws.on("message", (data) => messages.push(JSON.parse(data.toString()) as PushMessage))
  const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)))
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve())
    ws.once("error", reject)
  })
  const socket: PushSocket = {
    ws,
    messages,
    closed,
    send: (message) => ws.send(typeof message === "string" ? message : JSON.stringify(message)),
    next: (match, timeout = 5000) =>
      vi.waitFor(
        () => {
          const found = messages.find(match)
          if (!found) throw new Error("not yet")
          return found
        },
        { timeout, interval: 10 },
      ),
  }
  if (session) {
    socket.send({ type: "auth", session })
    await socket.next((m) => m.type === "ready")
  }
  return socket
}
