import {
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from "@simplewebauthn/server"
import { fromBase64url, toBase64url } from "@sotto/crypto-core"
import type { RelayConfig } from "../config.js"
import { RelayError } from "../errors.js"
import type { UserRecord } from "./records.js"
import type {
  SecondFactorRecord,
  WebAuthnChallengeRecord,
  WebAuthnCredentialRecord,
} from "./secondFactors.js"

// WebAuthn with @simplewebauthn/server: the relying party a request belongs to, options with a
// challenge the relay keeps (5 minutes, single use) and the checks of the browser's answers.
// Pure over the factor record: the routes write what these return.

/** How long a WebAuthn challenge stays usable. */
export const WEBAUTHN_CHALLENGE_TTL = 5 * 60_000

/** The relying party: RP ID (a host name, never a port) and the exact origin of the pages. */
export interface RelyingParty {
  readonly rpID: string
  readonly origin: string
}

/**
 * The relying party of a request: the configured `ORIGIN`, else the Host header, with the Origin
 * header's scheme when it names the same host (else https).
 * @throws RelayError BAD_REQUEST without a usable Host header.
 */
export function relyingParty(
  config: RelayConfig,
  headers: ReadonlyMap<string, string>,
): RelyingParty {
  if (config.origin) {
    const url = new URL(config.origin)
    return { rpID: url.hostname, origin: url.origin }
  }
  const host = headers.get("host") ?? ""
  // A bare host name or address with an optional port; nothing URL parsing could reinterpret.
  const refused = new RelayError("BAD_REQUEST", "the request has no usable Host header")
  if (!/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:[0-9]{1,5})?$/i.test(host)) throw refused
  let hostname: string
  try {
    hostname = new URL(`http://${host}`).hostname
  } catch {
    throw refused
  }
  const sent = headers.get("origin")
  const sameHost = sent !== undefined && URL.canParse(sent) && new URL(sent).hostname === hostname
  return { rpID: hostname, origin: sameHost ? new URL(sent).origin : `https://${host}` }
}

/** The account page's view of an authenticator (no key material). */
export function authenticatorInfo(c: WebAuthnCredentialRecord) {
  return {
    id: c.id,
    name: c.name,
    createdAt: c.createdAt,
    ...(c.lastUsedAt === undefined ? {} : { lastUsedAt: c.lastUsedAt }),
  }
}

/** Creation options for a new authenticator of `user`, and the challenge to store. */
export async function registrationOptions(
  rp: RelyingParty,
  nodeName: string,
  user: UserRecord,
  record: SecondFactorRecord,
  now: number,
) {
  const options = await generateRegistrationOptions({
    rpName: nodeName,
    rpID: rp.rpID,
    userName: user.username,
    userID: new TextEncoder().encode(user.id),
    attestationType: "none",
    timeout: 120_000,
    excludeCredentials: (record.webauthn ?? []).map((c) => ({
      id: c.id,
      ...(c.transports ? { transports: [...c.transports] } : {}),
    })) as { id: string; transports?: AuthenticatorTransport[] }[],
    authenticatorSelection: { residentKey: "discouraged", userVerification: "preferred" },
  })
  return { options, challenge: challengeRecord(rp, options.challenge, "register", now) }
}

/** Request options naming `record`'s authenticators, and the challenge to store. */
export async function loginOptions(rp: RelyingParty, record: SecondFactorRecord, now: number) {
  const options = await generateAuthenticationOptions({
    rpID: rp.rpID,
    timeout: 120_000,
    userVerification: "preferred",
    allowCredentials: (record.webauthn ?? []).map((c) => ({
      id: c.id,
      ...(c.transports ? { transports: [...c.transports] } : {}),
    })) as { id: string; transports?: AuthenticatorTransport[] }[],
  })
  return { options, challenge: challengeRecord(rp, options.challenge, "login", now) }
}

function challengeRecord(
  rp: RelyingParty,
  challenge: string,
  purpose: WebAuthnChallengeRecord["purpose"],
  now: number,
): WebAuthnChallengeRecord {
  return {
    challenge,
    purpose,
    rpID: rp.rpID,
    origin: rp.origin,
    expiresAt: now + WEBAUTHN_CHALLENGE_TTL,
  }
}

/** The pending challenge for `purpose` if it has not expired. */
function pending(
  record: SecondFactorRecord,
  purpose: WebAuthnChallengeRecord["purpose"],
  now: number,
): WebAuthnChallengeRecord | undefined {
  const c = record.webauthnChallenge
  return c && c.purpose === purpose && c.expiresAt > now ? c : undefined
}

/**
 * Checks a registration answer against the pending challenge; the new credential, or undefined
 * when anything is off (no, stale or foreign challenge, bad attestation, wrong origin or RP).
 * Never throws for a bad answer.
 */
export async function checkRegistration(
  record: SecondFactorRecord,
  response: unknown,
  name: string,
  now: number,
): Promise<WebAuthnCredentialRecord | undefined> {
  const challenge = pending(record, "register", now)
  if (!challenge) return undefined
  try {
    const result = await verifyRegistrationResponse({
      response: response as RegistrationResponseJSON,
      expectedChallenge: challenge.challenge,
      expectedOrigin: challenge.origin,
      expectedRPID: challenge.rpID,
      requireUserVerification: false,
    })
    if (!result.verified) return undefined
    const { credential } = result.registrationInfo
    return {
      id: credential.id,
      publicKey: toBase64url(credential.publicKey),
      counter: credential.counter,
      ...(credential.transports ? { transports: [...credential.transports] } : {}),
      name: name.trim(),
      createdAt: now,
    }
  } catch {
    return undefined
  }
}

/**
 * Checks a login assertion against the pending challenge and the named authenticator (signature,
 * origin, RP, and a counter that must grow unless the authenticator keeps none); the updated
 * credential list, or undefined. Never throws for a bad answer.
 */
export async function checkAssertion(
  record: SecondFactorRecord,
  response: { readonly id: string },
  now: number,
): Promise<WebAuthnCredentialRecord[] | undefined> {
  const challenge = pending(record, "login", now)
  const credentials = record.webauthn ?? []
  const stored = credentials.find((c) => c.id === response.id)
  if (!challenge || !stored) return undefined
  try {
    const result = await verifyAuthenticationResponse({
      response: response as AuthenticationResponseJSON,
      expectedChallenge: challenge.challenge,
      expectedOrigin: challenge.origin,
      expectedRPID: challenge.rpID,
      requireUserVerification: false,
      credential: {
        id: stored.id,
        publicKey: new Uint8Array(fromBase64url("publicKey", stored.publicKey)),
        counter: stored.counter,
        ...(stored.transports
          ? { transports: [...stored.transports] as AuthenticatorTransport[] }
          : {}),
      },
    })
    if (!result.verified) return undefined
    const used = { ...stored, counter: result.authenticationInfo.newCounter, lastUsedAt: now }
    return credentials.map((c) => (c.id === stored.id ? used : c))
  } catch {
    return undefined
  }
}
