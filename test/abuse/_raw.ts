import { request } from "node:http"

/** A response as the relay sent it: status, headers (lower-case names) and body. */
export interface RawResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  readonly body: Buffer
}

/**
 * Sends one request with `path` exactly as given (no URL normalisation, unlike fetch), so tests
 * can send `..` segments, malformed percent-encoding and the like.
 */
export function rawRequest(
  baseUrl: string,
  path: string,
  options: {
    method?: string
    headers?: Record<string, string | number>
    body?: Uint8Array
    /** Drop the body instead of keeping it (large downloads in floods). */
    discard?: boolean
  } = {},
): Promise<RawResponse> {
  const url = new URL(baseUrl)
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: options.method ?? "GET",
        headers: options.headers,
        agent: false,
      },
      (res) => {
        const parts: Buffer[] = []
        res.on("data", (d: Buffer) => {
          if (!options.discard) parts.push(d)
        })
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(parts),
          }),
        )
        res.on("error", reject)
      },
    )
    req.on("error", reject)
    req.end(options.body)
  })
}

/** Runs `task` for 0..count-1, at most `parallel` at a time; returns the results in order. */
export async function inBatches<T>(
  count: number,
  parallel: number,
  task: (i: number) => Promise<T>,
): Promise<T[]> {
  const out: T[] = new Array(count)
  let next = 0
  const worker = async () => {
    while (next < count) {
      const i = next++
      out[i] = await task(i)
    }
  }
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker))
  return out
}
