import { type ResponseOf, twoFactor } from "@sotto/protocol"
import type { StaffSessionState } from "../store/createStaffSession.js"
import { crypto } from "./crypto.js"
import { describeError, errorCode } from "./errors.js"
import { messageFor } from "./messages.js"
import { callKeepingRetryAfter as call, deriveFor, LoginRefused } from "./staffAuth.js"
import { toBase64url } from "./wbBytes.js"

// Second factors from the staff member's side (relay/README.md "Second factors"): the login step,
// TOTP and e-mail enrolment, backup codes and removal. Removal re-authenticates with the auth key
// derived in the KDF worker exactly as the login does; the password never leaves this tab.

/** The caller's second factors, as `GET /auth/2fa` reports them. */
export type FactorStatus = ResponseOf<typeof twoFactor.getSecondFactors>
/** How a second factor is proven at login. */
export type ProofMethod = "totp" | "email" | "backup"
/** A session stage. */
export type Stage = StaffSessionState["stage"]

/** "You can try again in 3 minutes." for a Retry-After in seconds. */
export function retryText(seconds: number): string {
  const time =
    seconds >= 90 ? `${Math.ceil(seconds / 60)} minutes` : `${Math.max(1, seconds)} seconds`
  return (messageFor("staff.retryIn") ?? "Try again in {time}.").replace("{time}", time)
}

/**
 * What to tell the user about a refused second-factor action: the catalogue sentence, the wait
 * the relay asked for, and for CONFLICT the reason the relay gave (no address, mail off, role).
 */
export function describeFactorError(error: unknown): string {
  const retry =
    error instanceof LoginRefused && error.retryAfter ? ` ${retryText(error.retryAfter)}` : ""
  if (errorCode(error) === "CONFLICT" && error instanceof Error) {
    const reason = /no mail address/.test(error.message)
      ? "factor.noAddress"
      : /does not send mail/.test(error.message)
        ? "factor.mailOff"
        : /role requires/.test(error.message)
          ? "factor.removeRequired"
          : undefined
    const text = reason ? messageFor(reason) : undefined
    if (text) return text
  }
  // On these routes a 429 comes from the mailed-code limits.
  const text = errorCode(error) === "RATE_LIMITED" ? messageFor("factor.mailLimited") : undefined
  return `${text ?? describeError(error)}${retry}`
}

/** The caller's factors (any login stage). @throws LoginRefused */
export function loadFactors(session: string): Promise<FactorStatus> {
  return call(twoFactor.getSecondFactors, { session })
}

/** Starts (or restarts) a TOTP enrolment. @throws LoginRefused (CONFLICT while TOTP is on) */
export function startTotp(session: string): Promise<{ secret: string; uri: string }> {
  return call(twoFactor.enrolTotp, { session })
}

/** A confirmed enrolment: the session's stage now and the backup codes to show once. */
export interface Enrolled {
  readonly stage: Stage
  readonly backupCodes: readonly string[]
}

/** Confirms the pending TOTP secret. @throws LoginRefused WRONG_CODE, CODE_REUSED, LOCKED */
export function confirmTotp(session: string, code: string): Promise<Enrolled> {
  return call(twoFactor.confirmTotp, { session, body: { code: code.replace(/\s+/g, "") } })
}

/**
 * Mails a one-time code (to log in at stage `second-factor`, otherwise to enrol e-mail).
 * @returns when it expires (ms since epoch)
 * @throws LoginRefused RATE_LIMITED (with retryAfter), CONFLICT (no address, mail off)
 */
export async function mailCode(session: string): Promise<number> {
  return (await call(twoFactor.sendEmailCode, { session })).expiresAt
}

/** Confirms e-mail codes as a factor. @throws LoginRefused WRONG_CODE, LOCKED */
export function confirmEmail(session: string, code: string): Promise<Enrolled> {
  return call(twoFactor.confirmEmailFactor, { session, body: { code: code.replace(/\s+/g, "") } })
}

/**
 * The login step: proves `method` with `code`, then opens the sealed identity the relay now hands
 * out with the password's identity kept since the login, exactly as the password login does.
 * @returns the next state (`full`, or `password-change` with what the change needs)
 * @throws LoginRefused WRONG_CODE, CODE_REUSED, LOCKED; CryptoError WRONG_KEY/TAMPERED
 */
export async function verifyFactor(
  current: StaffSessionState,
  method: ProofMethod,
  code: string,
): Promise<StaffSessionState> {
  const pending = current.pending
  if (!pending) throw new Error("no password keys kept for this login")
  const trimmed = method === "backup" ? code.trim() : code.replace(/\s+/g, "")
  const res = await call(twoFactor.verifySecondFactor, {
    session: current.session,
    body: { method, code: trimmed },
  })
  const opened = res.sealedIdentity
    ? await crypto().account.openAccountIdentity(res.sealedIdentity, pending.passwordIdentity)
    : undefined
  const { pending: _kept, ...rest } = current
  return {
    ...rest,
    stage: res.stage,
    ...(opened ? { identity: opened.identity, recipient: opened.recipient } : {}),
    ...(res.stage === "password-change"
      ? {
          pending: {
            authKey: pending.authKey,
            passwordIdentity: pending.passwordIdentity,
            ...(res.sealedIdentity ? { sealedIdentity: res.sealedIdentity } : {}),
          },
        }
      : {}),
  }
}

/**
 * Removes a factor after re-authentication: the password is stretched in the KDF worker with the
 * account's stored params and only the auth key is sent.
 * @throws LoginRefused WRONG_CREDENTIALS, LOCKED, CONFLICT (the role requires a factor)
 */
export async function removeFactor(
  current: StaffSessionState,
  kind: "totp" | "email",
  password: string,
  onProgress: (fraction: number) => void,
): Promise<void> {
  const keys = await deriveFor(current.username, password, onProgress)
  await call(twoFactor.removeSecondFactor, {
    session: current.session,
    body: { kind, currentAuthKey: toBase64url(keys.authKey) },
  })
}

/** Where a staff member at `stage` belongs (the page that stage opens). */
export function pathForStage(stage: Stage): string {
  if (stage === "second-factor" || stage === "second-factor-enrol") return "/staff/second-factor"
  if (stage === "password-change") return "/staff/password"
  return "/staff/inbox"
}

/** A base32 secret in groups of four, for reading and typing into an app. */
export function groupSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, "$1 ")
}

/** The text file of backup codes a user downloads. */
export function backupCodesText(username: string, codes: readonly string[]): string {
  return [
    `Sotto backup codes for ${username}`,
    "",
    ...codes,
    "",
    "Each code logs you in once when your authenticator app or e-mail is not at hand.",
    "Keep them offline (printed, or in a password manager). New codes replace these.",
    "",
  ].join("\n")
}
