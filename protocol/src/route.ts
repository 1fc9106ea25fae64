import type { Static, TSchema } from "@sinclair/typebox"

/** Staff roles. Whistleblowers have no account: they hold a receipt session. */
export type Role = "admin" | "recipient" | "custodian"

/**
 * Who may call a route: anyone; a whistleblower receipt session; any fully logged-in staff session;
 * any session at all (whistleblower or full staff, e.g. uploads); a staff session at any login stage
 * (password change, second factor, logout); a staff session that is full or must enrol a second
 * factor (the enrolment routes); or full staff with one of the listed roles.
 */
export type Access =
  | "public"
  | "wb"
  | "staff"
  | "session"
  | "staff-partial"
  | "staff-enrol"
  | readonly Role[]

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE"

/** Marker for routes whose request or response body is raw bytes (upload chunks, downloads). */
export const BINARY = "binary" as const
export type Binary = typeof BINARY

/**
 * One HTTP route of the wire protocol: the single source of truth for validation on the relay,
 * the OpenAPI document and the typed client.
 */
export interface RouteSpec<
  P extends TSchema | undefined = TSchema | undefined,
  Q extends TSchema | undefined = TSchema | undefined,
  B extends TSchema | Binary | undefined = TSchema | Binary | undefined,
  R extends TSchema | Binary = TSchema | Binary,
> {
  /** Stable operation id, also the client method name. */
  readonly id: string
  readonly method: Method
  /** Path with `:name` parameters, e.g. `/api/v1/tips/:tipId`. */
  readonly path: string
  readonly summary: string
  readonly access: Access
  readonly params?: P
  readonly query?: Q
  readonly body?: B
  /** Largest accepted body in bytes. */
  readonly bodyLimit?: number
  readonly response: R
  /** Success status, 200 unless set. */
  readonly status?: number
}

export type AnyRoute = RouteSpec<
  TSchema | undefined,
  TSchema | undefined,
  TSchema | Binary | undefined,
  TSchema | Binary
>

/** Defines a route, keeping its literal types for the client and the handlers. */
export function route<
  P extends TSchema | undefined = undefined,
  Q extends TSchema | undefined = undefined,
  B extends TSchema | Binary | undefined = undefined,
  R extends TSchema | Binary = TSchema,
>(spec: RouteSpec<P, Q, B, R>): RouteSpec<P, Q, B, R> {
  return spec
}

type StaticOr<S, Else> = S extends TSchema ? Static<S> : Else

/** The decoded path parameters of a route. */
export type ParamsOf<S> =
  S extends RouteSpec<infer P, infer _Q, infer _B, infer _R>
    ? StaticOr<P, Record<string, never>>
    : never
/** The decoded query of a route. */
export type QueryOf<S> =
  S extends RouteSpec<infer _P, infer Q, infer _B, infer _R>
    ? StaticOr<Q, Record<string, never>>
    : never
/** The request body of a route (bytes for binary routes). */
export type BodyOf<S> =
  S extends RouteSpec<infer _P, infer _Q, infer B, infer _R>
    ? B extends Binary
      ? Uint8Array
      : StaticOr<B, undefined>
    : never
/** The response body of a route (bytes for binary routes). */
export type ResponseOf<S> =
  S extends RouteSpec<infer _P, infer _Q, infer _B, infer R>
    ? R extends Binary
      ? Uint8Array
      : StaticOr<R, never>
    : never
