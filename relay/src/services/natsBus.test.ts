import { randomBytes } from "node:crypto"
import { Socket } from "node:net"
import { describe, expect, it } from "vitest"
import { createLogger } from "../log.js"
import { EventHub, type RelayEvent } from "./events.js"
import { connectNatsBus, parseEvent } from "./natsBus.js"

const NATS = process.env.SOTTO_TEST_NATS_URL ?? "nats://127.0.0.1:4222"
const up = await answers(NATS)
if (!up) {
  if (process.env.CI === "true") throw new Error(`NATS is not answering at ${NATS}`)
  console.warn(`SKIPPED: the NATS bus test needs a server at ${NATS} (SOTTO_TEST_NATS_URL)`)
}
const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v))
const event: RelayEvent = { type: "tip.created", tipId: "t1", users: ["u1", "u2"], wb: false }

describe("events from the bus", () => {
  it("takes a well-formed event", () => {
    expect(parseEvent(enc(event))).toEqual(event)
  })

  it("drops anything else: bad JSON, unknown type, wrong field types, oversized lists", () => {
    for (const bad of [
      new TextEncoder().encode("{"),
      enc(null),
      enc({ ...event, type: "tip.read" }),
      enc({ ...event, tipId: 7 }),
      enc({ ...event, tipId: "x".repeat(65) }),
      enc({ ...event, users: "u1" }),
      enc({ ...event, users: [1] }),
      enc({ ...event, users: Array.from({ length: 10_001 }, () => "u") }),
      enc({ ...event, wb: "yes" }),
    ]) {
      expect(parseEvent(bad)).toBeUndefined()
    }
  })

  it.skipIf(!up)(
    "carries an event from one process's hub to another's, not back to its own",
    async () => {
      const schema = `bus_${randomBytes(4).toString("hex")}`
      const log = createLogger("silent")
      const [a, b] = [new EventHub(), new EventHub()]
      const busA = await connectNatsBus(NATS, schema, a, log)
      const busB = await connectNatsBus(NATS, schema, b, log)
      const seenA: RelayEvent[] = []
      const seenB: RelayEvent[] = []
      const localB: RelayEvent[] = []
      a.subscribe((e) => seenA.push(e))
      b.subscribe((e) => seenB.push(e))
      b.subscribeLocal((e) => localB.push(e))
      a.publish(event)
      await expect.poll(() => seenB.length).toBe(1)
      expect(seenB[0]).toEqual(event)
      // Delivered once here (in process), never echoed; another process's event is not "local".
      await new Promise((r) => setTimeout(r, 100))
      expect(seenA).toEqual([event])
      expect(localB).toEqual([])
      await Promise.all([busA.close(), busB.close()])
    },
  )
})

function answers(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url.split(",")[0] ?? url)
  return new Promise((resolve) => {
    const socket = new Socket()
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(2000)
    socket.once("connect", () => done(true))
    socket.once("error", () => done(false))
    socket.once("timeout", () => done(false))
    socket.connect(Number(port || 4222), hostname)
  })
}
