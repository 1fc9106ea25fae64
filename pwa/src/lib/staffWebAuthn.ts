import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from "@simplewebauthn/browser"
import { type ResponseOf, twoFactor } from "@sotto/protocol"
import type { StaffSessionState } from "../store/createStaffSession.js"
import { crypto } from "./crypto.js"
import { errorCode } from "./errors.js"
import { messageFor } from "./messages.js"
import { callKeepingRetryAfter as call, deriveFor } from "./staffAuth.js"
import { describeFactorError } from "./staffFactors.js"
import { toBase64url } from "./wbBytes.js"

// Security keys and passkeys as a second factor (relay/README.md "Second factors", WebAuthn): the
// relay makes the options and keeps the challenge; the browser's WebAuthn call answers them. The
// @simplewebauthn/browser code is imported only when a key is added or used, so no other page
// (and never the whistleblower's) loads it.

/** A registered authenticator, as the account page lists it. */
export type KeyInfo = ResponseOf<typeof twoFactor.getSecondFactors>["webauthn"][number]

/** A registered key: the session's stage now, and backup codes when it was the first factor. */
export interface KeyAdded {
  readonly stage: StaffSessionState["stage"]
  readonly key: KeyInfo
  readonly backupCodes?: readonly string[]
}

/** A failure of the browser's WebAuthn call, with a catalogue key. */
export class KeyError extends Error {
  constructor(readonly reason: string) {
    super(reason)
  }
}

// Loads @simplewebauthn/browser on first use and checks the browser can do WebAuthn at all.
async function browserSide() {
  let lib: typeof import("@simplewebauthn/browser")
  try {
    lib = await import("@simplewebauthn/browser")
  } catch {
    throw new KeyError("webauthn.loadFailed")
  }
  if (!lib.browserSupportsWebAuthn()) throw new KeyError("webauthn.unsupported")
  return lib
}

// Why the browser's call failed, as a catalogue key (the DOMException name, or simplewebauthn's).
function keyErrorOf(e: unknown): KeyError {
  const name = (e as { cause?: { name?: string } })?.cause?.name ?? (e as { name?: string })?.name
  const code = errorCode(e)
  if (code === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED" || name === "InvalidStateError") {
    return new KeyError("webauthn.duplicate")
  }
  if (
    code === "ERROR_INVALID_DOMAIN" ||
    code === "ERROR_INVALID_RP_ID" ||
    name === "SecurityError"
  ) {
    return new KeyError("webauthn.insecure")
  }
  if (name === "NotSupportedError") return new KeyError("webauthn.unsupported")
  return new KeyError("webauthn.cancelled")
}

/**
 * Registers a new security key or passkey under `name`: relay options, the browser's ceremony
 * (the user touches the key), then the relay checks and stores it.
 * @throws KeyError (cancelled, duplicate, insecure, unsupported); LoginRefused from the relay
 *   (WRONG_CODE for a stale answer, CONFLICT, LOCKED)
 */
export async function addKey(session: string, name: string): Promise<KeyAdded> {
  const lib = await browserSide()
  const { options } = await call(twoFactor.webauthnRegistrationOptions, { session })
  let response: Awaited<ReturnType<typeof lib.startRegistration>>
  try {
    response = await lib.startRegistration({
      optionsJSON: options as unknown as PublicKeyCredentialCreationOptionsJSON,
    })
  } catch (e) {
    throw keyErrorOf(e)
  }
  const done = await call(twoFactor.webauthnRegister, {
    session,
    body: { name: name.trim(), response: response as never },
  })
  return {
    stage: done.stage,
    key: done.authenticator,
    ...(done.backupCodes ? { backupCodes: done.backupCodes } : {}),
  }
}

/**
 * The login step with a key (stage `second-factor`): relay options, the browser's ceremony, the
 * relay's check; then opens the sealed identity with the password's identity kept since the
 * login, as lib/staffFactors.ts `verifyFactor` does.
 * @returns the next state (`full`, or `password-change` with what the change needs)
 * @throws KeyError; LoginRefused WRONG_CODE, LOCKED, CONFLICT; CryptoError WRONG_KEY/TAMPERED
 */
export async function verifyWithKey(current: StaffSessionState): Promise<StaffSessionState> {
  const pending = current.pending
  if (!pending) throw new Error("no password keys kept for this login")
  const lib = await browserSide()
  const { options } = await call(twoFactor.webauthnLoginOptions, { session: current.session })
  let response: Awaited<ReturnType<typeof lib.startAuthentication>>
  try {
    response = await lib.startAuthentication({
      optionsJSON: options as unknown as PublicKeyCredentialRequestOptionsJSON,
    })
  } catch (e) {
    throw keyErrorOf(e)
  }
  const res = await call(twoFactor.webauthnVerify, {
    session: current.session,
    body: { response: response as never },
  })
  const opened = res.sealedIdentity
    ? await crypto().account.openAccountIdentity(res.sealedIdentity, pending.passwordIdentity)
    : undefined
  const { pending: _kept, ...rest } = current
  return {
    ...rest,
    stage: res.stage,
    ...(opened ? { identity: opened.identity, recipient: opened.recipient } : {}),
    ...(res.stage === "password-change" ? { pending } : {}),
  }
}

/** Renames a key. @throws LoginRefused NOT_FOUND, VALIDATION */
export async function renameKey(session: string, id: string, name: string): Promise<void> {
  await call(twoFactor.renameWebAuthn, {
    session,
    params: { credentialId: id },
    body: { name: name.trim() },
  })
}

/**
 * Removes a key after re-authentication: the password is stretched in the KDF worker with the
 * account's stored params (lib/staffAuth.ts `deriveFor`) and only the auth key is sent.
 * @throws LoginRefused WRONG_CREDENTIALS, LOCKED, CONFLICT (the role requires a factor)
 */
export async function removeKey(
  current: StaffSessionState,
  id: string,
  password: string,
  onProgress: (fraction: number) => void,
): Promise<void> {
  const keys = await deriveFor(current.username, password, onProgress)
  await call(twoFactor.removeWebAuthn, {
    session: current.session,
    params: { credentialId: id },
    body: { currentAuthKey: toBase64url(keys.authKey) },
  })
}

/** What to tell the user about a failed key action. */
export function describeKeyError(error: unknown): string {
  if (error instanceof KeyError) return messageFor(error.reason) ?? error.reason
  if (errorCode(error) === "WRONG_CODE") return messageFor("webauthn.refused") ?? ""
  if (errorCode(error) === "CONFLICT" && /already registered/.test(String(error))) {
    return messageFor("webauthn.duplicate") ?? ""
  }
  return describeFactorError(error)
}
