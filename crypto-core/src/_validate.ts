import { CryptoError } from "./errors.js"

// Edge validation helpers: every message names the argument, as in `"nonce" expected 12 bytes, got 8`.

export function expectBytes(name: string, value: unknown, length?: number): Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new CryptoError("BAD_INPUT", `"${name}" expected a Uint8Array, got ${describe(value)}`)
  }
  if (length !== undefined && value.length !== length) {
    throw new CryptoError("BAD_INPUT", `"${name}" expected ${length} bytes, got ${value.length}`)
  }
  return value
}

export function expectBytesBetween(
  name: string,
  value: unknown,
  min: number,
  max: number,
): Uint8Array {
  const bytes = expectBytes(name, value)
  if (bytes.length < min || bytes.length > max) {
    throw new CryptoError(
      "BAD_INPUT",
      `"${name}" expected ${min} to ${max} bytes, got ${bytes.length}`,
    )
  }
  return bytes
}

export function expectString(name: string, value: unknown, maxLength = 1 << 20): string {
  if (typeof value !== "string") {
    throw new CryptoError("BAD_INPUT", `"${name}" expected a string, got ${describe(value)}`)
  }
  if (value.length > maxLength) {
    throw new CryptoError(
      "BAD_INPUT",
      `"${name}" expected at most ${maxLength} characters, got ${value.length}`,
    )
  }
  return value
}

export function expectInteger(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value)) {
    throw new CryptoError("BAD_INPUT", `"${name}" expected an integer, got ${describe(value)}`)
  }
  if (value < min || value > max) {
    throw new CryptoError("BAD_INPUT", `"${name}" expected ${min} to ${max}, got ${value}`)
  }
  return value
}

export function expectPrefix(name: string, value: unknown, prefix: string): string {
  const s = expectString(name, value, 4096)
  if (!s.startsWith(prefix)) {
    throw new CryptoError("BAD_INPUT", `"${name}" expected a string starting with ${prefix}`)
  }
  return s
}

function describe(value: unknown): string {
  if (value === null) return "null"
  if (value instanceof Uint8Array) return `${value.length} bytes`
  if (Array.isArray(value)) return "an array"
  return typeof value
}
