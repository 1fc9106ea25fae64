import { createServer, type Socket, connect as tcpConnect } from "node:net"

// A TCP proxy between the browser and a relay, so a test can take the relay away and bring a new
// one back (same data dir) while the page keeps the same origin. Cutting the proxy drops every
// open connection at once, as a relay process that dies does; a relay stopped in-process would
// otherwise keep serving its open keep-alive connections, and bind its port for a while.

/** A running proxy: the origin the browser uses, and the switch behind it. */
export interface RelayProxy {
  /** `http://127.0.0.1:<port>`: open pages here. */
  readonly baseUrl: string
  /** Sends new connections to the relay on `port`. */
  target(port: number): void
  /** Drops every open connection and refuses new ones until {@link RelayProxy.target}. */
  cut(): void
  close(): Promise<void>
}

/** Starts a proxy to the relay listening on `port` (127.0.0.1). */
export async function startRelayProxy(port: number): Promise<RelayProxy> {
  let upstream: number | undefined = port
  const open = new Set<() => void>()
  const server = createServer((client: Socket) => {
    if (upstream === undefined) {
      client.destroy()
      return
    }
    const relay = tcpConnect(upstream, "127.0.0.1")
    const drop = () => {
      client.destroy()
      relay.destroy()
      open.delete(drop)
    }
    open.add(drop)
    client.on("error", drop).on("close", drop)
    relay.on("error", drop).on("close", drop)
    client.pipe(relay)
    relay.pipe(client)
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const address = server.address()
  if (address === null || typeof address === "string") throw new Error("proxy has no port")
  const cut = () => {
    upstream = undefined
    for (const drop of [...open]) drop()
  }
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    target: (next) => {
      upstream = next
    },
    cut,
    close: () => {
      cut()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}
