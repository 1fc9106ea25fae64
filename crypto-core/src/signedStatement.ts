import canonicalize from "canonicalize"
import nacl from "tweetnacl"
import { expectBytes, expectString } from "./_validate.js"
import { concatBytes, fromBase64url, toBase64url, utf8 } from "./encoding.js"
import { CryptoError } from "./errors.js"
import type { SigningKeyPair } from "./keyDirectory.js"

/**
 * A JSON body signed with Ed25519 under a domain-separation label (protocol v2). The node
 * manifest, key certifications, keyholder lists and transcript entries all use this one shape,
 * so each is verified by the same code and no signature can be replayed as another kind.
 */
export interface SignedStatement<T> {
  readonly body: T
  /** The signer's Ed25519 public key, base64url (32 bytes). */
  readonly signer: string
  /** The detached Ed25519 signature over {@link encodeStatement}, base64url (64 bytes). */
  readonly signature: string
}

/**
 * The exact bytes that are signed: the label, a line feed, then the RFC 8785 (JCS) canonical
 * JSON of `body`.
 * @throws CryptoError `BAD_INPUT` when the label is malformed or the body is not JSON.
 */
export function encodeStatement(label: string, body: unknown): Uint8Array {
  if (!/^sotto\/v[0-9]+\/[a-z0-9-]+$/.test(label)) {
    throw new CryptoError(
      "BAD_INPUT",
      `"label" expected sotto/vN/name, got ${JSON.stringify(label)}`,
    )
  }
  const json = canonicalize(body)
  if (json === undefined) throw new CryptoError("BAD_INPUT", `"body" is not JSON`)
  return concatBytes(utf8(`${label}\n`), utf8(json))
}

/** Signs `body` under `label` with an Ed25519 key pair. */
export function signStatement<T>(label: string, body: T, key: SigningKeyPair): SignedStatement<T> {
  const signature = nacl.sign.detached(
    encodeStatement(label, body),
    expectBytes("key.secretKey", key.secretKey, 64),
  )
  return { body, signer: toBase64url(key.publicKey), signature: toBase64url(signature) }
}

/**
 * Verifies a statement signed under `label`. With `expectedSigner` (base64url public key) the
 * signer must be exactly that key: a statement is only as good as the key the caller pinned or
 * derived itself, never one the relay named.
 * @returns the body.
 * @throws CryptoError `KEY_MISMATCH` when signed by another key than `expectedSigner`,
 * `BAD_SIGNATURE` when the signature does not verify or is malformed.
 */
export function verifyStatement<T>(
  label: string,
  signed: SignedStatement<T>,
  expectedSigner?: string,
): T {
  if (typeof signed !== "object" || signed === null) {
    throw new CryptoError("BAD_SIGNATURE", "the signed statement is missing")
  }
  const signer = expectString("signed.signer", signed.signer, 100)
  if (expectedSigner !== undefined && signer !== expectedSigner) {
    throw new CryptoError("KEY_MISMATCH", `this ${describe(label)} is signed by an unexpected key`)
  }
  let publicKey: Uint8Array
  let signature: Uint8Array
  let message: Uint8Array
  try {
    publicKey = fromBase64url("signed.signer", signer)
    signature = fromBase64url("signed.signature", signed.signature)
    message = encodeStatement(label, signed.body)
  } catch (cause) {
    throw new CryptoError("BAD_SIGNATURE", `the ${describe(label)} is malformed`, { cause })
  }
  if (publicKey.length !== 32 || signature.length !== 64) {
    throw new CryptoError("BAD_SIGNATURE", `the ${describe(label)} signature is malformed`)
  }
  if (!nacl.sign.detached.verify(message, signature, publicKey)) {
    throw new CryptoError("BAD_SIGNATURE", `the ${describe(label)} signature does not verify`)
  }
  return signed.body
}

/** The Ed25519 public key of a key pair as carried in statements (base64url). */
export function signerOf(key: SigningKeyPair): string {
  return toBase64url(expectBytes("key.publicKey", key.publicKey, 32))
}

function describe(label: string): string {
  return label.slice(label.lastIndexOf("/") + 1).replaceAll("-", " ")
}
