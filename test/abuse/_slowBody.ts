import { type ClientRequest, request } from "node:http"

/** A request whose body is still arriving: the relay holds it in flight until `abandon`. */
export interface SlowBody {
  /** Resolves with status, headers and JSON body if the relay answers before the body is sent. */
  readonly answered: Promise<{
    status: number
    headers: Record<string, string | string[] | undefined>
    body: unknown
  }>
  abandon(): void
}

/** Starts a request declaring `length` bytes and sends only the first few. */
export function slowBody(
  baseUrl: string,
  path: string,
  method: string,
  headers: Record<string, string | number>,
  length: number,
): SlowBody {
  const url = new URL(baseUrl)
  let req: ClientRequest | undefined
  const answered = new Promise<{
    status: number
    headers: Record<string, string | string[] | undefined>
    body: unknown
  }>((resolve, reject) => {
    req = request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method,
        headers: { ...headers, "Content-Length": length },
        agent: false,
      },
      (res) => {
        let text = ""
        res.on("data", (d: Buffer) => {
          text += d.toString()
        })
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: text ? JSON.parse(text) : undefined,
          }),
        )
      },
    )
    req.on("error", reject)
    req.write(new Uint8Array(16))
  })
  answered.catch(() => {})
  return { answered, abandon: () => req?.destroy() }
}

/** Resolves with `promise`'s value, or "pending" if it has not settled within `ms`. */
export function within<T>(promise: Promise<T>, ms: number): Promise<T | "pending"> {
  return Promise.race([promise, new Promise<"pending">((r) => setTimeout(() => r("pending"), ms))])
}
