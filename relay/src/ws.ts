import type { WebSocket, WebSocketBehavior } from "uWebSockets.js"
import { type Static, Type } from "@sinclair/typebox"
import { TypeCompiler } from "@sinclair/typebox/compiler"
import { Obj } from "@sotto/protocol/common"
import type { PushEvent } from "@sotto/protocol/push"
import { DEFAULT_WS_LIMITS } from "./config.js"
import type { RelayContext } from "./context.js"
import { RelayError, type RelayErrorCode } from "./errors.js"
import type { RelayEvent } from "./services/events.js"
import type { Session } from "./services/session.js"

// The push channel. Browsers cannot set headers on a WebSocket, so the session token arrives as
// the first message. Events say what changed (protocol/src/push.ts): staff get the tip's new inbox
// line or `removed`, a whistleblower the tip's counts; never anything sealed.

/** How long a new socket may take to send its auth message. */
export const WS_AUTH_TIMEOUT_MS = 10_000
/** Largest message a client may send; auth and ping fit easily. */
export const WS_MAX_MESSAGE_BYTES = 4 * 1024

/** What a client may send: first `auth` with its session token, then only `ping`. */
export const WsClientMessage = Type.Union([
  Obj({ type: Type.Literal("auth"), session: Type.String({ pattern: "^[A-Za-z0-9_-]{43}$" }) }),
  Obj({ type: Type.Literal("ping") }),
])
export type WsClientMessage = Static<typeof WsClientMessage>

/** What the relay sends (the schema is `PushMessage` in protocol/src/push.ts). */
export type WsServerMessage =
  | { readonly type: "ready" }
  | { readonly type: "pong" }
  | { readonly type: "event"; readonly event: PushEvent }
  | {
      readonly type: "error"
      readonly code: RelayErrorCode
      readonly message: string
      readonly field?: string
    }

const checkMessage = TypeCompiler.Compile(WsClientMessage)

// uWS copies user data onto its socket object, whose methods (`unsubscribe`, `close`…) would
// shadow ours: the connection state lives one level down.
interface UserData {
  readonly conn: Conn
}
interface Conn {
  stage: "new" | "authenticating" | "ready" | "closed"
  timer?: NodeJS.Timeout
  queue: Promise<void>
  unsubscribe?: () => void
  /** The session key once authenticated. */
  sessionKey?: string
  ws?: WebSocket<UserData>
}

/** The push channel's behaviour, and how to stop its session checks. */
export interface PushChannel {
  readonly behavior: WebSocketBehavior<unknown>
  /** Open sockets: all, and per session key. */
  counts(): { sockets: number; sessions: number }
  stop(): void
}

// Policy violation: what every refusal closes with.
const CLOSE_POLICY = 1008

/**
 * The WebSocket at `/api/v1/ws`: authenticates the first message, answers `ready`, then forwards
 * each event to sockets entitled to it (staff users listed in the event, or the tip's whistleblower
 * when the event says so). Anything invalid gets an `error` message and the socket is closed.
 * Sockets are capped node-wide (503 on upgrade past it) and per session (RATE_LIMITED on auth),
 * and closed with SESSION_EXPIRED when their session ends: at once on logout or expiry noticed by
 * the session service, otherwise at the next periodic check (idle timeout, lifetime, ended by
 * another request).
 */
export function createPushChannel(ctx: RelayContext): PushChannel {
  const limits = ctx.config.ws ?? DEFAULT_WS_LIMITS
  let open = 0
  const bySession = new Map<string, Set<Conn>>()
  const expire = (conns: Iterable<Conn>) => {
    for (const conn of [...conns]) {
      if (conn.ws)
        refuse(
          conn.ws,
          conn,
          new RelayError("SESSION_EXPIRED", "your session has ended; log in again"),
        )
    }
  }
  const unlisten = ctx.sessions.onEnd((keys) => {
    for (const key of keys) expire(bySession.get(key) ?? [])
  })
  let checking = false
  const check = async () => {
    if (checking) return
    checking = true
    try {
      for (const [key, conns] of [...bySession]) {
        const live = await ctx.sessions.isLive(key).catch(() => true)
        if (!live) expire(conns)
      }
    } finally {
      checking = false
    }
  }
  const sweep = setInterval(() => void check(), limits.sessionCheckSeconds * 1000)
  sweep.unref()
  const behavior: WebSocketBehavior<UserData> = {
    maxPayloadLength: WS_MAX_MESSAGE_BYTES,
    idleTimeout: 60,
    sendPingsAutomatically: true,
    maxBackpressure: 64 * 1024,
    upgrade: (res, req, context) => {
      if (open >= limits.maxSockets) {
        res.cork(() => {
          res.writeStatus("503 Service Unavailable")
          res.writeHeader("Retry-After", "30")
          res.writeHeader("Cache-Control", "no-store")
          res.writeHeader("Content-Type", "application/json; charset=utf-8")
          res.end(
            JSON.stringify(
              new RelayError("OVERLOADED", "too many push connections; try again later").toBody(),
            ),
            true,
          )
        })
        return
      }
      res.upgrade<UserData>(
        { conn: { stage: "new", queue: Promise.resolve() } },
        req.getHeader("sec-websocket-key"),
        req.getHeader("sec-websocket-protocol"),
        req.getHeader("sec-websocket-extensions"),
        context,
      )
    },
    open: (ws) => {
      const { conn } = ws.getUserData()
      open++
      conn.ws = ws
      conn.timer = setTimeout(() => {
        if (conn.stage === "new" || conn.stage === "authenticating") {
          refuse(ws, conn, new RelayError("UNAUTHENTICATED", "send the auth message first"))
        }
      }, WS_AUTH_TIMEOUT_MS)
      conn.timer.unref()
    },
    message: (ws, data, isBinary) => {
      const { conn } = ws.getUserData()
      const message = isBinary ? undefined : parse(data)
      if (!message) {
        refuse(ws, conn, new RelayError("BAD_REQUEST", "send one JSON text message"))
        return
      }
      if (!checkMessage.Check(message)) {
        const first = checkMessage.Errors(message).First()
        const field = `message${first?.path.replaceAll("/", ".") ?? ""}`
        refuse(ws, conn, new RelayError("VALIDATION", `"${field}" is not a valid message`, field))
        return
      }
      if (message.type === "ping" && conn.stage === "ready") {
        send(ws, { type: "pong" })
      } else if (message.type === "auth" && conn.stage === "new") {
        conn.stage = "authenticating"
        void authenticate(ctx, ws, message.session, (session) => {
          const conns = bySession.get(session.key) ?? new Set<Conn>()
          if (conns.size >= limits.maxPerSession) return false
          conns.add(conn)
          bySession.set(session.key, conns)
          conn.sessionKey = session.key
          return true
        })
      } else {
        refuse(
          ws,
          conn,
          new RelayError("VALIDATION", `"message.type" is not expected now`, "message.type"),
        )
      }
    },
    close: (ws) => {
      const { conn } = ws.getUserData()
      open--
      conn.stage = "closed"
      delete conn.ws
      clearTimeout(conn.timer)
      conn.unsubscribe?.()
      if (conn.sessionKey !== undefined) {
        const conns = bySession.get(conn.sessionKey)
        conns?.delete(conn)
        if (conns?.size === 0) bySession.delete(conn.sessionKey)
      }
    },
  }
  return {
    behavior: behavior as unknown as WebSocketBehavior<unknown>,
    counts: () => ({ sockets: open, sessions: bySession.size }),
    stop: () => {
      clearInterval(sweep)
      unlisten()
    },
  }
}

async function authenticate(
  ctx: RelayContext,
  ws: WebSocket<UserData>,
  token: string,
  /** Registers the socket under its session; false when the session has its most sockets. */
  register: (session: Session) => boolean,
): Promise<void> {
  const { conn } = ws.getUserData()
  let session: Session
  try {
    session = await pushSession(ctx, token)
  } catch (e) {
    refuse(
      ws,
      conn,
      e instanceof RelayError ? e : new RelayError("INTERNAL", "session check failed"),
    )
    return
  }
  if (conn.stage === "closed") return
  if (!register(session)) {
    refuse(
      ws,
      conn,
      new RelayError(
        "RATE_LIMITED",
        "this session already has the most push connections open",
        undefined,
        30,
      ),
    )
    return
  }
  conn.stage = "ready"
  clearTimeout(conn.timer)
  conn.unsubscribe = ctx.events.subscribe((event) => {
    // one queue per socket keeps events in the order they happened
    if (conn.stage === "ready" && entitled(session, event)) {
      conn.queue = conn.queue.then(() => forward(ctx, ws, conn, session, event))
    }
  })
  send(ws, { type: "ready" })
}

async function pushSession(ctx: RelayContext, token: string): Promise<Session> {
  const session = await ctx.sessions.authenticate(token)
  if (!session) throw new RelayError("UNAUTHENTICATED", "unknown session")
  if (session.kind === "staff" && session.stage !== "full") {
    throw new RelayError("FORBIDDEN", "finish logging in first")
  }
  return session
}

// The session must still exist when an event arrives: a logout or a wipe ends the push as well.
async function forward(
  ctx: RelayContext,
  ws: WebSocket<UserData>,
  conn: Conn,
  session: Session,
  event: RelayEvent,
): Promise<void> {
  // A store that cannot answer (the relay is shutting down) drops the event rather than the process.
  // Ended, idle too long or past its lifetime: no more events.
  const alive = await ctx.sessions.isLive(session.key).then(
    (live) => live,
    () => undefined,
  )
  if (alive === undefined) return
  if (conn.stage !== "ready") return
  if (!alive) {
    refuse(ws, conn, new RelayError("SESSION_EXPIRED", "your session has ended; log in again"))
    return
  }
  send(ws, { type: "event", event: pushEventFor(session, event) })
}

/**
 * What one session receives of an event: staff the tip's inbox line, or `removed` when the tip
 * left their inbox; a whistleblower only the counts of their tip (never the staff's labels).
 */
export function pushEventFor(session: Session, event: RelayEvent): PushEvent {
  const base = { type: event.type, tipId: event.tipId }
  if (session.kind !== "staff") {
    return event.tip
      ? { ...base, counts: { comments: event.tip.comments, files: event.tip.files } }
      : base
  }
  if (event.type === "tip.deleted" || event.removed?.includes(session.userId)) {
    return { ...base, removed: true }
  }
  return event.tip ? { ...base, tip: event.tip } : base
}

function entitled(session: Session, event: RelayEvent): boolean {
  return session.kind === "staff"
    ? event.users.includes(session.userId)
    : event.wb && session.tipId === event.tipId
}

function send(ws: WebSocket<UserData>, message: WsServerMessage): void {
  ws.send(JSON.stringify(message), false)
}

// Sends the error and closes; a socket already closed is left alone (uWS forbids touching it).
function refuse(ws: WebSocket<UserData>, conn: Conn, error: RelayError): void {
  if (conn.stage === "closed") return
  send(ws, { type: "error", ...error.toBody().error })
  conn.stage = "closed"
  ws.end(CLOSE_POLICY, error.code)
}

function parse(data: ArrayBuffer): unknown {
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(data))
  } catch {
    return undefined
  }
}
