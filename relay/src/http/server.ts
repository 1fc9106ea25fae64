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
import type { Admission, Ticket } from "./admission.js"
import { type ResponseKind, writeSecurityHeaders } from "./headers.js"
import { claimSharedPort, type PortClaim } from "./portClaim.js"
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
      /** Which security headers it gets (`securityHeadersFor`); `api` when absent. */
      readonly security?: ResponseKind
    }
  | {
      readonly kind: "bytes"
      readonly status: number
      readonly body: Uint8Array
      readonly contentType: string
      readonly headers?: ReadonlyArray<readonly [string, string]>
      /** Which security headers it gets (`securityHeadersFor`); `api` when absent. */
      readonly security?: ResponseKind
    }
  | {
      readonly kind: "stream"
      readonly status: number
      readonly contentType: string
      readonly chunks: AsyncIterable<Uint8Array>
      readonly headers?: ReadonlyArray<readonly [string, string]>
      /** Which security headers it gets (`securityHeadersFor`); `api` when absent. */
      readonly security?: ResponseKind
    }

/** A matched request: how much body to accept, and how to admit it before reading any body. */
export interface Matched {
  readonly bodyLimit: number
  /**
   * Authenticates from the headers alone, before any body byte is buffered.
   * @throws RelayError (401, 403…) to refuse the request unread.
   */
  admit(): Promise<Admitted>
}

/** A request whose caller is known: who counts against which caps, and what to run. */
export interface Admitted {
  /** The caller's session (for per-session caps); undefined without one. */
  readonly sessionKey?: string | undefined
  /** Counts against the anonymous caps (no session, or a whistleblower's). */
  readonly anonymous: boolean
  run(body: Uint8Array): Promise<Outgoing>
}

export interface HttpServerOptions {
  readonly host: string
  readonly port: number
  readonly log: Logger
  readonly onionAddress?: string
  /** Caps on requests, bodies and bytes in flight. */
  readonly admission: Admission
  /** Picks the handler; throws RelayError (400, 401, 404, 405, 415…) before any body is read. */
  resolve(req: Incoming): Matched
  /**
   * Share the port with other processes of the same node (SO_REUSEPORT), named by its claim; the
   * port is exclusive without it. @see claimSharedPort
   */
  readonly sharePort?: PortClaim
  /** WebSocket behaviour mounted at `wsPath`. */
  readonly ws?: { readonly path: string; readonly behavior: WebSocketBehavior<unknown> }
}

/** A running uWS server. */
export interface HttpServer {
  readonly app: TemplatedApp
  readonly port: number
  close(): void
}

// No "uWebSockets: 20" header on responses: this build drops it when configured "silent".
uWS._cfg("silent")

/**
 * Starts uWebSockets.js (the native build; the JS fallback is never used) on an exclusive port and
 * routes every request through `resolve`. A request takes a slot of `admission` (503 when full),
 * is authenticated from its headers with the body paused, and only then is its body read, within
 * the route's limit (413 past it) and the global, anonymous and per-session byte caps.
 * @throws Error naming host and port when the port cannot be taken (another relay holds it).
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
    const declared = Number(headers.get("content-length") ?? "0")
    const hasBody = declared > 0 || headers.has("transfer-encoding")
    let ticket: Ticket | undefined
    res.onAborted(() => {
      state.aborted = true
      ticket?.release()
      // a stream waiting for the socket to drain would otherwise wait forever
      state.wake?.()
    })
    // Refusals before the body is read close the connection so its body is never parsed.
    const refuse = (e: unknown) => {
      ticket?.release()
      void send(res, state, errorResponse(e, options.log), options, hasBody)
    }
    let matched: Matched
    try {
      matched = options.resolve(incoming)
      if (!Number.isFinite(declared) || declared < 0)
        throw new RelayError("BAD_REQUEST", "Content-Length is not a byte count", "content-length")
      if (declared > matched.bodyLimit) throw tooLarge(matched.bodyLimit)
      ticket = options.admission.enter(hasBody)
    } catch (e) {
      refuse(e)
      return
    }
    const held = ticket
    const body = new BodyBuffer(declared, headers.has("transfer-encoding"))
    let admitted: Admitted | undefined
    let complete = !hasBody
    const finish = () => {
      if (!admitted || !complete || state.aborted) return
      void runAndSend(res, state, admitted, body.bytes(), options).finally(() => held.release())
    }
    if (hasBody) {
      res.onData((chunk, isLast) => {
        if (state.aborted || complete) return
        try {
          // uWS reuses the chunk's memory after this callback returns: copy it.
          body.append(chunk, matched.bodyLimit, (n) => held.addBytes(n))
        } catch (e) {
          complete = true
          refuse(e)
          state.aborted = true
          return
        }
        if (isLast) {
          complete = true
          finish()
        }
      })
      // Nothing more is read from the socket until the caller is known.
      res.pause()
    }
    matched.admit().then(
      (who) => {
        if (state.aborted) return
        try {
          held.bind(who)
          if (hasBody) body.admit((n) => held.addBytes(n))
        } catch (e) {
          refuse(e)
          state.aborted = true
          return
        }
        admitted = who
        if (hasBody) res.resume()
        finish()
      },
      (e: unknown) => {
        if (state.aborted) return
        refuse(e)
        state.aborted = true
      },
    )
  })
  const claim = options.sharePort
    ? await claimSharedPort(options.sharePort, options.port)
    : undefined
  const socket = await new Promise<us_listen_socket>((resolve, reject) => {
    // Exclusive unless shared within one node: a second relay must fail here, not share visitors.
    ;(app.listen as unknown as ExclusiveListen).call(
      app,
      options.host,
      options.port,
      claim ? LISTEN_SHARED : LISTEN_EXCLUSIVE,
      (s) =>
        s
          ? resolve(s)
          : reject(
              new Error(
                `cannot listen on ${options.host}:${options.port}: the port is in use (is another relay running on it?)`,
              ),
            ),
    )
  }).catch((e: unknown) => {
    claim?.release()
    throw e
  })
  return {
    app,
    port: uWS.us_socket_local_port(socket),
    close: () => {
      uWS.us_listen_socket_close(socket)
      claim?.release()
    },
  }
}

// uWS's LIBUS_LISTEN_EXCLUSIVE_PORT: no SO_REUSEPORT, so a port already taken fails to listen.
const LISTEN_EXCLUSIVE = 1
// LIBUS_LISTEN_DEFAULT: SO_REUSEPORT on Linux, the kernel spreads connections across the processes.
const LISTEN_SHARED = 0
// The build takes (host, port, options, cb); its typings only declare (port, options, cb).
type ExclusiveListen = (
  host: string,
  port: number,
  options: number,
  cb: (socket: us_listen_socket | false) => void,
) => TemplatedApp

// Whether the client went away, and how to wake a stream waiting for the socket to drain.
interface SendState {
  aborted: boolean
  wake?: () => void
}

/**
 * A request body, in one buffer sized from Content-Length once the caller is admitted (one
 * allocation, one copy per piece, no concatenation); in pieces for a chunked body or for what
 * arrives before admission, so an unidentified caller costs only the bytes it sent, never its
 * declared length. Counts its memory with the admission as it allocates it.
 */
class BodyBuffer {
  #whole: Uint8Array | undefined
  #parts: Uint8Array[] = []
  #received = 0

  constructor(
    private readonly declared: number,
    private readonly chunked: boolean,
  ) {}

  /** Moves to one buffer of the declared size (when there is one). @throws RelayError the admission's cap. */
  admit(count: (n: number) => void): void {
    if (this.chunked || this.declared <= 0 || this.#whole) return
    count(this.declared - this.#received)
    const whole = new Uint8Array(this.declared)
    let at = 0
    for (const part of this.#parts) {
      whole.set(part, at)
      at += part.byteLength
    }
    this.#whole = whole
    this.#parts = []
  }

  /** @throws RelayError BODY_TOO_LARGE past `limit` or Content-Length, or the admission's cap. */
  append(chunk: ArrayBuffer, limit: number, count: (n: number) => void): void {
    const at = this.#received
    this.#received += chunk.byteLength
    if (this.#received > limit) throw tooLarge(limit)
    if (!this.chunked && this.declared > 0 && this.#received > this.declared)
      throw tooLarge(this.declared)
    if (this.#whole) {
      this.#whole.set(new Uint8Array(chunk), at)
      return
    }
    count(chunk.byteLength)
    this.#parts.push(new Uint8Array(chunk.slice(0)))
  }

  /** The bytes received. */
  bytes(): Uint8Array {
    if (this.#whole) return this.#whole.subarray(0, this.#received)
    const [only] = this.#parts
    return this.#parts.length === 1 && only ? only : concatBytes(...this.#parts)
  }
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
  admitted: Admitted,
  body: Uint8Array,
  options: HttpServerOptions,
): Promise<void> {
  let out: Outgoing
  try {
    out = await admitted.run(body)
  } catch (e) {
    out = errorResponse(e, options.log)
  }
  await send(res, state, out, options)
}

/**
 * Turns any thrown value into the JSON error body, never cached; unexpected errors are logged
 * without detail leaking out.
 */
export function errorResponse(e: unknown, log: Logger): Outgoing {
  if (e instanceof RelayError) {
    const headers: Array<[string, string]> = [["Cache-Control", "no-store"]]
    if (e.retryAfter !== undefined) headers.push(["Retry-After", String(e.retryAfter)])
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
    headers: [["Cache-Control", "no-store"]],
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
    writeSecurityHeaders(res, out.security ?? "api", options.onionAddress)
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
