import { Type } from "@sinclair/typebox"
import {
  AuditEntryView,
  Email,
  ExpiryDays,
  IdleTimeoutsPatch,
  Kdf,
  PersonName,
  PowDifficulty,
  ReceiptPatternText,
  TwoFactorPatch,
  UserView,
} from "./accountSchemas.js"
import { CertificationStatement } from "./certificationSchemas.js"
import {
  Id,
  KdfParams,
  Key32,
  Obj,
  Ok,
  RoleSchema,
  Sealed,
  SealedAccountIdentity,
  Time,
  Username,
} from "./common.js"
import { SignedNodeManifest } from "./manifest.js"
import {
  LogoText,
  MailTemplatesPatch,
  NodeLanguages,
  PasswordPolicy,
  QuotasPatch,
  SettingsView,
  SmtpPatch,
  TipPolicy,
} from "./nodeSettingsSchemas.js"
import { route } from "./route.js"

// Route specs of the "accounts" group for admins: users, escrow reset, node settings, audit log.
// Re-exported by accounts.ts.

const UserParams = Obj({ userId: Id })

/** Every account, without verifiers or sealed identities. */
export const listUsers = route({
  id: "listUsers",
  method: "GET",
  path: "/api/v1/users",
  summary: "List the node's accounts",
  access: ["admin"],
  response: Obj({ users: Type.Array(UserView) }),
})

/**
 * Creates an account with a one-time password hashed in the admin's browser. The user must change
 * it at first login, when their browser makes the identity. 409 CONFLICT for a taken username.
 */
export const createUser = route({
  id: "createUser",
  method: "POST",
  path: "/api/v1/users",
  summary: "Create an account with a one-time password (409 CONFLICT when the name is taken)",
  access: ["admin"],
  body: Obj({
    username: Username,
    name: PersonName,
    email: Type.Optional(Email),
    role: RoleSchema,
    kdf: Kdf,
    authVerifier: Key32,
    /** Protocol v2: the admin's statement of the one-time password's certification key. */
    certification: Type.Optional(CertificationStatement),
  }),
  bodyLimit: 4096,
  response: Obj({ id: Id }),
  status: 201,
})

/**
 * Changes an account's name, email (null removes it), role or disabled flag. Disabling or a role
 * change ends the user's sessions; a demoted admin loses the node key wraps. 409 CONFLICT when it
 * would leave no enabled admin.
 */
export const updateUser = route({
  id: "updateUser",
  method: "PATCH",
  path: "/api/v1/users/:userId",
  summary: "Rename, re-mail, change the role of, disable or enable an account",
  access: ["admin"],
  params: UserParams,
  body: Obj({
    name: Type.Optional(PersonName),
    email: Type.Optional(Type.Union([Email, Type.Null()])),
    role: Type.Optional(RoleSchema),
    disabled: Type.Optional(Type.Boolean()),
  }),
  bodyLimit: 4096,
  response: UserView,
})

/**
 * Deletes an account and ends its sessions, after the admin re-authenticates with their current
 * auth key (a POST, not a DELETE with a body: proxies and clients may drop a DELETE's body).
 * 401 WRONG_CREDENTIALS (field `body.currentAuthKey`, nothing deleted) for a wrong key; 409
 * CONFLICT for the last enabled admin.
 */
export const deleteUser = route({
  id: "deleteUser",
  method: "POST",
  path: "/api/v1/users/:userId/delete",
  summary: "Delete an account (admin re-authenticates; not the last admin)",
  access: ["admin"],
  params: UserParams,
  body: Obj({ currentAuthKey: Key32 }),
  bodyLimit: 1024,
  response: Ok,
})

/**
 * A user's sealed identity and KDF params, which an admin's browser needs for an escrow reset
 * (only the escrow key, the user's password or recovery key open it). Handing it to an escrow
 * holder is the escrow's use (protocol v2): the admin re-authenticates with `currentAuthKey`
 * (401 WRONG_CREDENTIALS otherwise), the read is audited (`escrow.read`) and the user is mailed.
 * 409 CONFLICT before the user's first login.
 */
export const getUserSealedIdentity = route({
  id: "getUserSealedIdentity",
  method: "POST",
  path: "/api/v1/users/:userId/sealed-identity",
  summary: "A user's sealed identity and KDF params, for an escrow reset (admin re-authenticates)",
  access: ["admin"],
  params: UserParams,
  body: Obj({ currentAuthKey: Key32 }),
  bodyLimit: 1024,
  response: Obj({ sealedIdentity: SealedAccountIdentity, params: KdfParams }),
})

/**
 * An escrow reset made in the admin's browser: the new password's KDF record and verifier, the
 * identity re-sealed, the admin's current auth key (re-authentication) and, in protocol v2, the
 * certification by the new one-time password's key. Shared by the 1-of-n and k-of-n resets.
 */
export const EscrowResetBody = Obj({
  kdf: Kdf,
  authVerifier: Key32,
  sealedIdentity: SealedAccountIdentity,
  currentAuthKey: Key32,
  certification: Type.Optional(CertificationStatement),
})

/**
 * Stores what crypto-core `resetWithEscrow` made in the admin's browser: the identity resealed to
 * a one-time password. The user must change it at next login; their recovery key keeps working.
 * Their sessions end, and a user with an email gets a notice (no secrets) when mail is on.
 * The admin re-authenticates with `currentAuthKey` (their own current auth key): 401
 * WRONG_CREDENTIALS, nothing changed, for a wrong one. 409 CONFLICT when escrow is off or the
 * account has no identity yet.
 */
export const resetUserWithEscrow = route({
  id: "resetUserWithEscrow",
  method: "POST",
  path: "/api/v1/users/:userId/escrow-reset",
  summary:
    "Reset a forgotten password with the escrow key (made in the admin's browser; admin re-authenticates)",
  access: ["admin"],
  params: UserParams,
  body: EscrowResetBody,
  bodyLimit: 16 * 1024,
  response: Ok,
})

/**
 * Gives an admin (made or promoted after setup) their wraps of the node signing key and, with
 * escrow on, of the escrow key, sealed to that admin by an existing admin's browser.
 */
export const setAdminWraps = route({
  id: "setAdminWraps",
  method: "PUT",
  path: "/api/v1/users/:userId/admin-wraps",
  summary: "Store an admin's wraps of the signing key and escrow key",
  access: ["admin"],
  params: UserParams,
  body: Obj({ signingKeyWrap: Sealed, escrowWrap: Type.Optional(Sealed) }),
  bodyLimit: 24 * 1024,
  response: Ok,
})

/** The node settings. */
export const getSettings = route({
  id: "getSettings",
  method: "GET",
  path: "/api/v1/settings",
  summary: "Node settings",
  access: ["admin"],
  response: SettingsView,
})

/**
 * Changes node settings within bounds. The receipt pattern can only change while no tip exists
 * (older receipts would stop parsing): 409 CONFLICT otherwise. `null` removes the logo text, the
 * SMTP settings (back to `SMTP_URL`) or, per kind in `mailTemplates`, an edited template (back to
 * the default). A template with a placeholder its kind lacks is 400 VALIDATION naming the field
 * (`body.mailTemplates.<kind>.subject|text`). SMTP settings take effect for the next mail sent.
 * A change to what the signed node manifest covers (the name, the receipt pattern, a PoW
 * difficulty outside its bounds) needs the manifest re-signed in the admin's browser in the same
 * request (version + 1, agreeing with the new settings): 409 MANIFEST_REQUIRED without it, 422
 * BAD_MANIFEST or 409 STALE_MANIFEST for a wrong one. The served manifest never lags the settings.
 */
export const updateSettings = route({
  id: "updateSettings",
  method: "PATCH",
  path: "/api/v1/settings",
  summary:
    "Change node settings (name, logo text, languages, idle timeouts, PoW, tip lifetime, 2FA, receipt pattern, password policy, tip policy, quotas, SMTP, mail templates)",
  access: ["admin"],
  body: Obj({
    name: Type.Optional(PersonName),
    idleTimeouts: Type.Optional(IdleTimeoutsPatch),
    powDifficulty: Type.Optional(PowDifficulty),
    tipPolicy: Type.Optional(TipPolicy),
    quotas: Type.Optional(QuotasPatch),
    expiryDays: Type.Optional(ExpiryDays),
    twoFactorRequired: Type.Optional(TwoFactorPatch),
    receiptPattern: Type.Optional(ReceiptPatternText),
    logoText: Type.Optional(Type.Union([LogoText, Type.Null()])),
    languages: Type.Optional(NodeLanguages),
    passwordPolicy: Type.Optional(PasswordPolicy),
    smtp: Type.Optional(Type.Union([SmtpPatch, Type.Null()])),
    mailTemplates: Type.Optional(MailTemplatesPatch),
    /** Re-signed (version + 1) whenever the name, receipt pattern or PoW leave its bounds. */
    manifest: Type.Optional(SignedNodeManifest),
  }),
  bodyLimit: 56 * 1024,
  response: SettingsView,
})

/** The audit log, newest first; `before` (ms) pages back. */
export const listAudit = route({
  id: "listAudit",
  method: "GET",
  path: "/api/v1/audit",
  summary: "Audit log, newest first",
  access: ["admin"],
  query: Obj({
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    before: Type.Optional(Time),
  }),
  response: Obj({ entries: Type.Array(AuditEntryView) }),
})
