import { type ByteSource, SUITE_NAME, voprf } from "./_oprfSuite.js"
import { expectBytes } from "./_validate.js"
import { constantTimeEqual, toBase64url, utf8 } from "./encoding.js"
import { CryptoError } from "./errors.js"

/** The RFC 9497 ciphersuite of every Sotto OPRF evaluation, in verifiable (VOPRF) mode. */
export const OPRF_SUITE = "ristretto255-SHA512"
/** Bytes of an OPRF key seed, a serialized element (blinded, evaluated, public key) and a scalar. */
export const OPRF_SEED_BYTES = 32
export const OPRF_ELEMENT_BYTES = 32
/** Bytes of a DLEQ proof (two scalars). */
export const OPRF_PROOF_BYTES = 64
/** Bytes of an OPRF output (SHA-512). */
export const OPRF_OUTPUT_BYTES = 64

const KEY_INFO = utf8("sotto/v2/oprf-key")

/** A relay's OPRF key: the secret scalar never leaves the relay's key file. */
export interface OprfKeyPair {
  readonly secretKey: Uint8Array
  readonly publicKey: Uint8Array
}

/** What the client keeps between blinding and finalizing: `blind` never leaves the client. */
export interface OprfBlinding {
  readonly blind: Uint8Array
  readonly blinded: Uint8Array
}

/** The relay's answer to one blinded element. */
export interface OprfEvaluation {
  readonly evaluated: Uint8Array
  /** DLEQ proof that `evaluated` = k·blinded for the `publicKey` = k·G (RFC 9497 §2.2). */
  readonly proof: Uint8Array
  /** Which of the node's keys the relay says it used; the client checks it is a manifest key. */
  readonly publicKey: Uint8Array
}

if (SUITE_NAME !== OPRF_SUITE) throw new Error(`@noble/curves names its suite ${SUITE_NAME}`)

/**
 * The relay's OPRF key pair from its 32-byte seed (the content of `OPRF_KEY_FILE`):
 * RFC 9497 DeriveKeyPair(seed, "sotto/v2/oprf-key") in VOPRF mode.
 * @throws CryptoError `BAD_INPUT` unless `seed` is 32 bytes.
 */
export function oprfKeyFromSeed(seed: Uint8Array): OprfKeyPair {
  expectBytes("seed", seed, OPRF_SEED_BYTES)
  return voprf.deriveKeyPair(seed, KEY_INFO)
}

/** The base64url form of an OPRF public key, as the node manifest lists it. */
export function oprfKeyId(publicKey: Uint8Array): string {
  return toBase64url(expectBytes("publicKey", publicKey, OPRF_ELEMENT_BYTES))
}

/**
 * Client step 1: blinds `input` with a fresh random scalar. Send `blinded`; keep `blind`.
 * @throws CryptoError `BAD_INPUT` when `input` is empty or not bytes.
 */
export function blindOprfInput(input: Uint8Array, rng?: ByteSource): OprfBlinding {
  expectBytes("input", input)
  if (input.length === 0) throw new CryptoError("BAD_INPUT", `"input" must not be empty`)
  return rng === undefined ? voprf.blind(input) : voprf.blind(input, rng)
}

/**
 * Relay step: evaluates a blinded element with the key and proves it (DLEQ). The relay learns
 * nothing about the input.
 * @throws CryptoError `BAD_INPUT` when `blinded` is not a valid non-identity ristretto255 element.
 */
export function evaluateOprf(
  key: OprfKeyPair,
  blinded: Uint8Array,
  rng?: ByteSource,
): OprfEvaluation {
  expectBytes("blinded", blinded, OPRF_ELEMENT_BYTES)
  try {
    const { evaluated, proof } =
      rng === undefined
        ? voprf.blindEvaluate(key.secretKey, key.publicKey, blinded)
        : voprf.blindEvaluate(key.secretKey, key.publicKey, blinded, rng)
    return { evaluated, proof, publicKey: key.publicKey }
  } catch (cause) {
    throw new CryptoError("BAD_INPUT", `"blinded" is not a ristretto255 element`, { cause })
  }
}

/**
 * Client step 2: checks that the relay used one of the `trusted` keys (from the verified node
 * manifest, never from the relay's answer alone), verifies the DLEQ proof, and unblinds.
 * @returns the 64-byte OPRF output F(k, input).
 * @throws CryptoError `KEY_MISMATCH` when the relay names a key the manifest does not list,
 * `BAD_PROOF` when the proof does not verify (another key, or a tampered evaluation),
 * `BAD_INPUT` when a field is malformed.
 */
export function finalizeOprf(
  input: Uint8Array,
  blinding: OprfBlinding,
  evaluation: OprfEvaluation,
  trusted: readonly Uint8Array[],
): Uint8Array {
  const publicKey = expectBytes("evaluation.publicKey", evaluation.publicKey, OPRF_ELEMENT_BYTES)
  expectBytes("evaluation.evaluated", evaluation.evaluated, OPRF_ELEMENT_BYTES)
  expectBytes("evaluation.proof", evaluation.proof, OPRF_PROOF_BYTES)
  if (!trusted.some((k) => k.length === publicKey.length && constantTimeEqual(k, publicKey))) {
    throw new CryptoError(
      "KEY_MISMATCH",
      "the relay evaluated with an OPRF key that the node manifest does not list",
    )
  }
  try {
    return voprf.finalize(
      input,
      blinding.blind,
      evaluation.evaluated,
      blinding.blinded,
      publicKey,
      evaluation.proof,
    )
  } catch (cause) {
    throw new CryptoError(
      "BAD_PROOF",
      "the relay's OPRF proof does not verify under the node's OPRF key",
      { cause },
    )
  }
}
