import { createHash, randomBytes, randomInt } from "node:crypto"
import type { Batch, Store } from "../store/store.js"
import type { NodeSettings, UserRecord } from "./records.js"
import type { StaffStage } from "./session.js"
import { sameCode } from "./totp.js"

// A staff member's second factors, in `users/f/<userId>`, apart from the user record so that no
// route that shows the account (GET /me, the admin's user list) can ever carry the TOTP secret.

/** A mailed one-time code: only its hash is kept, with its expiry and what it is for. */
export interface EmailCodeRecord {
  readonly hash: string
  readonly expiresAt: number
  /** `login`: usable at the second-factor stage; `enrol`: confirms e-mail as a factor. */
  readonly purpose: "login" | "enrol"
}

/** `users/f/<userId>`: absent until the first enrolment; deleted with the account or a reset. */
export interface SecondFactorRecord {
  readonly userId: string
  /**
   * TOTP: the base32 secret (kept in clear: checking a code needs it), `active` once confirmed,
   * and the last time step accepted (a code works once).
   */
  readonly totp?: {
    readonly secret: string
    readonly active: boolean
    readonly createdAt: number
    readonly lastStep?: number
  }
  /** E-mail codes to the account's address, once one code was confirmed. */
  readonly email?: { readonly active: true; readonly confirmedAt: number }
  /** The code mailed last, if still unused. */
  readonly emailCode?: EmailCodeRecord
  /** When codes were mailed within the last hour (the send limit). */
  readonly emailSentAt: readonly number[]
  /** SHA-256 (base64url) of each unused backup code. */
  readonly backupCodes: readonly string[]
  /** Registered WebAuthn authenticators (security keys, passkeys); absent or empty when none. */
  readonly webauthn?: readonly WebAuthnCredentialRecord[]
  /** The pending WebAuthn challenge (registration or login): 5 minutes, single use. */
  readonly webauthnChallenge?: WebAuthnChallengeRecord
}

/** One registered authenticator: its public key (COSE, base64url) and signature counter. */
export interface WebAuthnCredentialRecord {
  readonly id: string
  readonly publicKey: string
  readonly counter: number
  readonly transports?: readonly string[]
  readonly name: string
  readonly createdAt: number
  readonly lastUsedAt?: number
}

/** A challenge handed out with WebAuthn options, and the RP it was made for. */
export interface WebAuthnChallengeRecord {
  readonly challenge: string
  readonly purpose: "register" | "login"
  readonly rpID: string
  readonly origin: string
  readonly expiresAt: number
}

/** The kinds of second factor enrolled by confirming a code (WebAuthn has its own routes). */
export type FactorKind = "totp" | "email"

/** Every kind of second factor that can be on. */
export type ActiveFactor = FactorKind | "webauthn"

/** How a second factor is proven at login. */
export type ProofMethod = FactorKind | "backup"

/** Backup codes made at each confirmed enrolment. */
export const BACKUP_CODE_COUNT = 10

/** Lifetime of a mailed code. */
export const EMAIL_CODE_TTL = 10 * 60_000

/** Reads a user's second factors, or undefined when none was ever enrolled. */
export function getFactors(store: Store, userId: string): Promise<SecondFactorRecord | undefined> {
  return store.get<SecondFactorRecord>("users", `f/${userId}`)
}

/** Reads a user's second factors, or an empty record. */
export async function factorsOf(store: Store, userId: string): Promise<SecondFactorRecord> {
  return (await getFactors(store, userId)) ?? { userId, emailSentAt: [], backupCodes: [] }
}

/** Writes `record` into `batch`. */
export function putFactors(batch: Batch, record: SecondFactorRecord): void {
  batch.put("users", `f/${record.userId}`, record)
}

/** Deletes a user's second factors in `batch` (account deletion, admin reset). */
export function deleteFactors(batch: Batch, userId: string): void {
  batch.del("users", `f/${userId}`)
}

/** The factors that are confirmed and usable, in a stable order. */
export function activeFactors(record: SecondFactorRecord | undefined): ActiveFactor[] {
  return [
    ...(record?.totp?.active ? (["totp"] as const) : []),
    ...(record?.email?.active ? (["email"] as const) : []),
    ...(record?.webauthn?.length ? (["webauthn"] as const) : []),
  ]
}

/** The ways a login can prove the second factor: the active factors, and backup codes if any. */
export function proofMethods(record: SecondFactorRecord | undefined): (ActiveFactor | "backup")[] {
  const backup = (record?.backupCodes.length ?? 0) > 0 ? (["backup"] as const) : []
  return [...activeFactors(record), ...backup]
}

/** Whether node policy requires a second factor for `role`. */
export function factorRequired(node: NodeSettings, role: UserRecord["role"]): boolean {
  return node.twoFactorRequired[role]
}

/**
 * The stage a fresh login starts in: `second-factor` with an active factor (nothing else is handed
 * out before it is proven), else the stage {@link stageAfterFactor} gives.
 */
export function loginStage(
  user: UserRecord,
  record: SecondFactorRecord | undefined,
  node: NodeSettings,
): StaffStage {
  if (activeFactors(record).length > 0) return "second-factor"
  return stageAfterFactor(user, record, node)
}

/**
 * Where a session goes once the second factor is proven (or when there is none): a due password
 * change first (also for a session `recovered` with the recovery key), then enrolment if the role
 * requires a factor the account lacks, then `full`.
 */
export function stageAfterFactor(
  user: UserRecord,
  record: SecondFactorRecord | undefined,
  node: NodeSettings,
  recovered = false,
): StaffStage {
  // A login with the recovery key has no password to go on with: a new one is due.
  if (recovered || user.mustChangePassword || user.sealedIdentity === undefined) {
    return "password-change"
  }
  return stageAfterPassword(user, record, node)
}

/** Where a session goes after a password change: enrolment if required and missing, else full. */
export function stageAfterPassword(
  user: UserRecord,
  record: SecondFactorRecord | undefined,
  node: NodeSettings,
): StaffStage {
  const missing = activeFactors(record).length === 0 && factorRequired(node, user.role)
  return missing ? "second-factor-enrol" : "full"
}

// Crockford's base32: no i, l, o or u, so a code read aloud or off paper is not misread.
const BACKUP_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"

/** Fresh backup codes (50 bits each, `xxxxx-xxxxx`) and the hashes to store. */
export function newBackupCodes(): { codes: string[]; hashes: string[] } {
  const codes = Array.from({ length: BACKUP_CODE_COUNT }, () => {
    const chars = [...randomBytes(10)].map((b) => BACKUP_ALPHABET[b & 31])
    return `${chars.slice(0, 5).join("")}-${chars.slice(5).join("")}`
  })
  return { codes, hashes: codes.map(hashBackupCode) }
}

/** The stored form of a backup code, however it was typed (case, spaces, dashes, o/0, i/l/1). */
export function hashBackupCode(typed: string): string {
  const canonical = typed
    .toLowerCase()
    .replace(/[\s-]/g, "")
    .replace(/o/g, "0")
    .replace(/[il]/g, "1")
  return sha256(`sotto/v1/backup-code/${canonical}`)
}

/** The index of the stored hash `typed` matches, or -1. Compares every hash (no early exit). */
export function findBackupCode(record: SecondFactorRecord, typed: string): number {
  const hash = hashBackupCode(typed)
  let found = -1
  record.backupCodes.forEach((stored, i) => {
    if (sameCode(stored, hash) && found < 0) found = i
  })
  return found
}

/** A fresh 8-digit mail code and its stored form. */
export function newEmailCode(userId: string): { code: string; hash: string } {
  const code = String(randomInt(0, 100_000_000)).padStart(8, "0")
  return { code, hash: hashEmailCode(userId, code) }
}

/** The stored form of a mailed code (bound to the account). */
export function hashEmailCode(userId: string, code: string): string {
  return sha256(`sotto/v1/email-code/${userId}/${code}`)
}

/** Whether `code` is the unexpired mailed code for `purpose`. */
export function emailCodeMatches(
  record: SecondFactorRecord,
  code: string,
  purpose: EmailCodeRecord["purpose"],
  now: number,
): boolean {
  const sent = record.emailCode
  if (!sent || sent.purpose !== purpose || sent.expiresAt <= now) return false
  return sameCode(sent.hash, hashEmailCode(record.userId, code))
}

function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("base64url")
}
