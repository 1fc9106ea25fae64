import { createServer, type Socket, connect as tcpConnect } from "node:net"

// A TCP proxy that behaves like a slow link: each direction is paced to its own rate in small
// pieces (a steady flow, as a real slow link or a Tor circuit gives) and delayed by half the
// round-trip time. The slow-link bench runs a second measurement through it, so its figures do
// not rest on Chromium's CDP emulation alone (which throttles uploads in bursts).

/** A running throttled proxy. */
export interface ThrottleProxy {
  /** `http://localhost:<port>`: open pages here. */
  readonly baseUrl: string
  close(): Promise<void>
}

const PIECE = 1024
const HIGH_WATER = 64 * 1024

/** Copies `from` to `to` at `bytesPerSecond`, each piece arriving `delayMs` after it is due. */
function pace(from: Socket, to: Socket, bytesPerSecond: number, delayMs: number): void {
  let nextFree = 0
  let queued = 0
  from.on("data", (chunk: Buffer) => {
    for (let i = 0; i < chunk.length; i += PIECE) {
      const piece = chunk.subarray(i, i + PIECE)
      const now = performance.now()
      nextFree = Math.max(nextFree, now) + (piece.length / bytesPerSecond) * 1000
      queued += piece.length
      setTimeout(
        () => {
          queued -= piece.length
          if (!to.destroyed) to.write(piece)
          if (queued < HIGH_WATER / 2 && from.isPaused()) from.resume()
        },
        nextFree + delayMs - now,
      )
    }
    if (queued > HIGH_WATER) from.pause()
  })
  from.on("end", () => {
    setTimeout(() => to.end(), Math.max(0, nextFree + delayMs - performance.now()) + 1)
  })
}

/**
 * Starts a proxy to `127.0.0.1:port` with `latencyMs` round trip, `downKbit` towards the browser
 * and `upKbit` towards the relay.
 */
export async function startThrottleProxy(
  port: number,
  link: { latencyMs: number; downKbit: number; upKbit: number },
): Promise<ThrottleProxy> {
  const sockets = new Set<Socket>()
  const server = createServer((client) => {
    const relay = tcpConnect(port, "127.0.0.1")
    for (const s of [client, relay]) {
      sockets.add(s)
      s.setNoDelay(true)
      s.on("error", () => {
        client.destroy()
        relay.destroy()
      })
      s.on("close", () => {
        sockets.delete(s)
        client.destroy()
        relay.destroy()
      })
    }
    pace(client, relay, (link.upKbit * 1000) / 8, link.latencyMs / 2)
    pace(relay, client, (link.downKbit * 1000) / 8, link.latencyMs / 2)
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const address = server.address()
  if (!address || typeof address === "string") throw new Error("proxy has no port")
  return {
    baseUrl: `http://localhost:${address.port}`,
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
