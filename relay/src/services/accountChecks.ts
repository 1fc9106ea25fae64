import {
  type AuthenticatedKeyholders,
  fromBase64url,
  isAgeRecipient,
  KEYHOLDERS_LABEL,
  type SealedAccountIdentity,
  verifyStatement,
  type WrappedKey,
} from "@sotto/crypto-core"
import { RelayError } from "../errors.js"
import type { KdfParamsRecord } from "./records.js"

// Checks the schemas cannot express: canonical base64url lengths, powers of two, Bech32 checksums,
// and that sealed records are addressed to the keys they claim. Each failure names its field.

function invalid(field: string, message: string): RelayError {
  return new RelayError("VALIDATION", `"${field}" ${message}`, field)
}

/**
 * Decodes base64url that must hold exactly `length` bytes.
 * @throws RelayError VALIDATION naming `field`.
 */
export function decodeBytes(field: string, text: string, length: number): Uint8Array {
  let bytes: Uint8Array
  try {
    bytes = fromBase64url(field, text)
  } catch {
    throw invalid(field, "is not canonical base64url")
  }
  if (bytes.length !== length) throw invalid(field, `must be ${length} bytes`)
  return bytes
}

/**
 * Checks account KDF inputs: a 16-byte salt and scrypt params with N a power of two (the schema
 * already bounds N, r and p), and an `oprf` key, if given, that is the newest of `oprfKeys`.
 * @throws RelayError VALIDATION naming the field.
 */
export function checkKdf(
  field: string,
  kdf: { readonly salt: string; readonly params: KdfParamsRecord; readonly oprf?: string },
  oprf?: OprfRule,
): { salt: string; params: KdfParamsRecord; oprf?: string } {
  decodeBytes(`${field}.salt`, kdf.salt, 16)
  const { N, r, p } = kdf.params
  if ((N & (N - 1)) !== 0) throw invalid(`${field}.params.N`, "must be a power of two")
  if (kdf.oprf === undefined) {
    if (oprf?.required) {
      throw invalid(`${field}.oprf`, "is required: this node derives passwords through its OPRF")
    }
    return { salt: kdf.salt, params: { N, r, p } }
  }
  // Only the newest key: new verifiers never go under a key being retired.
  if (oprf === undefined || kdf.oprf !== oprf.keys[0]) {
    throw invalid(`${field}.oprf`, "must be this relay's current OPRF key")
  }
  return { salt: kdf.salt, params: { N, r, p }, oprf: kdf.oprf }
}

/**
 * Which OPRF keys a new verifier may name, and whether it must (SPEC §16): on a node whose
 * manifest lists OPRF keys every new or changed password goes through the OPRF.
 */
export interface OprfRule {
  /** The relay's keys, newest first. */
  readonly keys: readonly string[]
  readonly required: boolean
}

/** Checks an age X25519 recipient's Bech32 checksum. @throws RelayError VALIDATION. */
export function checkRecipient(field: string, recipient: string): string {
  if (!isAgeRecipient(recipient)) throw invalid(field, "is not a valid age X25519 recipient")
  return recipient
}

/** What a sealed account identity must be addressed to; an absent key is not checked. */
export interface IdentityExpectations {
  /** The account's public key. */
  readonly recipient?: string
  /** The recovery keyholder, unchanged by password changes and resets. */
  readonly recovery?: string
  /** The node's escrow recipient: required when escrow is on, forbidden when off. */
  readonly escrow: string | undefined
}

/**
 * Checks a sealed account identity's public fields: valid recipients, the expected public key,
 * recovery keyholder and escrow keyholder.
 * @throws RelayError VALIDATION naming the first field that is off.
 */
export function checkSealedIdentity(
  field: string,
  sealed: SealedAccountIdentity,
  expected: IdentityExpectations,
): void {
  checkRecipient(`${field}.recipient`, sealed.recipient)
  checkRecipient(`${field}.to.password`, sealed.to.password)
  checkRecipient(`${field}.to.recovery`, sealed.to.recovery)
  if (sealed.to.escrow !== undefined) checkRecipient(`${field}.to.escrow`, sealed.to.escrow)
  if (expected.recipient !== undefined && sealed.recipient !== expected.recipient) {
    throw invalid(`${field}.recipient`, "must be the account's public key")
  }
  if (expected.recovery !== undefined && sealed.to.recovery !== expected.recovery) {
    throw invalid(`${field}.to.recovery`, "must keep the account's recovery key")
  }
  if (expected.escrow === undefined && sealed.to.escrow !== undefined) {
    throw invalid(`${field}.to.escrow`, "must be absent: this node runs without escrow")
  }
  if (expected.escrow !== undefined && sealed.to.escrow !== expected.escrow) {
    throw invalid(`${field}.to.escrow`, "must be the node's escrow recipient")
  }
  checkHolders(field, sealed)
}

// Shape only: clients check the statement under the key they derive from the opened identity.
function checkHolders(field: string, sealed: SealedAccountIdentity): void {
  let holders: AuthenticatedKeyholders
  try {
    holders = verifyStatement(KEYHOLDERS_LABEL, sealed.holders)
  } catch {
    throw invalid(`${field}.holders`, "must be a keyholder statement that verifies")
  }
  const to = sealed.to
  if (
    holders.account !== sealed.recipient ||
    holders.password !== to.password ||
    holders.recovery !== to.recovery ||
    holders.escrow !== (to.escrow ?? null)
  ) {
    throw invalid(`${field}.holders`, 'must name exactly the keyholders in "to"')
  }
}

/**
 * Checks that a wrap (escrow or signing key) is sealed to exactly one recipient, `to`.
 * @throws RelayError VALIDATION naming `field.to`.
 */
export function checkWrap(field: string, wrap: WrappedKey, to: string): void {
  if (wrap.to.length !== 1 || wrap.to[0] !== to) {
    throw invalid(`${field}.to`, "must be sealed to exactly the admin's public key")
  }
}
