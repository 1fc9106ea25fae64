/**
 * Headers the relay sends on every response: no framing, no referrers, no sniffing, no indexing,
 * same-origin only. Part of the contract: the build's integrity manifest lists them, so a node
 * that weakens one (its CSP first of all) is caught by sotto-verify.
 */
export const SECURITY_HEADERS: ReadonlyArray<readonly [string, string]> = [
  [
    "Content-Security-Policy",
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  ],
  ["Strict-Transport-Security", "max-age=63072000; includeSubDomains"],
  ["Referrer-Policy", "no-referrer"],
  ["X-Content-Type-Options", "nosniff"],
  ["X-Frame-Options", "DENY"],
  ["X-Robots-Tag", "noindex, nofollow"],
  ["Cross-Origin-Opener-Policy", "same-origin"],
  ["Cross-Origin-Resource-Policy", "same-origin"],
  ["Cross-Origin-Embedder-Policy", "require-corp"],
  [
    "Permissions-Policy",
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
  ],
]

/**
 * What a response is, for the headers it needs: a `document` (HTML: the whole set), a `worker`
 * script (a worker's policy comes from its own script response: CSP, COEP and referrer policy),
 * any other `asset` of the build, or an `api` response (JSON, file bytes).
 */
export type ResponseKind = "document" | "worker" | "asset" | "api"

/** The build's worker entry points: the service worker and Vite's `<name>Worker-<hash>.js` chunks. */
const WORKER_SCRIPT = /(^|\/)(sw|[A-Za-z]+Worker-[\w-]+)\.js$/

/** Every response keeps these: no MIME sniffing, no embedding by other origins. */
const BASE = new Set(["X-Content-Type-Options", "Cross-Origin-Resource-Policy"])
const WORKER = new Set([
  ...BASE,
  "Content-Security-Policy",
  "Cross-Origin-Embedder-Policy",
  "Referrer-Policy",
])

/**
 * The security headers a response of `kind` carries (issue 14: each byte of headers costs a
 * whistleblower on Tor as much as a byte of body). Documents carry all of {@link SECURITY_HEADERS};
 * the rest only what applies to them, with the same values.
 */
export function securityHeadersFor(kind: ResponseKind): ReadonlyArray<readonly [string, string]> {
  if (kind === "document") return SECURITY_HEADERS
  const keep = kind === "worker" ? WORKER : BASE
  return SECURITY_HEADERS.filter(([name]) => keep.has(name))
}

/**
 * The kind of the build file at `path` (relative or absolute), decided by its name alone so that
 * sotto-verify expects the same as the relay sends, whatever type a node claims.
 */
export function staticKindOf(path: string): ResponseKind {
  if (/\.html$/.test(path)) return "document"
  if (WORKER_SCRIPT.test(path)) return "worker"
  return "asset"
}
