import type { HttpResponse } from "uWebSockets.js"

import { SECURITY_HEADERS } from "@sotto/protocol/securityHeaders"

/** Headers on every response (the list lives in @sotto/protocol: the integrity manifest lists them). */
export { SECURITY_HEADERS }

/** Writes the security headers (call inside a cork, after writeStatus). */
export function writeSecurityHeaders(res: HttpResponse, onionAddress?: string, path = "/"): void {
  for (const [name, value] of SECURITY_HEADERS) res.writeHeader(name, value)
  if (onionAddress) res.writeHeader("Onion-Location", `http://${onionAddress}${path}`)
}
