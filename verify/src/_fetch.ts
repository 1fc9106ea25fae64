import type { Agent, IncomingHttpHeaders } from "node:http"
import { request as httpRequest } from "node:http"
import { request as httpsRequest } from "node:https"
import { brotliDecompressSync, gunzipSync } from "node:zlib"
import { SocksProxyAgent } from "socks-proxy-agent"

// One GET as a browser would make it, optionally through a SOCKS5 proxy (Tor: 127.0.0.1:9050,
// host names resolved by the proxy so .onion addresses work). Bodies are decoded here, so a
// node cannot hide a change in its precompressed copies.

/** A fetched file: status, headers and the decoded body. */
export interface Fetched {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  readonly body: Uint8Array
}

/** What the node is asked to send. */
export type Encoding = "identity" | "gzip" | "br"

/** Answers larger than this are cut off: a hostile node cannot exhaust the checker's memory. */
const MAX_BYTES = 64 * 1024 * 1024

/** A getter bound to a base URL and an optional SOCKS5 proxy (`host:port`). */
export function createGetter(
  base: URL,
  socks5?: string,
): (path: string, encoding: Encoding) => Promise<Fetched> {
  const agent: Agent | undefined = socks5 ? new SocksProxyAgent(`socks5h://${socks5}`) : undefined
  const request = base.protocol === "https:" ? httpsRequest : httpRequest
  return (path, encoding) =>
    new Promise((resolve, reject) => {
      const url = new URL(path, base)
      const req = request(
        url,
        { method: "GET", headers: { "accept-encoding": encoding }, ...(agent ? { agent } : {}) },
        (res) => {
          const chunks: Buffer[] = []
          let size = 0
          res.on("data", (chunk: Buffer) => {
            size += chunk.length
            if (size > MAX_BYTES) req.destroy(new Error(`${path}: more than ${MAX_BYTES} bytes`))
            else chunks.push(chunk)
          })
          res.on("error", reject)
          res.on("end", () => {
            try {
              const raw = Buffer.concat(chunks)
              const coding = res.headers["content-encoding"]
              const body =
                coding === "br"
                  ? brotliDecompressSync(raw)
                  : coding === "gzip"
                    ? gunzipSync(raw)
                    : raw
              resolve({
                status: res.statusCode ?? 0,
                headers: res.headers,
                body: new Uint8Array(body),
              })
            } catch (e) {
              reject(e)
            }
          })
        },
      )
      req.setTimeout(120_000, () => req.destroy(new Error(`${path}: timed out`)))
      req.on("error", reject)
      req.end()
    })
}
