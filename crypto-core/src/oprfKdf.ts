import { hkdf } from "@noble/hashes/hkdf.js"
import { sha256 } from "@noble/hashes/sha2.js"
import { expectBytesBetween, expectString } from "./_validate.js"
import { identityFromSecret, recipientOf } from "./age.js"
import { utf8 } from "./encoding.js"
import { CryptoError } from "./errors.js"
import { blindOprfInput, finalizeOprf, type OprfEvaluation } from "./oprf.js"
import {
  checkKdfParams,
  type DerivedKeys,
  type KdfOptions,
  type KdfParams,
  SALT_BYTES,
} from "./passwordKdf.js"
import { DEFAULT_RECEIPT_KDF_PARAMS, DEFAULT_RECEIPT_PATTERN, normaliseReceipt } from "./receipt.js"
import { activeScrypt } from "./scrypt.js"

/** What a secret is for: each use has its own OPRF input label and HKDF labels (SPEC §16). */
export type OprfUse = "password" | "receipt"

const LABELS: Record<OprfUse, { input: string; auth: string; identity: string }> = {
  password: {
    input: "sotto/v2/password/oprf-input",
    auth: "sotto/v2/password/auth-key",
    identity: "sotto/v2/password/identity",
  },
  receipt: {
    input: "sotto/v2/receipt/oprf-input",
    auth: "sotto/v2/receipt/auth-key",
    identity: "sotto/v2/receipt/identity",
  },
}

/**
 * A derivation waiting for the relay: send `blinded` to the relay's OPRF evaluation, then call
 * `finish` with its answer. Holds the stretched secret until `finish` or `discard`.
 */
export interface PendingOprfDerivation {
  /** The blinded element (32 bytes) for the relay; it reveals nothing about the secret. */
  readonly blinded: Uint8Array
  /**
   * Verifies the relay's evaluation against the manifest's OPRF keys and derives the keys.
   * Wipes the held secret whatever happens; call once.
   * @throws CryptoError `KEY_MISMATCH`, `BAD_PROOF`, `BAD_INPUT` (see {@link finalizeOprf}).
   */
  finish(evaluation: OprfEvaluation, trusted: readonly Uint8Array[]): Promise<DerivedKeys>
  /** Wipes the held secret without deriving (the user cancelled, the relay failed). */
  discard(): void
}

/**
 * Protocol v2 derivation, step 1 (SPEC §16): `m = scrypt(secret, salt, params)`, OPRF input
 * `x = HKDF-SHA-256(m, ∅, "sotto/v2/<use>/oprf-input", 32)`, blinded with a fresh scalar.
 * Step 2 (`finish`): `y = VOPRF-Finalize(x, …)` checked against the manifest keys, then
 * `authKey = HKDF-SHA-256(y, ∅, "sotto/v2/<use>/auth-key", 32)` and the identity from
 * `HKDF-SHA-256(y, ∅, "sotto/v2/<use>/identity", 32)`. Without the relay's OPRF key no stored
 * value can be tested against a guess; with it, a guess costs one scrypt as in v1.
 * @throws CryptoError `WEAK_PARAMS`, `BAD_INPUT` or `ABORTED`.
 */
export async function beginOprfDerivation(
  use: OprfUse,
  secret: Uint8Array,
  salt: Uint8Array,
  params: KdfParams,
  options: KdfOptions = {},
): Promise<PendingOprfDerivation> {
  const labels = LABELS[use]
  const { N, r, p } = checkKdfParams(params)
  expectBytesBetween("salt", salt, SALT_BYTES, 64)
  options.signal?.throwIfAborted?.()
  const master = await activeScrypt().derive(secret, salt, { N, r, p }, options)
  const input = hkdf(sha256, master, undefined, utf8(labels.input), 32)
  master.fill(0)
  const blinding = blindOprfInput(input)
  let done = false
  const wipe = () => {
    done = true
    input.fill(0)
    blinding.blind.fill(0)
  }
  return {
    blinded: blinding.blinded,
    async finish(evaluation, trusted) {
      if (done) throw new Error("this OPRF derivation was already finished or discarded")
      let output: Uint8Array
      try {
        output = finalizeOprf(input, blinding, evaluation, trusted)
      } finally {
        wipe()
      }
      const authKey = hkdf(sha256, output, undefined, utf8(labels.auth), 32)
      const identity = identityFromSecret(
        hkdf(sha256, output, undefined, utf8(labels.identity), 32),
      )
      output.fill(0)
      return { authKey, identity, recipient: await recipientOf(identity) }
    },
    discard: wipe,
  }
}

/**
 * {@link beginOprfDerivation} for a staff password (or one-time password): the secret is
 * NFC(password) and the salt the account's, exactly as v1's {@link derivePasswordKeys}.
 * @throws CryptoError `BAD_INPUT` for an empty password, `WEAK_PARAMS`, `ABORTED`.
 */
export function beginPasswordOprf(
  password: string,
  salt: Uint8Array,
  params: KdfParams,
  options: KdfOptions = {},
): Promise<PendingOprfDerivation> {
  const pw = expectString("password", password, 1024)
  if (pw.length === 0) throw new CryptoError("BAD_INPUT", `"password" must not be empty`)
  return beginOprfDerivation("password", utf8(pw.normalize("NFC")), salt, params, options)
}

/**
 * {@link beginOprfDerivation} for a receipt: the canonical receipt (see `normaliseReceipt`)
 * under the node's receipt salt and params, as v1's `deriveReceiptKeys`.
 * @throws CryptoError `BAD_RECEIPT_FORMAT`, `WEAK_PARAMS`, `BAD_INPUT` or `ABORTED`.
 */
export function beginReceiptOprf(
  receipt: string,
  nodeSalt: Uint8Array,
  params: KdfParams = DEFAULT_RECEIPT_KDF_PARAMS,
  pattern: string = DEFAULT_RECEIPT_PATTERN,
  options: KdfOptions = {},
): Promise<PendingOprfDerivation> {
  const canonical = normaliseReceipt(receipt, pattern)
  return beginOprfDerivation("receipt", utf8(canonical), nodeSalt, params, options)
}
