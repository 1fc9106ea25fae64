import type { TSchema } from "@sinclair/typebox"
import { TypeCompiler } from "@sinclair/typebox/compiler"
import { Value } from "@sinclair/typebox/value"
import "@sotto/protocol/ageFormat"
import { AGE_FILE_FORMAT } from "@sotto/protocol/common"
import {
  type AnyRoute,
  BINARY,
  type BodyOf,
  type ParamsOf,
  type QueryOf,
  type ResponseOf,
} from "@sotto/protocol/route"
import { RelayError } from "../errors.js"
import type { Session } from "../services/session.js"
import type { Admitted, Incoming, Matched, Outgoing } from "./server.js"

/** What a handler receives: validated params, query and body, and the caller's session. */
export interface HandlerContext<S extends AnyRoute> {
  readonly params: ParamsOf<S>
  readonly query: QueryOf<S>
  readonly body: BodyOf<S>
  readonly session: Session | undefined
  readonly headers: ReadonlyMap<string, string>
}

/** Wraps a full {@link Outgoing} (a stream, bytes, another status) so a handler can return it. */
export class Reply {
  constructor(readonly out: Outgoing) {}
}

/** A handler returns the route's response body, or a {@link Reply}. */
export type Handler<S extends AnyRoute> = (ctx: HandlerContext<S>) => Promise<ResponseOf<S> | Reply>

/** A route spec with its handler. */
export interface BoundRoute {
  readonly spec: AnyRoute
  readonly handler: Handler<AnyRoute>
}

/** Binds a handler to its spec, keeping the types checked at the call site. */
export function bind<S extends AnyRoute>(spec: S, handler: Handler<S>): BoundRoute {
  return { spec, handler: handler as unknown as Handler<AnyRoute> }
}

/** The default body limit for JSON routes. */
export const DEFAULT_BODY_LIMIT = 64 * 1024

interface Compiled {
  readonly route: BoundRoute
  readonly pattern: RegExp
  readonly names: readonly string[]
  readonly check: { params?: Checker; query?: Checker; body?: Checker }
}
type Checker = (value: unknown, where: string) => unknown

export interface ResolverOptions {
  readonly routes: readonly BoundRoute[]
  /** Looks up the `X-Session` token; throws RelayError SESSION_EXPIRED for a stale one. */
  authenticate(token: string): Promise<Session | undefined>
  /** Serves anything outside `/api/`: the built PWA. */
  serveStatic(req: Incoming): Matched
}

/**
 * Builds the request resolver: route matching and header checks (media type, a session header
 * where one is needed) synchronously; then, before any body is read, authentication and access
 * control (`admit`); once the body is in, schema validation and the handler.
 */
export function createResolver(options: ResolverOptions): (req: Incoming) => Matched {
  const compiled = options.routes.map(compile)
  return (req) => {
    if (!req.path.startsWith("/api/")) return options.serveStatic(req)
    let pathMatched = false
    for (const c of compiled) {
      const m = c.pattern.exec(req.path)
      if (!m) continue
      pathMatched = true
      if (c.route.spec.method !== req.method) continue
      const spec = c.route.spec
      if (spec.body !== undefined && spec.body !== BINARY) {
        const type = req.headers.get("content-type") ?? ""
        if (!type.startsWith("application/json")) {
          throw new RelayError("UNSUPPORTED_MEDIA_TYPE", "send the body as application/json")
        }
      }
      // A route that needs a session is refused from its headers, before its body is read.
      if (spec.access !== "public" && !req.headers.get("x-session"))
        throw new RelayError("UNAUTHENTICATED", "log in first (send the X-Session header)")
      const rawParams = Object.fromEntries(c.names.map((n, i) => [n, decodeParam(m[i + 1])]))
      return {
        bodyLimit: spec.body === undefined ? 0 : (spec.bodyLimit ?? DEFAULT_BODY_LIMIT),
        admit: async (): Promise<Admitted> => {
          const session = await authorize(spec, req, options)
          return {
            sessionKey: session?.key,
            anonymous: session === undefined || session.kind === "wb",
            run: (bytes) => run(c, req, rawParams, session, bytes),
          }
        },
      }
    }
    if (pathMatched) throw new RelayError("METHOD_NOT_ALLOWED", `${req.method} is not allowed here`)
    throw new RelayError("NOT_FOUND", `no API route ${req.method} ${req.path}`)
  }
}

async function run(
  c: Compiled,
  req: Incoming,
  rawParams: Record<string, string>,
  session: Session | undefined,
  bytes: Uint8Array,
): Promise<Outgoing> {
  const spec = c.route.spec
  const params = c.check.params ? c.check.params(rawParams, "params") : {}
  const query = c.check.query
    ? c.check.query(Object.fromEntries(new URLSearchParams(req.query)), "query")
    : {}
  const body =
    spec.body === BINARY ? bytes : c.check.body ? c.check.body(parseJson(bytes), "body") : undefined
  const result = await c.route.handler({
    params,
    query,
    body,
    session,
    headers: req.headers,
  } as never)
  const out: Outgoing =
    result instanceof Reply
      ? result.out
      : { kind: "json", status: spec.status ?? 200, body: result }
  return { ...out, headers: [...(out.headers ?? []), ["Cache-Control", "no-store"]] }
}

// A path parameter that is not valid percent-encoding is the client's mistake, not a 500.
function decodeParam(raw: string | undefined): string {
  try {
    return decodeURIComponent(raw ?? "")
  } catch {
    throw new RelayError("BAD_REQUEST", "the URL has malformed percent-encoding", "url")
  }
}

async function authorize(
  spec: AnyRoute,
  req: Incoming,
  options: ResolverOptions,
): Promise<Session | undefined> {
  const token = req.headers.get("x-session")
  const session = token ? await options.authenticate(token) : undefined
  if (spec.access === "public") return session
  if (!session) throw new RelayError("UNAUTHENTICATED", "log in first (send the X-Session header)")
  if (spec.access === "wb") {
    if (session.kind !== "wb")
      throw new RelayError("FORBIDDEN", "this needs a whistleblower receipt session")
    return session
  }
  if (spec.access === "session" && session.kind === "wb") return session
  if (session.kind !== "staff") throw new RelayError("FORBIDDEN", "this needs a staff session")
  if (spec.access === "staff-partial") return session
  if (spec.access === "staff-enrol" && session.stage === "second-factor-enrol") return session
  if (session.stage !== "full") throw unfinished[session.stage]()
  if (Array.isArray(spec.access) && !spec.access.includes(session.role)) {
    throw new RelayError("FORBIDDEN", `this needs one of the roles: ${spec.access.join(", ")}`)
  }
  return session
}

// What a staff session short of `full` is told, per stage.
const unfinished = {
  "second-factor": () =>
    new RelayError("SECOND_FACTOR_REQUIRED", "complete the second factor first"),
  "password-change": () => new RelayError("PASSWORD_CHANGE_REQUIRED", "change your password first"),
  "second-factor-enrol": () =>
    new RelayError(
      "SECOND_FACTOR_ENROLMENT_REQUIRED",
      "your role requires a second factor: enrol one first",
    ),
} as const

function compile(route: BoundRoute): Compiled {
  const names: string[] = []
  const source = route.spec.path
    .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
    .replace(/:([A-Za-z]+)/g, (_, name: string) => {
      names.push(name)
      return "([^/]+)"
    })
  const spec = route.spec
  return {
    route,
    pattern: new RegExp(`^${source}/?$`),
    names,
    check: {
      ...(spec.params ? { params: checker(spec.params, false) } : {}),
      ...(spec.query ? { query: checker(spec.query, true) } : {}),
      ...(spec.body && spec.body !== BINARY ? { body: checker(spec.body, false) } : {}),
    },
  }
}

function checker(schema: TSchema, convert: boolean): Checker {
  const compiled = TypeCompiler.Compile(schema)
  return (value, where) => {
    const v = convert ? Value.Convert(schema, value) : value
    if (compiled.Check(v)) return v
    const first = compiled.Errors(v).First()
    const field = `${where}${first?.path.replaceAll("/", ".") ?? ""}`
    const why =
      first?.schema.format === AGE_FILE_FORMAT
        ? "is not a well-formed age file (armour, header, MAC line and payload)"
        : (first?.message.toLowerCase() ?? "is invalid")
    throw new RelayError("VALIDATION", `"${field}" ${why}`, field)
  }
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes))
  } catch {
    throw new RelayError("BAD_REQUEST", "the body is not valid JSON", "body")
  }
}
