import {
  fromBase64url,
  type OprfEvaluation,
  type PendingOprfDerivation,
  powBinding,
  solvePow,
  toBase64url,
} from "@sotto/crypto-core"
import { oprf, wb } from "@sotto/protocol"
import type { TestRelay } from "./_harness.js"

// The client's side of the relay's OPRF in tests, as the PWA's worker does it: pay the proof of
// work, send the blinded element, decode the answer. Verification is crypto-core's `finish`.

/** The body of an evaluation of `blinded`, paid with a proof bound to it. */
export async function evaluationBody(t: TestRelay, blinded: Uint8Array, key?: string) {
  const paidFor = { blinded: toBase64url(blinded), ...(key === undefined ? {} : { key }) }
  const challenge = await t.client.call(wb.getPow, { query: { for: "oprfEvaluate" } })
  const binding = powBinding("oprfEvaluate", paidFor)
  const nonce = await solvePow({ ...challenge, binding })
  return { pow: { challenge: challenge.challenge, nonce }, ...paidFor }
}

/** Asks the relay to evaluate `blinded` (with key `key`, else its newest). */
export async function relayEvaluate(
  t: TestRelay,
  blinded: Uint8Array,
  key?: string,
): Promise<OprfEvaluation> {
  const res = await t.client.call(oprf.oprfEvaluate, {
    body: await evaluationBody(t, blinded, key),
  })
  return {
    evaluated: fromBase64url("evaluated", res.evaluated),
    proof: fromBase64url("proof", res.proof),
    publicKey: fromBase64url("key", res.key),
  }
}

/** Finishes a pending derivation through the relay, trusting only `manifestKeys`. */
export async function finishThrough(
  t: TestRelay,
  pending: PendingOprfDerivation,
  manifestKeys: readonly Uint8Array[],
  key?: string,
) {
  return pending.finish(await relayEvaluate(t, pending.blinded, key), manifestKeys)
}
