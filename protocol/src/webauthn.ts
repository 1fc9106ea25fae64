import { type TSchema, Type } from "@sinclair/typebox"
import { Stage } from "./accountSchemas.js"
import { B64u, Key32, Obj, Ok, Sealed, SealedAccountIdentity, Time } from "./common.js"
import { route } from "./route.js"

// Route specs of WebAuthn second factors (security keys, passkeys): registration, the login
// assertion, renaming and removal. Handlers in routes/twoFactorWebAuthn.ts; re-exported by
// twoFactor.ts, so they belong to the "accounts" group and ALL_SPECS.

/** A WebAuthn credential id (base64url, at most 1023 bytes as the spec allows). */
export const CredentialId = Type.String({
  pattern: "^[A-Za-z0-9_-]{1,1364}$",
  description: "credential id, base64url",
})
/** The name a user gives an authenticator ("Desk key"). */
export const AuthenticatorName = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: "\\S",
  description: "a name for the authenticator",
})

// A JSON object passed through to the browser's WebAuthn call as is (the relay builds it).
const OptionsJson = <T>(description: string) =>
  Type.Unsafe<T>(Type.Object({ challenge: Type.String() }, { description }))

/** Options for `navigator.credentials.create()`, as @simplewebauthn/browser takes them. */
export interface CreationOptionsJson {
  readonly challenge: string
}
/** Options for `navigator.credentials.get()`, as @simplewebauthn/browser takes them. */
export interface RequestOptionsJson {
  readonly challenge: string
}

const Transports = Type.Array(
  Type.Union(
    ["ble", "cable", "hybrid", "internal", "nfc", "smart-card", "usb"].map((t) => Type.Literal(t)),
  ),
  { maxItems: 8 },
)
const Attachment = Type.Union([Type.Literal("platform"), Type.Literal("cross-platform")])
// Client extension outputs (credProps and the like): small objects the relay does not use.
const ExtensionResults = Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), {
  maxProperties: 8,
})
const credential = <R extends TSchema>(response: R) =>
  Obj({
    id: CredentialId,
    rawId: CredentialId,
    type: Type.Literal("public-key"),
    response,
    authenticatorAttachment: Type.Optional(Attachment),
    clientExtensionResults: ExtensionResults,
  })

/** `navigator.credentials.create()`'s answer as @simplewebauthn/browser serialises it. */
export const RegistrationResponseSchema = credential(
  Obj({
    clientDataJSON: B64u(4096),
    attestationObject: B64u(8192),
    authenticatorData: Type.Optional(B64u(4096)),
    transports: Type.Optional(Transports),
    publicKeyAlgorithm: Type.Optional(Type.Integer()),
    publicKey: Type.Optional(B64u(2048)),
  }),
)

/** `navigator.credentials.get()`'s answer as @simplewebauthn/browser serialises it. */
export const AuthenticationResponseSchema = credential(
  Obj({
    clientDataJSON: B64u(4096),
    authenticatorData: B64u(4096),
    signature: B64u(1024),
    userHandle: Type.Optional(B64u(64)),
  }),
)

/** One registered authenticator, as the account page lists it. */
export const AuthenticatorInfo = Obj({
  id: CredentialId,
  name: AuthenticatorName,
  createdAt: Time,
  lastUsedAt: Type.Optional(Time),
})

/**
 * Starts registering an authenticator: creation options whose challenge the relay keeps for
 * 5 minutes, single use (another call replaces it). The RP ID is the configured `ORIGIN`'s host,
 * else the request's Host. Already registered authenticators are excluded.
 */
export const webauthnRegistrationOptions = route({
  id: "webauthnRegistrationOptions",
  method: "POST",
  path: "/api/v1/auth/2fa/webauthn/register-options",
  summary: "Start registering a security key or passkey: creation options (challenge 5 min)",
  access: "staff-enrol",
  response: Obj({
    options: OptionsJson<CreationOptionsJson>("PublicKeyCredentialCreationOptions"),
  }),
})

/**
 * Registers the authenticator that answered the pending challenge, under `name`. The first one
 * turns the factor on like a TOTP confirmation: fresh backup codes (replacing earlier ones) and
 * the session leaves `second-factor-enrol`; later ones return no codes. A stale, used or foreign
 * challenge or a bad attestation is 401 WRONG_CODE (field `body.response`), counted like a wrong
 * code; 409 CONFLICT for an authenticator already registered.
 */
export const webauthnRegister = route({
  id: "webauthnRegister",
  method: "POST",
  path: "/api/v1/auth/2fa/webauthn/register",
  summary: "Register a security key or passkey under a name; the first returns backup codes",
  access: "staff-enrol",
  body: Obj({ name: AuthenticatorName, response: RegistrationResponseSchema }),
  bodyLimit: 24 * 1024,
  response: Obj({
    stage: Stage,
    authenticator: AuthenticatorInfo,
    backupCodes: Type.Optional(
      Type.Array(Type.String({ pattern: "^[0-9a-z]{5}-[0-9a-z]{5}$" }), {
        description: "one-time backup codes, only with the first authenticator; shown once",
      }),
    ),
  }),
  status: 201,
})

/**
 * The login step with an authenticator, part 1 (stage `second-factor`, WebAuthn on): request
 * options naming the account's authenticators, with a challenge kept 5 minutes, single use.
 * 409 CONFLICT at another stage or without an authenticator.
 */
export const webauthnLoginOptions = route({
  id: "webauthnLoginOptions",
  method: "POST",
  path: "/api/v1/auth/2fa/webauthn/options",
  summary: "Second-factor login with a security key: request options (challenge 5 min)",
  access: "staff-partial",
  response: Obj({ options: OptionsJson<RequestOptionsJson>("PublicKeyCredentialRequestOptions") }),
})

/**
 * The login step with an authenticator, part 2: the assertion for the pending challenge. Like
 * `POST /auth/2fa/verify` (method `webauthn`): moves the session on and returns the sealed
 * identity. A bad signature, an unknown authenticator, a stale or reused challenge or a signature
 * counter that did not grow is 401 WRONG_CODE (`body.response`), counted against the account.
 */
export const webauthnVerify = route({
  id: "webauthnVerify",
  method: "POST",
  path: "/api/v1/auth/2fa/webauthn/verify",
  summary: "Prove the second factor with a security key; returns the sealed identity",
  access: "staff-partial",
  body: Obj({ response: AuthenticationResponseSchema }),
  bodyLimit: 16 * 1024,
  response: Obj({
    stage: Stage,
    sealedIdentity: Type.Optional(SealedAccountIdentity),
    escrowWrap: Type.Optional(Sealed),
    signingKeyWrap: Type.Optional(Sealed),
    backupCodesLeft: Type.Integer({ minimum: 0 }),
  }),
})

/** Renames one of the caller's authenticators. 404 NOT_FOUND for an unknown id. */
export const renameWebAuthn = route({
  id: "renameWebAuthn",
  method: "PATCH",
  path: "/api/v1/auth/2fa/webauthn/:credentialId",
  summary: "Rename a security key or passkey",
  access: "staff",
  params: Obj({ credentialId: CredentialId }),
  body: Obj({ name: AuthenticatorName }),
  bodyLimit: 512,
  response: Ok,
})

/**
 * Removes one authenticator after re-authentication with the current auth key
 * (401 WRONG_CREDENTIALS, counted like a failed login). The last factor takes the backup codes
 * with it; 409 CONFLICT when the role requires a second factor and this is the last one.
 */
export const removeWebAuthn = route({
  id: "removeWebAuthn",
  method: "POST",
  path: "/api/v1/auth/2fa/webauthn/:credentialId/remove",
  summary: "Remove a security key or passkey (re-authenticate with the current auth key)",
  access: "staff",
  params: Obj({ credentialId: CredentialId }),
  body: Obj({ currentAuthKey: Key32 }),
  bodyLimit: 512,
  response: Ok,
})
