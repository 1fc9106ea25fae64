import { timingSafeEqual } from "node:crypto"
import { Secret, TOTP } from "otpauth"

// TOTP (RFC 6238) as every authenticator app does it: SHA-1, 6 digits, 30-second steps. The relay
// keeps the secret (it must, to check codes) and the last step it accepted, so a code works once.

/** The parameters every enrolment uses; authenticator apps assume them. */
export const TOTP_PARAMS = { algorithm: "SHA1", digits: 6, period: 30 } as const

/** Steps either side of the current one that still count (clock drift, slow typing). */
export const TOTP_WINDOW = 1

/** A fresh 160-bit secret, base32 (RFC 4648, no padding) as authenticator apps take it. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32
}

/**
 * The `otpauth://totp/…` URI an authenticator app scans (as a QR code): issuer is the node's name,
 * label the account name.
 */
export function totpUri(secret: string, issuer: string, account: string): string {
  return new TOTP({
    issuer,
    label: account,
    secret: Secret.fromBase32(secret),
    ...TOTP_PARAMS,
  }).toString()
}

/** The time step (30-second counter) at `now` (ms). */
export function totpStep(now: number): number {
  return TOTP.counter({ period: TOTP_PARAMS.period, timestamp: now })
}

/** What checking a code found. */
export type TotpCheck =
  | { readonly ok: true; readonly step: number }
  | { readonly ok: false; readonly reason: "wrong" | "reused" }

/**
 * Checks a 6-digit `code` against `secret` at `now`, within ±{@link TOTP_WINDOW} steps. A code
 * whose step is at or before `lastStep` (the last one accepted) is a replay: `reused`.
 */
export function checkTotp(
  secret: string,
  code: string,
  now: number,
  lastStep: number | undefined,
): TotpCheck {
  const key = Secret.fromBase32(secret)
  const current = totpStep(now)
  let reused = false
  for (let step = current - TOTP_WINDOW; step <= current + TOTP_WINDOW; step++) {
    const expected = TOTP.generate({
      secret: key,
      ...TOTP_PARAMS,
      timestamp: step * TOTP_PARAMS.period * 1000,
    })
    if (!sameCode(expected, code)) continue
    if (lastStep !== undefined && step <= lastStep) reused = true
    else return { ok: true, step }
  }
  return { ok: false, reason: reused ? "reused" : "wrong" }
}

/** Compares two codes in constant time (for equal lengths). */
export function sameCode(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8")
  const y = Buffer.from(b, "utf8")
  return x.length === y.length && timingSafeEqual(x, y)
}
