import {
  type AnyRoute,
  BINARY,
  type BodyOf,
  type ParamsOf,
  type QueryOf,
  type ResponseOf,
} from "./route.js"

/** An error response from the relay, with its stable code and the field it names, if any. */
export class RelayClientError extends Error {
  override readonly name = "RelayClientError"
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message)
  }
}

/** What a call takes besides the route: path params, query, body and the session token. */
export interface CallOptions<S extends AnyRoute> {
  readonly params?: ParamsOf<S>
  readonly query?: QueryOf<S>
  readonly body?: BodyOf<S>
  readonly session?: string
  readonly headers?: Record<string, string>
  readonly signal?: AbortSignal
}

/**
 * A typed client for the relay, built from the same route specs the relay validates with; used by
 * the PWA and by the tests. `fetchImpl` defaults to the global fetch.
 */
export class RelayClient {
  constructor(
    readonly baseUrl: string,
    private readonly fetchImpl: typeof fetch = globalThis.fetch.bind(globalThis),
  ) {}

  /** The URL of a route with its params filled in. */
  url<S extends AnyRoute>(spec: S, params?: ParamsOf<S>, query?: QueryOf<S>): string {
    const p = (params ?? {}) as Record<string, string>
    const path = spec.path.replace(/:([A-Za-z]+)/g, (_, name: string) =>
      encodeURIComponent(String(p[name] ?? "")),
    )
    const q = new URLSearchParams(
      Object.entries((query ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
    ).toString()
    return `${this.baseUrl}${path}${q ? `?${q}` : ""}`
  }

  /**
   * Calls a route and decodes its response.
   * @throws RelayClientError with the relay's error code for any non-2xx status.
   */
  async call<S extends AnyRoute>(spec: S, options: CallOptions<S> = {}): Promise<ResponseOf<S>> {
    const res = await this.raw(spec, options)
    if (spec.response === BINARY) return new Uint8Array(await res.arrayBuffer()) as ResponseOf<S>
    return (await res.json()) as ResponseOf<S>
  }

  /** Calls a route and returns the raw Response (for streams and headers). @throws RelayClientError. */
  async raw<S extends AnyRoute>(spec: S, options: CallOptions<S> = {}): Promise<Response> {
    const headers: Record<string, string> = { ...options.headers }
    if (options.session) headers["X-Session"] = options.session
    let body: BodyInit | undefined
    if (options.body !== undefined) {
      if (spec.body === BINARY) {
        headers["Content-Type"] = "application/octet-stream"
        body = options.body as Uint8Array as BodyInit
      } else {
        headers["Content-Type"] = "application/json"
        body = JSON.stringify(options.body)
      }
    }
    const res = await this.fetchImpl(this.url(spec, options.params, options.query), {
      method: spec.method,
      headers,
      ...(body === undefined ? {} : { body }),
      ...(options.signal ? { signal: options.signal } : {}),
    })
    if (!res.ok) {
      let parsed: { error?: { code?: string; message?: string; field?: string } } = {}
      try {
        parsed = (await res.json()) as typeof parsed
      } catch {
        // not JSON: fall back to the status line
      }
      throw new RelayClientError(
        res.status,
        parsed.error?.code ?? "HTTP_ERROR",
        parsed.error?.message ?? res.statusText,
        parsed.error?.field,
      )
    }
    return res
  }
}
