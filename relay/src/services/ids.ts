import { createHash, randomBytes } from "node:crypto"

/** A fresh 128-bit record id, 22 base64url characters. */
export function newId(): string {
  return randomBytes(16).toString("base64url")
}

/** A fresh 256-bit session token, 43 base64url characters. */
export function newToken(): string {
  return randomBytes(32).toString("base64url")
}

/** What the store keeps for a token: its SHA-256, so a leaked database holds no live session. */
export function tokenKey(token: string): string {
  return createHash("sha256").update(token).digest("base64url")
}

/** A sortable key for a time: 13 zero-padded decimal digits of milliseconds. */
export function timeKey(ms: number): string {
  return String(Math.max(0, Math.floor(ms))).padStart(13, "0")
}
