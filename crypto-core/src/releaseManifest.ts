import { sha256 } from "@noble/hashes/sha2.js"
import canonicalize from "canonicalize"
import nacl from "tweetnacl"
import { expectBytes } from "./_validate.js"
import { fromBase64url, toBase64url, utf8 } from "./encoding.js"
import { CryptoError } from "./errors.js"

export { RELEASE_KEYS } from "./releaseKeys.js"
export { signerOf } from "./signedStatement.js"

import type { SigningKeyPair } from "./keyDirectory.js"
import { encodeStatement, signerOf, signStatement, verifyStatement } from "./signedStatement.js"

// The integrity manifest of a PWA build (SPEC §13), shaped like WEBCAT's: `manifest` lists every
// served file's SHA-256, the CSP and the security headers; `signatures` maps each signer's
// Ed25519 public key to a detached signature over the manifest (a signed statement, so no other
// Sotto signature can be replayed as a release signature).

/** The domain-separation label of release signatures. */
export const RELEASE_MANIFEST_LABEL = "sotto/v2/release-manifest"

/** What a build promises: the files a node serves and the headers it sends with them. */
export interface IntegrityManifest {
  readonly app_name: string
  readonly app_version: string
  /** The git commit the build was made from (full hash), or "unknown". */
  readonly commit: string
  /** The Content-Security-Policy every response carries. */
  readonly default_csp: string
  /** Every other security header the relay sends, name → value. */
  readonly headers: Readonly<Record<string, string>>
  readonly default_index: string
  readonly default_fallback: string
  /** Served path (`/index.html`) → SHA-256 of the file's bytes, base64url. */
  readonly files: Readonly<Record<string, string>>
}

/** A manifest with its detached signatures: signer public key (base64url) → signature. */
export interface SignedIntegrityManifest {
  readonly manifest: IntegrityManifest
  readonly signatures: Readonly<Record<string, string>>
}

/** SHA-256 of a file's bytes as the manifest lists it (base64url, no padding). */
export function fileDigest(bytes: Uint8Array): string {
  return toBase64url(sha256(expectBytes("bytes", bytes)))
}

/**
 * The manifest's identity: SHA-256 (hex) of its signed bytes. Two builds with the same files and
 * headers have the same hash, whoever signed them; the footer and `sotto-verify` print it.
 * @throws CryptoError `BAD_INPUT` when the manifest is not JSON.
 */
export function manifestHash(manifest: IntegrityManifest): string {
  return [...sha256(encodeStatement(RELEASE_MANIFEST_LABEL, manifest))]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("")
}

/** Adds `key`'s signature (release or node operator) to a manifest, keeping the others. */
export function signManifest(
  signed: SignedIntegrityManifest,
  key: SigningKeyPair,
): SignedIntegrityManifest {
  const { signature } = signStatement(RELEASE_MANIFEST_LABEL, signed.manifest, key)
  return {
    manifest: signed.manifest,
    signatures: { ...signed.signatures, [signerOf(key)]: signature },
  }
}

/**
 * Checks that a signed manifest is well formed and carries a valid signature by each key of
 * `required` and by at least one key of `trusted` (base64url Ed25519 public keys, pinned by the
 * caller: never keys the server named).
 * @returns the keys whose signatures verified.
 * @throws CryptoError `BAD_INPUT` when the document is not a manifest, `UNSIGNED` when no trusted
 * key signed it, `BAD_SIGNATURE` when a trusted or required key's signature does not verify,
 * `KEY_MISMATCH` when a required key did not sign.
 */
export function verifyManifest(
  signed: unknown,
  trusted: readonly string[],
  required: readonly string[] = [],
): string[] {
  const doc = parseSignedManifest(signed)
  const valid: string[] = []
  for (const key of new Set([...trusted, ...required])) {
    const signature = doc.signatures[key]
    if (signature === undefined) continue
    verifyStatement(RELEASE_MANIFEST_LABEL, { body: doc.manifest, signer: key, signature }, key)
    valid.push(key)
  }
  for (const key of required) {
    if (!valid.includes(key))
      throw new CryptoError("KEY_MISMATCH", "a required signature is missing")
  }
  if (!valid.some((key) => trusted.includes(key))) {
    throw new CryptoError("UNSIGNED", "no trusted release key signed this manifest")
  }
  return valid
}

/**
 * Validates the shape of a signed manifest (strings where strings belong, paths starting with
 * `/`, digests of 32 bytes) without checking any signature.
 * @throws CryptoError `BAD_INPUT` naming the first field that is wrong.
 */
export function parseSignedManifest(doc: unknown): SignedIntegrityManifest {
  const bad = (what: string) => new CryptoError("BAD_INPUT", `integrity manifest: ${what}`)
  if (!isRecord(doc) || !isRecord(doc.manifest) || !isRecord(doc.signatures))
    throw bad(`expected {"manifest", "signatures"}`)
  const m = doc.manifest
  for (const field of ["app_name", "app_version", "commit", "default_csp", "default_index"]) {
    if (typeof m[field] !== "string") throw bad(`"manifest.${field}" must be a string`)
  }
  if (typeof m.default_fallback !== "string")
    throw bad(`"manifest.default_fallback" must be a string`)
  if (!isRecord(m.headers) || !Object.values(m.headers).every((v) => typeof v === "string"))
    throw bad(`"manifest.headers" must map names to strings`)
  if (!isRecord(m.files)) throw bad(`"manifest.files" must be an object`)
  for (const [path, digest] of Object.entries(m.files)) {
    if (!path.startsWith("/") || path.includes(".."))
      throw bad(`file path ${JSON.stringify(path)} must start with / and stay inside the app`)
    if (typeof digest !== "string" || fromBase64url(`files[${path}]`, digest).length !== 32)
      throw bad(`the digest of ${path} must be a base64url SHA-256`)
  }
  for (const [key, signature] of Object.entries(doc.signatures)) {
    if (typeof signature !== "string") throw bad(`the signature of ${key} must be a string`)
  }
  if (canonicalize(doc.manifest) === undefined) throw bad("the manifest is not JSON")
  return doc as unknown as SignedIntegrityManifest
}

/** The Ed25519 key pair of a 32-byte seed (a release key file holds the seed, base64url). */
export function releaseKeyFromSeed(seed: Uint8Array): SigningKeyPair {
  const pair = nacl.sign.keyPair.fromSeed(expectBytes("seed", seed, 32))
  return { publicKey: pair.publicKey, secretKey: pair.secretKey }
}

/** Reads a release key file's text (the base64url seed, surrounding whitespace ignored). */
export function parseReleaseKey(text: string): SigningKeyPair {
  return releaseKeyFromSeed(fromBase64url("release key", text.trim()))
}

/** The bytes a node serves at `/.well-known/sotto-integrity.json`. */
export function encodeSignedManifest(signed: SignedIntegrityManifest): Uint8Array {
  return utf8(`${JSON.stringify(signed, null, 2)}\n`)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
}
