import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from "node:http"
import { connect as tcpConnect } from "node:net"

// The evil relay: an HTTP layer in front of a real relay that records everything the clients send
// and lets a test rewrite any answer, as a seized or compromised server would. Protocol v2's
// attack tests drive crypto-core, the workers and the real PWA through it and then assert two
// things: the client refused (fail closed, an explanation shown), and nothing it sent carried
// key material or plaintext (`sawText`). WebSockets pass through untouched (recorded as opened).

/** One request as it reached the evil relay, and the answer the client got. */
export interface Exchange {
  readonly method: string
  /** Path and query, e.g. `/api/v1/tips?x=1`. */
  readonly url: string
  readonly requestHeaders: IncomingHttpHeaders
  readonly requestBody: Buffer
  status: number
  responseBody: Buffer
  /** True when a tamper hook changed or made up the answer. */
  tampered: boolean
}

/** What a hook sees of a request. */
export interface EvilRequest {
  readonly method: string
  readonly url: string
  readonly path: string
  readonly headers: IncomingHttpHeaders
  readonly body: Buffer
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json(): unknown
}

/** The real relay's answer, as a response hook sees it. */
export interface EvilResponse {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  readonly body: Buffer
  json(): unknown
}

/** A replacement answer; a plain object or array body is sent as JSON. */
export interface EvilAnswer {
  readonly status?: number
  readonly headers?: Record<string, string>
  readonly body?: Buffer | string | object
}

/** Runs before forwarding: return an answer to reply without asking the relay at all. */
export type RequestHook = (
  req: EvilRequest,
) => EvilAnswer | undefined | Promise<EvilAnswer | undefined>
/** Runs on the relay's answer: return a replacement, or undefined to pass it on unchanged. */
export type ResponseHook = (
  req: EvilRequest,
  res: EvilResponse,
) => EvilAnswer | undefined | Promise<EvilAnswer | undefined>

/** A running evil relay. */
export interface EvilRelay {
  /** `http://127.0.0.1:<port>`: point clients and pages here instead of at the relay. */
  readonly baseUrl: string
  /** Every exchange so far, oldest first. */
  readonly seen: readonly Exchange[]
  onRequest(hook: RequestHook | undefined): void
  onResponse(hook: ResponseHook | undefined): void
  /** Whether any request (URL, headers or body) that reached this layer contains `needle`. */
  sawText(needle: string): boolean
  /** Forgets the recorded exchanges (the hooks stay). */
  clear(): void
  close(): Promise<void>
}

/** Starts an evil relay in front of the relay at `target` (`http://127.0.0.1:<port>`). */
export async function startEvilRelay(target: string): Promise<EvilRelay> {
  const upstream = new URL(target)
  const seen: Exchange[] = []
  let requestHook: RequestHook | undefined
  let responseHook: ResponseHook | undefined

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "application/json" })
      res.end(JSON.stringify({ error: { code: "EVIL_RELAY", message: String(error) } }))
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readAll(req)
    const url = req.url ?? "/"
    const evilReq: EvilRequest = {
      method: req.method ?? "GET",
      url,
      path: url.split("?")[0] ?? url,
      headers: req.headers,
      body,
      json: () => parseJson(body),
    }
    const exchange: Exchange = {
      method: evilReq.method,
      url,
      requestHeaders: req.headers,
      requestBody: body,
      status: 0,
      responseBody: Buffer.alloc(0),
      tampered: false,
    }
    seen.push(exchange)
    const made = await requestHook?.(evilReq)
    if (made !== undefined) {
      exchange.tampered = true
      send(res, exchange, 200, {}, made)
      return
    }
    const real = await forward(upstream, evilReq)
    const replaced = await responseHook?.(evilReq, {
      ...real,
      json: () => parseJson(real.body),
    })
    if (replaced === undefined) {
      exchange.status = real.status
      exchange.responseBody = real.body
      res.writeHead(real.status, passableHeaders(real.headers, real.body.length))
      res.end(real.body)
      return
    }
    exchange.tampered = true
    send(res, exchange, real.status, real.headers, replaced)
  }

  // WebSockets (live events) are piped through unchanged; the upgrade request is recorded.
  server.on("upgrade", (req: IncomingMessage, socket, head) => {
    seen.push({
      method: "UPGRADE",
      url: req.url ?? "/",
      requestHeaders: req.headers,
      requestBody: Buffer.alloc(0),
      status: 101,
      responseBody: Buffer.alloc(0),
      tampered: false,
    })
    const relay = tcpConnect(Number(upstream.port), upstream.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`]
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`)
      }
      relay.write(`${lines.join("\r\n")}\r\n\r\n`)
      if (head.length > 0) relay.write(head)
      socket.pipe(relay)
      relay.pipe(socket)
    })
    const drop = () => {
      socket.destroy()
      relay.destroy()
    }
    socket.on("error", drop).on("close", drop)
    relay.on("error", drop).on("close", drop)
  })

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const address = server.address()
  if (address === null || typeof address === "string") throw new Error("evil relay has no port")
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    seen,
    onRequest: (hook) => {
      requestHook = hook
    },
    onResponse: (hook) => {
      responseHook = hook
    },
    sawText: (needle) =>
      seen.some(
        (x) =>
          x.url.includes(needle) ||
          JSON.stringify(x.requestHeaders).includes(needle) ||
          x.requestBody.includes(needle),
      ),
    clear: () => {
      seen.length = 0
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function send(
  res: ServerResponse,
  exchange: Exchange,
  status: number,
  headers: IncomingHttpHeaders,
  answer: EvilAnswer,
): void {
  const isJson =
    answer.body !== undefined && !Buffer.isBuffer(answer.body) && typeof answer.body !== "string"
  const body =
    answer.body === undefined
      ? Buffer.alloc(0)
      : Buffer.isBuffer(answer.body)
        ? answer.body
        : Buffer.from(typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body))
  exchange.status = answer.status ?? status
  exchange.responseBody = body
  res.writeHead(exchange.status, {
    ...passableHeaders(headers, body.length),
    ...(isJson ? { "content-type": "application/json" } : {}),
    ...answer.headers,
  })
  res.end(body)
}

async function forward(
  upstream: URL,
  req: EvilRequest,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  // API answers come uncompressed so hooks can read them; static files keep their encoding.
  const headers = { ...req.headers, host: upstream.host }
  if (req.path.startsWith("/api/")) delete headers["accept-encoding"]
  return new Promise((resolve, reject) => {
    const out = httpRequest(
      {
        host: upstream.hostname,
        port: Number(upstream.port),
        method: req.method,
        path: req.url,
        headers,
      },
      (res) => {
        readAll(res)
          .then((body) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body }))
          .catch(reject)
      },
    )
    out.on("error", reject)
    out.end(req.body)
  })
}

function passableHeaders(headers: IncomingHttpHeaders, length: number): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue
    if (["content-length", "transfer-encoding", "connection", "keep-alive"].includes(name)) continue
    out[name] = Array.isArray(value) ? value.join(", ") : value
  }
  out["content-length"] = String(length)
  return out
}

function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    stream.on("data", (c: Buffer) => chunks.push(c))
    stream.on("end", () => resolve(Buffer.concat(chunks)))
    stream.on("error", reject)
  })
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"))
  } catch {
    return undefined
  }
}
