import type {
  HttpResponse,
  TemplatedApp,
  us_listen_socket,
  WebSocketBehavior,
} from "uWebSockets.js"
import uWS from "uWebSockets.js"
import { concatBytes } from "@sotto/crypto-core"
import { RelayError } from "../errors.js"
import type { Logger } from "../log.js"
import { writeSecurityHeaders } from "./headers.js"
import { statusLine } from "./statusText.js"

/** What the server knows of a request before its body arrives. */
export interface Incoming {
  readonly method: string
  readonly path: string
  readonly query: string
  readonly headers: ReadonlyMap<string, string>
}

/** A response, as handlers produce it. */
export type Outgoing =
  | {
      readonly kind: "json"
      readonly status: number
      readonly body: unknown
      readonly headers?: ReadonlyArray<readonly [string, string]>
    }
  | {
      readonly kind: "bytes"
      readonly status: number
      readonly body: Uint8Array
      readonly contentType: string
      readonly headers?: ReadonlyArray<readonly [string, string]>
    }
  | {
      readonly kind: "stream"
      readonly status: number
      readonly contentType: string
      readonly chunks: AsyncIterable<Uint8Array>
      readonly headers?: ReadonlyArray<readonly [string, string]>
    }

/** A matched request: how much body to accept, and what to run once it has arrived. */
export interface Matched {
  readonly bodyLimit: number
  run(body: Uint8Array): Promise<Outgoing>
}

export interface HttpServerOptions {
  readonly host: string
  readonly port: number
  readonly log: Logger
  readonly onionAddress?: string
  /** Picks the handler; throws RelayError (404, 405, 415…) before any body is read. */
  resolve(req: Incoming): Matched
  /** WebSocket behaviour mounted at `wsPath`. */
  readonly ws?: { readonly path: string; readonly behavior: WebSocketBehavior<unknown> }
}

/** A running uWS server. */
export interface HttpServer {
  readonly app: TemplatedApp
  readonly port: number
  close(): void
}

/**
 * Starts uWebSockets.js (the native build; the JS fallback is never used) and routes every request
 * through `resolve`. Bodies are read with the route's limit and refused with 413 past it.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const app = uWS.App()
  if (options.ws) app.ws(options.ws.path, options.ws.behavior)
  app.any("/*", (res, req) => {
    const headers = new Map<string, string>()
    req.forEach((k, v) => {
      headers.set(k, v)
    })
    const incoming: Incoming = {
      method: req.getMethod().toUpperCase(),
      path: req.getUrl(),
      query: req.getQuery() ?? "",
      headers,
    }
    const state: SendState = { aborted: false }
    res.onAborted(() => {
      state.aborted = true
      // a stream waiting for the socket to drain would otherwise wait forever
      state.wake?.()
    })
    let matched: Matched
    try {
      matched = options.resolve(incoming)
    } catch (e) {
      send(res, state, errorResponse(e, options.log), options)
      return
    }
    const declared = Number(headers.get("content-length") ?? "0")
    if (declared > matched.bodyLimit) {
      send(res, state, errorResponse(tooLarge(matched.bodyLimit), options.log), options, true)
      return
    }
    const hasBody = declared > 0 || headers.has("transfer-encoding")
    if (!hasBody) {
      void runAndSend(res, state, matched, new Uint8Array(0), options)
      return
    }
    const parts: Uint8Array[] = []
    let received = 0
    res.onData((chunk, isLast) => {
      if (state.aborted) return
      received += chunk.byteLength
      if (received > matched.bodyLimit) {
        send(res, state, errorResponse(tooLarge(matched.bodyLimit), options.log), options, true)
        state.aborted = true
        return
      }
      // uWS reuses the chunk's memory after this callback returns: copy it.
      parts.push(new Uint8Array(chunk.slice(0)))
      if (isLast)
        void runAndSend(
          res,
          state,
          matched,
          parts.length === 1 && parts[0] ? parts[0] : concatBytes(...parts),
          options,
        )
    })
  })
  const socket = await new Promise<us_listen_socket>((resolve, reject) => {
    app.listen(options.host, options.port, (s) =>
      s ? resolve(s) : reject(new Error(`cannot listen on ${options.host}:${options.port}`)),
    )
  })
  return {
    app,
    port: uWS.us_socket_local_port(socket),
    close: () => uWS.us_listen_socket_close(socket),
  }
}

// Whether the client went away, and how to wake a stream waiting for the socket to drain.
interface SendState {
  aborted: boolean
  wake?: () => void
}

function tooLarge(limit: number): RelayError {
  return new RelayError(
    "BODY_TOO_LARGE",
    `"body" exceeds this route's limit of ${limit} bytes`,
    "body",
  )
}

async function runAndSend(
  res: HttpResponse,
  state: SendState,
  matched: Matched,
  body: Uint8Array,
  options: HttpServerOptions,
) {
  let out: Outgoing
  try {
    out = await matched.run(body)
  } catch (e) {
    out = errorResponse(e, options.log)
  }
  await send(res, state, out, options)
}

/** Turns any thrown value into the JSON error body; unexpected errors are logged without detail leaking out. */
export function errorResponse(e: unknown, log: Logger): Outgoing {
  if (e instanceof RelayError) {
    const headers: Array<[string, string]> =
      e.retryAfter === undefined ? [] : [["Retry-After", String(e.retryAfter)]]
    return { kind: "json", status: e.status, body: e.toBody(), headers }
  }
  log.error("internal_error", {
    name: e instanceof Error ? e.name : typeof e,
    stack: e instanceof Error ? e.stack?.split("\n")[1]?.trim() : undefined,
  })
  return {
    kind: "json",
    status: 500,
    body: new RelayError("INTERNAL", "the relay hit an internal error").toBody(),
  }
}

async function send(
  res: HttpResponse,
  state: SendState,
  out: Outgoing,
  options: HttpServerOptions,
  close = false,
): Promise<void> {
  if (state.aborted) return
  const head = (contentType: string) => {
    res.writeStatus(statusLine(out.status))
    writeSecurityHeaders(res, options.onionAddress)
    res.writeHeader("Content-Type", contentType)
    for (const [k, v] of out.headers ?? []) res.writeHeader(k, v)
  }
  if (out.kind === "json" || out.kind === "bytes") {
    const body = out.kind === "json" ? JSON.stringify(out.body) : out.body
    res.cork(() => {
      head(out.kind === "json" ? "application/json; charset=utf-8" : out.contentType)
      res.end(body, close)
    })
    return
  }
  res.cork(() => head(out.contentType))
  try {
    for await (const chunk of out.chunks) {
      if (state.aborted) return
      let ok = true
      res.cork(() => {
        ok = res.write(chunk)
      })
      if (!ok) {
        await new Promise<void>((resolve) => {
          state.wake = resolve
          res.onWritable(() => {
            resolve()
            return true
          })
        })
        if (state.aborted) return
      }
    }
  } catch (e) {
    options.log.error("stream_failed", { name: e instanceof Error ? e.name : typeof e })
    if (!state.aborted) res.close()
    return
  }
  if (!state.aborted) res.cork(() => res.end())
}
