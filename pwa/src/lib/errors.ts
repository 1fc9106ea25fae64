import { messageFor } from "./messages.js"

// Turns anything thrown (a RelayClientError from the wire, a CryptoError from a worker, a
// network failure) into a sentence a person can act on. Codes are stable; the words live in the
// message catalogue.

/** The stable code of an error, or `NETWORK` for a failed fetch, or `UNKNOWN`. */
export function errorCode(error: unknown): string {
  if (typeof error === "object" && error !== null && "code" in error) {
    const code = (error as { code: unknown }).code
    if (typeof code === "string") return code
  }
  if (error instanceof TypeError) return "NETWORK"
  return "UNKNOWN"
}

/** The field an error names (`body.username`), when the relay said. */
export function errorField(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "field" in error) {
    const field = (error as { field: unknown }).field
    if (typeof field === "string") return field
  }
  return undefined
}

/** What to tell the user about `error`. */
export function describeError(error: unknown): string {
  const code = errorCode(error)
  // Says whose key is not certified and what to do (lib/keyCertification.ts).
  if (code === "NOT_CERTIFIED" && error instanceof Error) return error.message
  const known = messageFor(`error.${code}`)
  if (known) return known
  const detail = error instanceof Error ? error.message : String(error)
  return `${messageFor("error.UNKNOWN") ?? "Something went wrong."} (${code}: ${detail})`
}
