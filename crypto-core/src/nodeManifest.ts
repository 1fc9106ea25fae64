import { expectInteger, expectString } from "./_validate.js"
import { type AgeRecipient, isAgeRecipient } from "./age.js"
import { fromBase64url } from "./encoding.js"
import { CryptoError } from "./errors.js"
import type { SigningKeyPair } from "./keyDirectory.js"
import { OPRF_ELEMENT_BYTES, OPRF_SUITE } from "./oprf.js"
import {
  checkKdfBounds,
  checkKdfParams,
  type KdfBounds,
  type KdfParams,
  SALT_BYTES,
} from "./passwordKdf.js"
import { parseReceiptPattern } from "./receipt.js"
import {
  type SignedStatement,
  signerOf,
  signStatement,
  verifyStatement,
} from "./signedStatement.js"

/** Domain-separation label of the node manifest statement. */
export const MANIFEST_LABEL = "sotto/v2/node-manifest"
/** The protocol a v2 manifest speaks. */
export const MANIFEST_PROTOCOL = "2.0.0"

/**
 * Everything a client takes from the node that decides who can read or how hard a secret is to
 * guess, signed by the node signing key (SPEC §14). Re-signed with `version + 1` on any change.
 */
export interface NodeManifest {
  readonly v: 2
  readonly protocol: typeof MANIFEST_PROTOCOL
  /** Starts at 1, strictly increasing on every re-sign; clients refuse a lower one than seen. */
  readonly version: number
  /** ISO 8601 time of signing. */
  readonly issuedAt: string
  readonly name: string
  /** The escrow recipient every account identity is also sealed to, or null without escrow. */
  readonly escrow: AgeRecipient | null
  /** The receipt salt (base64url, 16 bytes), scrypt params and pattern. */
  readonly receipt: {
    readonly pattern: string
    readonly salt: string
    readonly params: KdfParams
  }
  /** The range of account (password) scrypt params a client accepts from the relay. */
  readonly passwordKdf: KdfBounds
  /** Proof-of-work difficulty bounds in bits. */
  readonly pow: { readonly minDifficulty: number; readonly maxDifficulty: number }
  /** The key that signs context directories: the node signing key itself. */
  readonly directorySigner: string
  /**
   * The relay's OPRF public keys (SPEC §16), base64url: one, or two during a rotation's grace
   * period (the new key first). Absent on a node made before the OPRF: clients then use the v1
   * derivation. Optional so that manifests signed before it still verify.
   */
  readonly oprf?: ManifestOprf
}

/** The OPRF part of a node manifest. */
export interface ManifestOprf {
  readonly suite: typeof OPRF_SUITE
  /**
   * Set on a node that took tips before the OPRF: a receipt that the OPRF derivation does not log
   * in may then be tried with the v1 derivation (SPEC §16). Absent: never, so a relay refusing
   * the OPRF login cannot make a client send a v1 receipt key.
   */
  readonly v1Receipts?: true
  readonly keys: string[]
}

/** At most this many OPRF keys at once: the current one and the one being retired. */
export const MAX_MANIFEST_OPRF_KEYS = 2

/** A manifest as stored and served: the body, the node key and the Ed25519 signature. */
export type SignedNodeManifest = SignedStatement<NodeManifest>

/** What a client keeps after verifying: the node key and the highest manifest version seen. */
export interface ManifestPin {
  readonly signer: string
  readonly version: number
}

/**
 * Signs a manifest with the node signing key, filling `v`, `protocol` and `directorySigner`.
 * @throws CryptoError `BAD_INPUT` when a field is malformed or out of range.
 */
export function signNodeManifest(
  fields: Omit<NodeManifest, "v" | "protocol" | "directorySigner">,
  key: SigningKeyPair,
): SignedNodeManifest {
  const body: NodeManifest = {
    v: 2,
    protocol: MANIFEST_PROTOCOL,
    ...fields,
    directorySigner: signerOf(key),
  }
  checkManifest(body)
  return signStatement(MANIFEST_LABEL, body, key)
}

/**
 * Verifies a manifest the relay served. With a `pin` (from setup, a first login or an earlier
 * visit) it must be signed by the pinned key and not older than the version seen; without one
 * this is first use and the signer becomes the pin (a person checks its fingerprint).
 * @returns the manifest and the pin to keep (the highest version seen).
 * @throws CryptoError `KEY_MISMATCH` (another node key), `BAD_SIGNATURE` (forged or malformed),
 * `STALE` (a lower version than seen), `BAD_INPUT` (a field out of range).
 */
export function verifyNodeManifest(
  signed: SignedNodeManifest,
  pin: ManifestPin | undefined,
): { readonly manifest: NodeManifest; readonly pin: ManifestPin } {
  const body = verifyStatement(MANIFEST_LABEL, signed, pin?.signer)
  try {
    checkManifest(body)
  } catch (cause) {
    throw new CryptoError("BAD_INPUT", `the node manifest is malformed: ${String(cause)}`, {
      cause,
    })
  }
  if (body.directorySigner !== signed.signer) {
    throw new CryptoError("KEY_MISMATCH", "the node manifest names another directory signer")
  }
  if (pin !== undefined && body.version < pin.version) {
    throw new CryptoError(
      "STALE",
      `the node manifest is version ${body.version}, older than version ${pin.version} seen before`,
    )
  }
  return { manifest: body, pin: { signer: signed.signer, version: body.version } }
}

/**
 * Checks every field of a manifest body.
 * @throws CryptoError `BAD_INPUT` naming the field.
 */
export function checkManifest(m: NodeManifest): void {
  if (typeof m !== "object" || m === null || m.v !== 2 || m.protocol !== MANIFEST_PROTOCOL) {
    throw new CryptoError("BAD_INPUT", `"manifest" expected v 2, protocol ${MANIFEST_PROTOCOL}`)
  }
  expectInteger("manifest.version", m.version, 1, Number.MAX_SAFE_INTEGER)
  if (Number.isNaN(Date.parse(expectString("manifest.issuedAt", m.issuedAt, 40)))) {
    throw new CryptoError("BAD_INPUT", `"manifest.issuedAt" expected an ISO 8601 time`)
  }
  expectString("manifest.name", m.name, 200)
  if (m.escrow !== null && !isAgeRecipient(m.escrow)) {
    throw new CryptoError("BAD_INPUT", `"manifest.escrow" expected an age recipient or null`)
  }
  if (typeof m.receipt !== "object" || m.receipt === null) {
    throw new CryptoError("BAD_INPUT", `"manifest.receipt" expected an object`)
  }
  parseReceiptPattern(m.receipt.pattern)
  if (fromBase64url("manifest.receipt.salt", m.receipt.salt).length !== SALT_BYTES) {
    throw new CryptoError("BAD_INPUT", `"manifest.receipt.salt" expected ${SALT_BYTES} bytes`)
  }
  checkKdfParams(m.receipt.params)
  checkKdfBounds(m.passwordKdf)
  if (typeof m.pow !== "object" || m.pow === null) {
    throw new CryptoError("BAD_INPUT", `"manifest.pow" expected an object`)
  }
  const min = expectInteger("manifest.pow.minDifficulty", m.pow.minDifficulty, 0, 32)
  expectInteger("manifest.pow.maxDifficulty", m.pow.maxDifficulty, min, 32)
  if (fromBase64url("manifest.directorySigner", m.directorySigner).length !== 32) {
    throw new CryptoError("BAD_INPUT", `"manifest.directorySigner" expected a 32-byte key`)
  }
  if (m.oprf !== undefined) manifestOprfKeys(m)
}

/**
 * The OPRF public keys a manifest lists, decoded: the only keys a client accepts an OPRF
 * evaluation under. Empty when the manifest has no OPRF part (a node made before it).
 * @throws CryptoError `BAD_INPUT` when the part is malformed (another suite, no key, more than
 * {@link MAX_MANIFEST_OPRF_KEYS}, a key that is not 32 bytes, a repeated key).
 */
export function manifestOprfKeys(m: NodeManifest): Uint8Array[] {
  const o = m.oprf
  if (o === undefined) return []
  if (typeof o !== "object" || o === null || o.suite !== OPRF_SUITE || !Array.isArray(o.keys)) {
    throw new CryptoError("BAD_INPUT", `"manifest.oprf" expected { suite: "${OPRF_SUITE}", keys }`)
  }
  if (o.keys.length < 1 || o.keys.length > MAX_MANIFEST_OPRF_KEYS) {
    throw new CryptoError(
      "BAD_INPUT",
      `"manifest.oprf.keys" expected 1 to ${MAX_MANIFEST_OPRF_KEYS} keys, got ${o.keys.length}`,
    )
  }
  if (o.v1Receipts !== undefined && o.v1Receipts !== true) {
    throw new CryptoError("BAD_INPUT", `"manifest.oprf.v1Receipts" expected true or absent`)
  }
  if (new Set(o.keys).size !== o.keys.length) {
    throw new CryptoError("BAD_INPUT", `"manifest.oprf.keys" lists a key twice`)
  }
  return o.keys.map((k, i) => {
    const key = fromBase64url(`manifest.oprf.keys[${i}]`, k)
    if (key.length !== OPRF_ELEMENT_BYTES) {
      throw new CryptoError("BAD_INPUT", `"manifest.oprf.keys[${i}]" expected a 32-byte key`)
    }
    return key
  })
}
