import { Type } from "@sinclair/typebox"
import {
  Email,
  ExpiryDays,
  Kdf,
  LoginName,
  MeView,
  PersonName,
  ReceiptPatternText,
  SessionToken,
  Stage,
} from "./accountSchemas.js"
import { CertificationStatement, KeyProofStatement } from "./certificationSchemas.js"
import {
  Id,
  KdfParams,
  Key32,
  Obj,
  Ok,
  Recipient,
  RoleSchema,
  Salt,
  Sealed,
  SealedAccountIdentity,
  Username,
} from "./common.js"
import { SignedNodeManifest } from "./manifest.js"
import { LogoText, NodeLanguages, PasswordPolicy } from "./nodeSettingsSchemas.js"
import { route } from "./route.js"
import { ProofMethodSchema } from "./twoFactor.js"

// Route specs of the "accounts" group: setup, the node's public description, login and the
// account's own record. Admin routes (users, settings, audit) are in accountsAdmin.ts.
export * from "./accountsAdmin.js"
export * from "./recovery.js"

/**
 * First run: everything made in the first admin's browser (admin account, escrow and signing key
 * wraps, receipt settings). 409 ALREADY_SET_UP once done. Returns a full admin session.
 */
export const setup = route({
  id: "setup",
  method: "POST",
  path: "/api/v1/setup",
  summary: "Set up the node and its first admin (once; 409 ALREADY_SET_UP afterwards)",
  access: "public",
  body: Obj({
    node: Obj({ name: PersonName }),
    admin: Obj({
      username: Username,
      name: PersonName,
      email: Type.Optional(Email),
      kdf: Kdf,
      authVerifier: Key32,
      sealedIdentity: SealedAccountIdentity,
      publicKey: Recipient,
      /** The account signing public key (crypto-core `accountSigner`), for key directories. */
      signer: Type.Optional(Key32),
      /** The account id, drawn by the wizard so that its key proof can name it (SPEC §12). */
      id: Type.Optional(Id),
      /** The first admin's certification, signed by the node key (crypto-core `certifyFirstAdmin`). */
      certification: Type.Optional(CertificationStatement),
      /** The first admin's proof of their keys, made with their password identity. */
      keyProof: Type.Optional(KeyProofStatement),
    }),
    escrow: Obj({
      enabled: Type.Boolean(),
      recipient: Type.Optional(Recipient),
      adminWrap: Type.Optional(Sealed),
    }),
    signing: Obj({ publicKey: Key32, adminWrap: Sealed }),
    receipt: Obj({ pattern: ReceiptPatternText, salt: Salt, params: KdfParams }),
    /** Version 1 of the node manifest, signed in the admin's browser; must match the above. */
    manifest: SignedNodeManifest,
  }),
  bodyLimit: 48 * 1024,
  response: Obj({ session: SessionToken, userId: Id }),
  status: 201,
})

/** What every browser needs to know about the node. 409 NOT_SET_UP before setup. */
export const getNode = route({
  id: "getNode",
  method: "GET",
  path: "/api/v1/node",
  summary:
    "The node's name and logo text, escrow and signing public keys, receipt settings, tip lifetime and password policy",
  access: "public",
  response: Obj({
    name: PersonName,
    setUp: Type.Boolean(),
    escrow: Obj({ enabled: Type.Boolean(), recipient: Type.Optional(Recipient) }),
    signingPublicKey: Key32,
    receipt: Obj({ pattern: ReceiptPatternText, salt: Salt, params: KdfParams }),
    expiryDays: ExpiryDays,
    logoText: Type.Optional(LogoText),
    /** The languages whistleblowers may choose from, and the default one. */
    languages: NodeLanguages,
    passwordPolicy: PasswordPolicy,
    /** The signed node manifest: clients take escrow, receipt and KDF bounds only from it. */
    manifest: SignedNodeManifest,
  }),
})

/**
 * The KDF inputs for a username. Unknown and disabled accounts get a fake salt, stable per name,
 * with default params, so this does not tell which accounts exist.
 */
export const getAuthParams = route({
  id: "getAuthParams",
  method: "GET",
  path: "/api/v1/auth/params",
  summary: "Salt and scrypt params for a username (a stable fake one for unknown names)",
  access: "public",
  query: Obj({ username: LoginName }),
  response: Kdf,
})

/**
 * Logs in with the auth key derived from the password. Unknown account, disabled account and
 * wrong key all give 401 WRONG_CREDENTIALS; repeated failures are slowed, then 423 LOCKED.
 * An account with a second factor starts in stage `second-factor`: the response then names the
 * `methods` it can prove and carries no sealed identity or wraps (POST /auth/2fa/verify does).
 * Otherwise the session starts in `password-change` while the password must be changed, then in
 * `second-factor-enrol` when the role requires a second factor the account lacks. With
 * `secondFactor` (TOTP or a backup code) the code is checked first, under the second-factor count,
 * and a right code lets the password be checked even while the password count is locked: 401
 * WRONG_CODE / 423 LOCKED for the code, then 401 WRONG_CREDENTIALS for a wrong password.
 */
export const login = route({
  id: "login",
  method: "POST",
  path: "/api/v1/auth/login",
  summary:
    "Log in with username and auth key; returns the session and (unless a second factor is due) the sealed identity",
  access: "public",
  body: Obj({
    username: LoginName,
    authKey: Key32,
    /**
     * A second-factor code sent with the password: the way in while the password is locked
     * (relay/README.md "Account lockout"). Checked first, under the second-factor count.
     */
    secondFactor: Type.Optional(
      Obj({
        method: Type.Union([Type.Literal("totp"), Type.Literal("backup")]),
        code: Type.String({ minLength: 1, maxLength: 16 }),
      }),
    ),
  }),
  bodyLimit: 1024,
  response: Obj({
    session: SessionToken,
    stage: Stage,
    user: Obj({ id: Id, username: Username, name: PersonName, role: RoleSchema }),
    sealedIdentity: Type.Optional(SealedAccountIdentity),
    escrowWrap: Type.Optional(Sealed),
    signingKeyWrap: Type.Optional(Sealed),
    kdf: Kdf,
    /** At stage `second-factor`: the ways this account can prove it. */
    methods: Type.Optional(Type.Array(ProofMethodSchema)),
  }),
})

/**
 * Ends the session named by `X-Session`: a staff session at any login stage or a whistleblower
 * session. Public in the access table because no single access level covers both; the handler
 * answers 401 UNAUTHENTICATED without a live session.
 */
export const logout = route({
  id: "logout",
  method: "POST",
  path: "/api/v1/auth/logout",
  summary: "End the current session (staff at any stage, or whistleblower)",
  access: "public",
  response: Ok,
})

/**
 * Changes the password (and, at first login, stores the new identity). Re-checks the current
 * auth key (401 WRONG_CREDENTIALS; 400 VALIDATION when missing), except in a session opened with
 * the recovery key, which has no password (the new sealed identity must still keep the account's
 * public key and recovery recipient). Ends the user's other sessions and moves this one to `full`,
 * or to `second-factor-enrol` when the role requires a second factor the account lacks. Refused
 * at stage `second-factor` (401 SECOND_FACTOR_REQUIRED).
 */
export const changePassword = route({
  id: "changePassword",
  method: "POST",
  path: "/api/v1/auth/password",
  summary: "Change the password: new verifier and resealed identity; ends other sessions",
  access: "staff-partial",
  body: Obj({
    /** Required, except in a session opened with the recovery key (POST /auth/recovery/verify). */
    currentAuthKey: Type.Optional(Key32),
    kdf: Kdf,
    authVerifier: Key32,
    sealedIdentity: SealedAccountIdentity,
    publicKey: Recipient,
    /** The account signing public key (crypto-core `accountSigner`); never changes once set. */
    signer: Type.Optional(Key32),
    /** Protocol v2, at first login: the proof of the new keys made with the one-time password. */
    keyProof: Type.Optional(KeyProofStatement),
  }),
  bodyLimit: 16 * 1024,
  response: Ok,
})

/**
 * The caller's own account record (without the verifier), at any login stage; at stage
 * `second-factor` without the sealed identity and wraps.
 */
export const getMe = route({
  id: "getMe",
  method: "GET",
  path: "/api/v1/me",
  summary: "The caller's own account record",
  access: "staff-partial",
  response: MeView,
})
