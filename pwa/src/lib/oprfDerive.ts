import { isCryptoError, type NodeManifest, type PowBounds } from "@sotto/crypto-core"
import { oprf } from "@sotto/protocol"
import type { DerivedKeys } from "@sotto/workers"
import { relay } from "./api.js"
import { crypto } from "./crypto.js"
import { fromBase64url, toBase64url } from "./wbBytes.js"
import { withPow } from "./withPow.js"

// The OPRF step of the key derivation (crypto-core/SPEC.md §16) in the browser: the KDF worker
// stretches and blinds the secret, the relay evaluates the blinded element (paid with a proof of
// work), the worker checks the evaluation's key against the signed manifest and its proof, then
// derives the keys. The relay's `key` answer is only a hint: the trusted keys are the manifest's.

/** Why an OPRF evaluation is refused, for lib/messages.ts. */
export type OprfCode = "OPRF_KEY_MISMATCH" | "OPRF_BAD_PROOF" | "OPRF_DOWNGRADE" | "OPRF_OFFLINE"

/** An OPRF answer this browser must not use: nothing derived from it is ever sent. */
export class OprfRefused extends Error {
  override readonly name = "OprfRefused"
  constructor(
    readonly code: OprfCode,
    message: string,
  ) {
    super(message)
  }
}

/**
 * What an OPRF derivation trusts: a verified manifest, or at setup the relay's keys that the
 * first manifest is about to sign.
 */
export type OprfTrust = Pick<NodeManifest, "oprf" | "pow">

/** The OPRF public keys (base64url) of a verified manifest, newest first; empty before the OPRF. */
export function manifestKeys(manifest: Pick<NodeManifest, "oprf">): readonly string[] {
  return manifest.oprf?.keys ?? []
}

/** Step 1 in the KDF worker: returns the handle and the blinded element. */
export type BeginOprf = (
  onProgress: (fraction: number) => void,
) => Promise<{ handle: number; blinded: Uint8Array }>

/** Where an OPRF derivation gets its trust and its price. */
export interface OprfContext {
  /** The keys the evaluation may be under (the verified manifest's; at setup, the relay's). */
  readonly trusted: readonly string[]
  /** The key to ask for (an account's `kdf.oprf`); the newest trusted key when absent. */
  readonly key?: string
  /** Proof-of-work bounds of the verified manifest. */
  readonly bounds: PowBounds
  readonly onPowProgress?: (fraction: number) => void
  readonly signal?: AbortSignal
}

/**
 * Runs `begin` (scrypt and blinding in the KDF worker), has the relay evaluate the blinded
 * element, and finishes in the worker against `context.trusted` only.
 * @throws OprfRefused `OPRF_KEY_MISMATCH` (the key asked for, or the key the relay evaluated
 * under, is not in the manifest), `OPRF_BAD_PROOF` (the relay's proof does not verify);
 * RelayClientError from the evaluation; CryptoError from the worker (`WEAK_PARAMS`, `ABORTED`).
 */
export async function deriveWithOprf(
  begin: BeginOprf,
  onProgress: (fraction: number) => void,
  context: OprfContext,
): Promise<DerivedKeys> {
  const key = context.key ?? context.trusted[0]
  // Refused before any work: an account bound to a key the manifest does not list.
  if (key === undefined || !context.trusted.includes(key)) {
    throw new OprfRefused("OPRF_KEY_MISMATCH", "the OPRF key asked for is not in the manifest")
  }
  const kdf = crypto().kdf
  const { handle, blinded } = await begin(onProgress)
  const paidFor = { blinded: toBase64url(blinded), key }
  const answer = await withPow(
    "oprfEvaluate",
    paidFor,
    context.bounds,
    (pow) => relay.call(oprf.oprfEvaluate, { body: { pow, ...paidFor } }),
    context.onPowProgress ?? (() => undefined),
    context.signal,
  )
  try {
    return await kdf.finishOprf(
      handle,
      {
        evaluated: fromBase64url(answer.evaluated),
        proof: fromBase64url(answer.proof),
        publicKey: fromBase64url(answer.key),
      },
      context.trusted.map((k) => fromBase64url(k)),
    )
  } catch (e) {
    if (isCryptoError(e, "KEY_MISMATCH")) throw new OprfRefused("OPRF_KEY_MISMATCH", e.message)
    if (isCryptoError(e, "BAD_PROOF")) throw new OprfRefused("OPRF_BAD_PROOF", e.message)
    throw e
  }
}
