import type { HttpResponse } from "uWebSockets.js"

import {
  type ResponseKind,
  SECURITY_HEADERS,
  securityHeadersFor,
  staticKindOf,
} from "@sotto/protocol/securityHeaders"

/** The full set (documents), and how it is trimmed per response kind (both in @sotto/protocol: the integrity manifest and sotto-verify use them). */
export { type ResponseKind, SECURITY_HEADERS, securityHeadersFor, staticKindOf }

/**
 * Writes the security headers for a response of `kind` (call inside a cork, after writeStatus):
 * all of them on documents, the applicable few elsewhere (see `securityHeadersFor`). The
 * Onion-Location hint goes on documents only, the one place Tor Browser reads it.
 */
export function writeSecurityHeaders(
  res: HttpResponse,
  kind: ResponseKind,
  onionAddress?: string,
  path = "/",
): void {
  for (const [name, value] of securityHeadersFor(kind)) res.writeHeader(name, value)
  if (onionAddress && kind === "document")
    res.writeHeader("Onion-Location", `http://${onionAddress}${path}`)
}
