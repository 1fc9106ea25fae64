import { connect, type NatsConnection } from "nats"
import type { Logger } from "../log.js"
import type { EventHub, RelayEvent } from "./events.js"

// WebSocket push across processes on NATS core subjects: each process publishes the events it
// makes on `sotto.events.<schema>` and delivers what the others publish to its own sockets. The
// connection sets noEcho, so a process never gets its own events back (they were delivered here
// already). Core NATS, not JetStream: a push missed while a process was away only means a client
// refreshes later; nothing durable rides on it. A message from the bus is checked like any input,
// and it decides nothing: a socket still forwards only what its session is entitled to (ws.ts).

const TYPES: ReadonlySet<string> = new Set([
  "tip.created",
  "tip.updated",
  "comment.created",
  "file.added",
  "access.changed",
  "tip.deleted",
])
const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** A running bus connection. */
export interface NatsBus {
  /** The subject events travel on. */
  readonly subject: string
  /** Detaches from the hub and drains the connection. */
  close(): Promise<void>
}

/**
 * Connects `hub` to NATS at `url` on the subject of node `schema`.
 * @throws Error when the server cannot be reached.
 */
export async function connectNatsBus(
  url: string,
  schema: string,
  hub: EventHub,
  log: Logger,
): Promise<NatsBus> {
  // `nats://a:4222,b:4222`: the servers of a NATS cluster; the client fails over between them.
  const servers = url.replace(/^nats:\/\//, "").split(",")
  const nc: NatsConnection = await connect({
    servers,
    noEcho: true,
    name: `sotto-relay-${schema}`,
    maxReconnectAttempts: -1,
  })
  const subject = `sotto.events.${schema}`
  nc.subscribe(subject, {
    callback: (error, msg) => {
      if (error) return log.warn("bus_error", { error: error.name })
      const event = parseEvent(msg.data)
      if (event) hub.deliverRemote(event)
      else log.warn("bus_malformed", { subject })
    },
  })
  // The subscription reaches the server before this process publishes or serves anything.
  await nc.flush()
  hub.attach({
    publish: (event) => {
      try {
        nc.publish(subject, encoder.encode(JSON.stringify(event)))
      } catch (e) {
        log.warn("bus_publish_failed", { error: String((e as Error)?.name) })
      }
    },
  })
  return {
    subject,
    close: async () => {
      hub.attach(undefined)
      await nc.drain().catch(() => {})
    },
  }
}

/** A well-formed event from the bus, or undefined. */
export function parseEvent(data: Uint8Array): RelayEvent | undefined {
  let value: unknown
  try {
    value = JSON.parse(decoder.decode(data))
  } catch {
    return undefined
  }
  if (typeof value !== "object" || value === null) return undefined
  const { type, tipId, users, wb } = value as Record<string, unknown>
  if (typeof type !== "string" || !TYPES.has(type)) return undefined
  if (typeof tipId !== "string" || tipId.length === 0 || tipId.length > 64) return undefined
  if (!Array.isArray(users) || users.length > 10_000) return undefined
  if (!users.every((u) => typeof u === "string" && u.length <= 64)) return undefined
  if (typeof wb !== "boolean") return undefined
  return { type: type as RelayEvent["type"], tipId, users: users as string[], wb }
}
