import { Type } from "@sinclair/typebox"
import { CertificationStatement, KeyProofStatement } from "./certificationSchemas.js"
import {
  Id,
  KdfParams,
  Key32,
  Obj,
  RoleSchema,
  Salt,
  Sealed,
  SealedAccountIdentity,
  Time,
  Username,
} from "./common.js"

// Schemas shared by the account routes (accounts.ts, accountsAdmin.ts).

/**
 * Per-account password KDF inputs: a 16-byte salt and scrypt params, and `oprf`, the relay OPRF
 * key (public, base64url) the auth verifier was derived under (SPEC §16); absent for an account
 * still on the v1 derivation, which moves to the OPRF at its next login.
 */
export const Kdf = Obj({ salt: Salt, params: KdfParams, oprf: Type.Optional(Key32) })

/** A session token for the `X-Session` header (256 bits, base64url). */
export const SessionToken = Key32

/** A person's display name. */
export const PersonName = Type.String({
  minLength: 1,
  maxLength: 100,
  // No control characters (NUL, CR/LF, C1) and no bidi overrides, embeddings, isolates or marks:
  // a name is shown in audit lines, mails and lists, where these would forge or reorder text.
  pattern:
    "^[^\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]+$",
  description: "display name (no control or bidi formatting characters)",
})

/** A mail address: one `@`, no spaces, quotes, brackets or separators; at most 254 characters. */
export const Email = Type.String({
  pattern: '^[^\\s@<>()\\[\\],;:"\\\\]+@[^\\s@<>()\\[\\],;:"\\\\]+\\.[^\\s@<>()\\[\\],;:"\\\\]+$',
  maxLength: 254,
  description: "mail address",
})

/** An account name as a person typed it; the relay normalises it (NFC, trim, lower case). */
export const LoginName = Type.String({
  minLength: 1,
  maxLength: 256,
  description: "account name as typed",
})

/**
 * Where a staff login stands: `full`; `second-factor` (a code is due); `password-change` (a new
 * password is due); `second-factor-enrol` (the role requires a second factor the account lacks).
 */
export const Stage = Type.Union([
  Type.Literal("full"),
  Type.Literal("second-factor"),
  Type.Literal("password-change"),
  Type.Literal("second-factor-enrol"),
])

// The fields every view of an account starts with.
const accountFields = {
  id: Id,
  username: Username,
  name: PersonName,
  email: Type.Optional(Email),
  role: RoleSchema,
  disabled: Type.Boolean(),
  createdAt: Time,
}

/** What the node shows of an account to admins: no verifier, no sealed identity, no wraps. */
export const UserView = Obj({
  ...accountFields,
  publicKey: Type.Optional(Type.String({ description: "age recipient, once the identity exists" })),
  signer: Type.Optional(
    Type.String({ description: "account signing public key (base64url), once published" }),
  ),
  mustChangePassword: Type.Boolean(),
  /** Admins only: whether this admin holds the escrow and signing key wraps. */
  hasAdminWraps: Type.Optional(Type.Boolean()),
  /** In the user list: whether the account has an active second factor (never which secret). */
  twoFactor: Type.Optional(Type.Boolean()),
  /** Protocol v2: the admin's certification and the user's proof (keyCertification.ts). */
  certification: Type.Optional(CertificationStatement),
  keyProof: Type.Optional(KeyProofStatement),
})

/** A user's own record: everything except the auth verifier. */
export const MeView = Obj({
  ...accountFields,
  kdf: Kdf,
  sealedIdentity: Type.Optional(SealedAccountIdentity),
  publicKey: Type.Optional(Type.String()),
  mustChangePassword: Type.Boolean(),
  /** When an administrator last reset this password with the escrow key (ms), if ever. */
  escrowResetAt: Type.Optional(Type.Integer({ minimum: 0 })),
  escrowWrap: Type.Optional(Sealed),
  signingKeyWrap: Type.Optional(Sealed),
  /** The stage of the session asking. */
  stage: Stage,
})

const IdleMs = Type.Integer({ minimum: 60_000, maximum: 24 * 60 * 60_000, description: "ms" })

/** Idle timeouts per kind of session, 1 minute to 24 hours. */
export const IdleTimeoutsSchema = Obj({
  admin: IdleMs,
  recipient: IdleMs,
  custodian: IdleMs,
  wb: IdleMs,
})
/** The same, every field optional (for a patch). */
export const IdleTimeoutsPatch = Type.Partial(IdleTimeoutsSchema)

/** Base PoW difficulty in bits. */
export const PowDifficulty = Type.Integer({ minimum: 4, maximum: 28 })
/** Default tip lifetime, 1 day to 10 years. */
export const ExpiryDays = Type.Integer({ minimum: 1, maximum: 3650 })
/** A receipt pattern (checked further with crypto-core `parseReceiptPattern`). */
export const ReceiptPatternText = Type.String({ minLength: 1, maxLength: 200 })

/** Per-role second-factor requirement. */
export const TwoFactorRequired = Obj({
  admin: Type.Boolean(),
  recipient: Type.Boolean(),
  custodian: Type.Boolean(),
})
/** Per-role second-factor requirement, every field optional (for a patch). */
export const TwoFactorPatch = Type.Partial(TwoFactorRequired)

/** One audit entry. */
export const AuditEntryView = Obj({
  id: Id,
  at: Time,
  actor: Type.String(),
  action: Type.String(),
  target: Type.Optional(Type.String()),
  details: Type.Optional(
    Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
  ),
})
