import type { RelayContext } from "../context.js"
import { RelayError } from "../errors.js"
import {
  activeFactors,
  emailCodeMatches,
  type FactorKind,
  findBackupCode,
  newBackupCodes,
  type ProofMethod,
  type SecondFactorRecord,
} from "./secondFactors.js"
import { checkTotp } from "./totp.js"
import type { Serial } from "./users.js"

// Checking second-factor codes: pure functions that say what the record becomes, and the guarded
// runner every code-taking route goes through (so wrong codes slow down and lock like logins).

/** What a code check found: the record with the code consumed, or why it failed. */
export type Proof =
  | { readonly ok: true; readonly next: SecondFactorRecord }
  | { readonly ok: false; readonly reason: "wrong" | "reused" }

const WRONG: Failed = { ok: false, reason: "wrong" }

const FORMATS: Readonly<Record<ProofMethod, RegExp>> = {
  totp: /^[0-9]{6}$/,
  email: /^[0-9]{8}$/,
  backup: /^[0-9a-z]{5}[ -]?[0-9a-z]{5}$/i,
}

/** @throws RelayError VALIDATION (`body.code`) for a code that cannot be of `method`'s kind. */
export function checkCodeFormat(method: ProofMethod, code: string): void {
  if (!FORMATS[method].test(code.trim())) {
    const what = { totp: "6 digits", email: "8 digits", backup: "a backup code (xxxxx-xxxxx)" }
    throw new RelayError("VALIDATION", `"body.code" must be ${what[method]}`, "body.code")
  }
}

/** Checks a login proof against the account's active factors; the code is consumed on success. */
export function proveLogin(
  record: SecondFactorRecord | undefined,
  method: ProofMethod,
  code: string,
  now: number,
): Proof {
  if (!record || activeFactors(record).length === 0) return WRONG
  const typed = code.trim()
  if (method === "totp") {
    if (!record.totp?.active) return WRONG
    const found = checkTotp(record.totp.secret, typed, now, record.totp.lastStep)
    if (!found.ok) return found
    return { ok: true, next: { ...record, totp: { ...record.totp, lastStep: found.step } } }
  }
  if (method === "email") {
    if (!record.email?.active || !emailCodeMatches(record, typed, "login", now)) return WRONG
    const { emailCode: _used, ...rest } = record
    return { ok: true, next: rest }
  }
  const index = findBackupCode(record, typed)
  if (index < 0) return WRONG
  return { ok: true, next: { ...record, backupCodes: record.backupCodes.toSpliced(index, 1) } }
}

/**
 * Checks the code that confirms a pending enrolment of `kind`; on success the factor is on and a
 * fresh set of backup codes replaces any earlier one (`codes` is what the user is shown, once).
 */
export function proveEnrolment(
  record: SecondFactorRecord,
  kind: FactorKind,
  code: string,
  now: number,
): Failed | { ok: true; next: SecondFactorRecord; codes: string[] } {
  const { codes, hashes } = newBackupCodes()
  if (kind === "totp") {
    if (!record.totp || record.totp.active) return WRONG
    const found = checkTotp(record.totp.secret, code, now, undefined)
    if (!found.ok) return found
    const totp = { ...record.totp, active: true, lastStep: found.step }
    return { ok: true, next: { ...record, totp, backupCodes: hashes }, codes }
  }
  if (!emailCodeMatches(record, code, "enrol", now)) return WRONG
  const { emailCode: _used, ...rest } = record
  const email = { active: true as const, confirmedAt: now }
  return { ok: true, next: { ...rest, email, backupCodes: hashes }, codes }
}

/** The login guard's key for an account's second-factor attempts. */
export function factorGuardKey(userId: string): string {
  // Upper case: no typed login name (always lower-cased) can collide with it. Kept apart from the
  // password count, so a correct password (which resets that count) cannot reset this one.
  return `2FA/${userId}`
}

/** A failed proof, as {@link proveLogin} and {@link proveEnrolment} report it. */
export type Failed = Proof & { readonly ok: false }

/**
 * Runs `check` under the login guard (per account, second-factor count) and the accounts lock;
 * `check` answers `{ value }` on success or the failed proof. A failure is audited as
 * `2fa.failure` and thrown: 401 CODE_REUSED for a replayed TOTP step, 401 WRONG_CODE otherwise;
 * 423 LOCKED after too many.
 */
export async function guardedCodeCheck<T>(
  ctx: RelayContext,
  lock: Serial,
  args: {
    readonly userId: string
    readonly method: ProofMethod | "webauthn" | `enrol-${FactorKind | "webauthn"}`
    /** The field a failure names; `body.code` unless given. */
    readonly field?: string
  },
  check: () => Promise<{ readonly value: T } | Failed>,
): Promise<T> {
  // Set inside the guarded run (a closure TypeScript does not follow, hence the holder).
  const failed: { reason: Failed["reason"] } = { reason: "wrong" }
  const result = await ctx.loginGuard.attempt(
    factorGuardKey(args.userId),
    () =>
      lock(async () => {
        const outcome = await check()
        if ("value" in outcome) return outcome
        failed.reason = outcome.reason
        await ctx.audit.record({
          actor: args.userId,
          action: "2fa.failure",
          target: args.userId,
          details: { method: args.method, reason: outcome.reason },
        })
        return undefined
      }),
    { known: true },
  )
  if (result !== undefined) return result.value
  throw failed.reason === "reused"
    ? new RelayError(
        "CODE_REUSED",
        "this code was already used; wait for the next one",
        args.field ?? "body.code",
      )
    : new RelayError("WRONG_CODE", "wrong or expired code", args.field ?? "body.code")
}
