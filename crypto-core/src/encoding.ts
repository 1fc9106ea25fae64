import { base64, base64urlnopad } from "@scure/base"
import { expectString } from "./_validate.js"
import { CryptoError } from "./errors.js"

/** Encodes bytes as unpadded base64url, the form Sotto uses for binary fields in JSON. */
export function toBase64url(bytes: Uint8Array): string {
  return base64urlnopad.encode(bytes)
}

/**
 * Decodes unpadded base64url.
 * @throws CryptoError `BAD_INPUT` naming `name` when the text is not canonical base64url.
 */
export function fromBase64url(name: string, text: unknown): Uint8Array {
  const s = expectString(name, text)
  try {
    return base64urlnopad.decode(s)
  } catch (cause) {
    throw new CryptoError("BAD_INPUT", `"${name}" is not valid base64url`, { cause })
  }
}

/** Encodes bytes as padded standard base64 (used inside OpenPGP-free text bodies). */
export function toBase64(bytes: Uint8Array): string {
  return base64.encode(bytes)
}

/** UTF-8 encodes a string. */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text)
}

/**
 * UTF-8 decodes bytes, refusing invalid sequences.
 * @throws CryptoError `TAMPERED` when the bytes are not valid UTF-8 (they came out of a ciphertext).
 */
export function fromUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes)
  } catch (cause) {
    throw new CryptoError("TAMPERED", "decrypted content is not valid UTF-8", { cause })
  }
}

/** Concatenates byte arrays. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0
  for (const p of parts) length += p.length
  const out = new Uint8Array(length)
  let offset = 0
  for (const p of parts) {
    out.set(p, offset)
    offset += p.length
  }
  return out
}

/** Compares two byte arrays in time independent of where they differ. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0)
  return diff === 0
}
