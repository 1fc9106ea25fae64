import { Type } from "@sinclair/typebox"
import { Stage } from "./accountSchemas.js"
import { Id, Key32, Obj, Ok, Sealed, SealedAccountIdentity, Time } from "./common.js"
import { route } from "./route.js"
import { AuthenticatorInfo } from "./webauthn.js"

export * from "./webauthn.js"

// Route specs of second factors (TOTP, e-mail codes, backup codes; WebAuthn in webauthn.ts): enrolment, the login step,
// removal and the admin's reset. Handlers in routes/twoFactor*.ts; part of the "accounts" group.

/** A 6-digit TOTP code. */
export const TotpCode = Type.String({ pattern: "^[0-9]{6}$", description: "6-digit TOTP code" })
/** An 8-digit code mailed by the relay. */
export const EmailCode = Type.String({ pattern: "^[0-9]{8}$", description: "8-digit mailed code" })
/** A kind of second factor a user enrols. */
export const FactorKindSchema = Type.Union([Type.Literal("totp"), Type.Literal("email")])
/** How a second factor is proven at login with a typed code (`POST /auth/2fa/verify`). */
export const CodeMethodSchema = Type.Union([
  Type.Literal("totp"),
  Type.Literal("email"),
  Type.Literal("backup"),
])
/** How a second factor is proven at login: a code, or a WebAuthn assertion (webauthn.ts). */
export const ProofMethodSchema = Type.Union([...CodeMethodSchema.anyOf, Type.Literal("webauthn")])
/** One-time backup codes, shown once (the relay keeps only their hashes). */
const BackupCodes = Type.Array(Type.String({ pattern: "^[0-9a-z]{5}-[0-9a-z]{5}$" }), {
  description: "one-time backup codes; shown once",
})
const Enrolled = Obj({ stage: Stage, backupCodes: BackupCodes })

/** The caller's second factors: what is on, backup codes left, whether the role requires one. */
export const getSecondFactors = route({
  id: "getSecondFactors",
  method: "GET",
  path: "/api/v1/auth/2fa",
  summary: "The caller's second factors, backup codes left and whether the role requires one",
  access: "staff-partial",
  response: Obj({
    totp: Type.Union([Type.Literal("off"), Type.Literal("pending"), Type.Literal("on")]),
    email: Type.Union([Type.Literal("off"), Type.Literal("on")]),
    backupCodesLeft: Type.Integer({ minimum: 0 }),
    required: Type.Boolean(),
    /** Whether e-mail codes can be sent: the account has an address and the node has mail. */
    emailAvailable: Type.Boolean(),
    /** Registered security keys and passkeys (none: WebAuthn is off). */
    webauthn: Type.Array(AuthenticatorInfo),
  }),
})

/**
 * Starts a TOTP enrolment: a fresh secret (base32) and its `otpauth://` URI for a QR code. It is
 * pending until confirmed with a code; another call replaces a pending secret. 409 CONFLICT while
 * TOTP is on (remove it first).
 */
export const enrolTotp = route({
  id: "enrolTotp",
  method: "POST",
  path: "/api/v1/auth/2fa/totp",
  summary: "Start a TOTP enrolment: secret and otpauth URI (pending until confirmed)",
  access: "staff-enrol",
  response: Obj({
    secret: Type.String({ pattern: "^[A-Z2-7]+$", description: "base32" }),
    uri: Type.String({ description: "otpauth://totp/… for a QR code" }),
  }),
  status: 201,
})

/**
 * Confirms the pending TOTP secret with a current code: TOTP is on. Returns fresh backup codes
 * (replacing any earlier ones) and the session's stage (`full` after a forced enrolment). A wrong
 * code is 401 WRONG_CODE and counts against the account like a failed login.
 */
export const confirmTotp = route({
  id: "confirmTotp",
  method: "POST",
  path: "/api/v1/auth/2fa/totp/confirm",
  summary: "Confirm TOTP with a code; returns fresh backup codes",
  access: "staff-enrol",
  body: Obj({ code: TotpCode }),
  bodyLimit: 256,
  response: Enrolled,
})

/**
 * Mails an 8-digit code to the account's address, valid 10 minutes and once: at stage
 * `second-factor` to log in (e-mail must be on), otherwise to enrol e-mail as a factor. At most one
 * a minute and five an hour (429 RATE_LIMITED with Retry-After); 409 CONFLICT without an address
 * or mail on the node.
 */
export const sendEmailCode = route({
  id: "sendEmailCode",
  method: "POST",
  path: "/api/v1/auth/2fa/email/code",
  summary: "Mail a one-time code to the account's address (login or enrolment)",
  access: "staff-partial",
  response: Obj({ expiresAt: Time }),
  status: 202,
})

/** Confirms e-mail as a factor with the code mailed for enrolment; like {@link confirmTotp}. */
export const confirmEmailFactor = route({
  id: "confirmEmailFactor",
  method: "POST",
  path: "/api/v1/auth/2fa/email/confirm",
  summary: "Confirm e-mail codes as a factor with a mailed code; returns fresh backup codes",
  access: "staff-enrol",
  body: Obj({ code: EmailCode }),
  bodyLimit: 256,
  response: Enrolled,
})

/**
 * The login step at stage `second-factor`: a TOTP code (each time step once: a replay is
 * 401 CODE_REUSED), a mailed code or a backup code (each once: 401 WRONG_CODE). Failures count
 * against the account (delays, then 423 LOCKED). Moves the session on and only now hands out the
 * sealed identity and the admin wraps.
 */
export const verifySecondFactor = route({
  id: "verifySecondFactor",
  method: "POST",
  path: "/api/v1/auth/2fa/verify",
  summary: "Prove the second factor at login; returns the sealed identity",
  access: "staff-partial",
  body: Obj({
    method: CodeMethodSchema,
    code: Type.String({ pattern: "^[0-9A-Za-z -]{6,16}$" }),
  }),
  bodyLimit: 256,
  response: Obj({
    stage: Stage,
    sealedIdentity: Type.Optional(SealedAccountIdentity),
    escrowWrap: Type.Optional(Sealed),
    signingKeyWrap: Type.Optional(Sealed),
    backupCodesLeft: Type.Integer({ minimum: 0 }),
  }),
})

/**
 * Removes a factor after re-authentication with the current auth key (401 WRONG_CREDENTIALS,
 * counted like a failed login). The last factor takes the backup codes with it; 409 CONFLICT when
 * the role requires a second factor and this is the last one.
 */
export const removeSecondFactor = route({
  id: "removeSecondFactor",
  method: "POST",
  path: "/api/v1/auth/2fa/remove",
  summary: "Remove a second factor (re-authenticate with the current auth key)",
  access: "staff",
  body: Obj({ kind: FactorKindSchema, currentAuthKey: Key32 }),
  bodyLimit: 512,
  response: Ok,
})

/**
 * An admin removes every second factor and backup code of a user (lost phone), after
 * re-authenticating with their own current auth key. Ends the user's sessions, is audited and
 * mailed to the user. 409 CONFLICT when the user has no second factor.
 */
export const resetSecondFactors = route({
  id: "resetSecondFactors",
  method: "POST",
  path: "/api/v1/users/:userId/2fa-reset",
  summary: "Remove a user's second factors (admin re-authenticates); audited and mailed",
  access: ["admin"],
  params: Obj({ userId: Id }),
  body: Obj({ currentAuthKey: Key32 }),
  bodyLimit: 512,
  response: Ok,
})
