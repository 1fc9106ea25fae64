import type { HttpResponse } from "uWebSockets.js"

/** Headers on every response: no framing, no referrers, no sniffing, no indexing, same-origin only. */
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

/** Writes the security headers (call inside a cork, after writeStatus). */
export function writeSecurityHeaders(res: HttpResponse, onionAddress?: string, path = "/"): void {
  for (const [name, value] of SECURITY_HEADERS) res.writeHeader(name, value)
  if (onionAddress) res.writeHeader("Onion-Location", `http://${onionAddress}${path}`)
}
