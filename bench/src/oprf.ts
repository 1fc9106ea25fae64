import { scryptSync } from "node:crypto"
import {
  beginPasswordOprf,
  beginReceiptOprf,
  blindOprfInput,
  DEFAULT_KDF_PARAMS,
  DEFAULT_RECEIPT_KDF_PARAMS,
  derivePasswordKeys,
  deriveReceiptKeys,
  drawReceipt,
  drawSalt,
  finalizeOprf,
  fromBase64url,
  type KdfParams,
  type PendingOprfDerivation,
  powBinding,
  solvePow,
  toBase64url,
} from "@sotto/crypto-core"
import { call, startRelayProcess } from "./_loadRig.js"
import {
  type Contender,
  progress,
  type RoundOptions,
  timeInterleaved,
  timingOf,
} from "./_measure.js"
import { compare, type Measurement, toSeries } from "./_report.js"

// `npm run bench -- oprf`: what the OPRF step (SPEC §16) adds to a login. For a staff password
// (N = 2^17) and a receipt (N = 2^16), in the same run, interleaved: the v1 derivation against
// the v2 one, which adds the proof of work for the evaluation (the node's base difficulty), the
// HTTP round trip to a real relay on loopback (child process), the relay's evaluation with its
// DLEQ proof, and the client's proof check and unblinding. Baseline: node:crypto scrypt at the
// same cost, as in the scrypt bench. Target (issue 12): v2 at most 10 % slower than v1.

const PASSWORD = "correct horse battery staple"

interface Evaluated {
  evaluated: string
  proof: string
  key: string
}

async function evaluateOver(baseUrl: string, blinded: Uint8Array, trusted: Uint8Array[]) {
  const paidFor = { blinded: toBase64url(blinded) }
  const challenge = await call<{ challenge: string; difficulty: number }>(
    baseUrl,
    "GET",
    "/api/v1/pow?for=oprfEvaluate",
  )
  const nonce = await solvePow({ ...challenge, binding: powBinding("oprfEvaluate", paidFor) })
  const res = await call<Evaluated>(baseUrl, "POST", "/api/v1/oprf/evaluate", {
    body: { pow: { challenge: challenge.challenge, nonce }, ...paidFor },
  })
  return {
    evaluation: {
      evaluated: fromBase64url("evaluated", res.evaluated),
      proof: fromBase64url("proof", res.proof),
      publicKey: fromBase64url("key", res.key),
    },
    trusted,
  }
}

async function finish(baseUrl: string, pending: PendingOprfDerivation, trusted: Uint8Array[]) {
  const { evaluation } = await evaluateOver(baseUrl, pending.blinded, trusted)
  return pending.finish(evaluation, trusted)
}

async function benchOne(
  use: "password" | "receipt",
  params: KdfParams,
  baseUrl: string,
  trusted: Uint8Array[],
  options: RoundOptions,
): Promise<Measurement> {
  const salt = drawSalt()
  const receipt = drawReceipt()
  const secret = new TextEncoder().encode(
    use === "password" ? PASSWORD : receipt.replace(/\D/g, ""),
  )
  const contenders: Contender[] = [
    {
      name: "v2-oprf",
      run: async () => {
        const pending =
          use === "password"
            ? await beginPasswordOprf(PASSWORD, salt, params)
            : await beginReceiptOprf(receipt, salt, params)
        await finish(baseUrl, pending, trusted)
      },
    },
    {
      name: "v1",
      run: async () => {
        if (use === "password") await derivePasswordKeys(PASSWORD, salt, params)
        else await deriveReceiptKeys(receipt, salt, params)
      },
    },
    {
      // The OPRF step alone (no scrypt): what v2 adds, less sensitive to scrypt's noise.
      name: "oprf-step",
      run: async () => {
        const blinding = blindOprfInput(secret)
        const { evaluation } = await evaluateOver(baseUrl, blinding.blinded, trusted)
        finalizeOprf(secret, blinding, evaluation, trusted)
      },
    },
    {
      name: "node:crypto",
      run: () => {
        scryptSync(secret, salt, 32, { ...params, maxmem: 256 * 1024 * 1024 })
      },
    },
  ]
  progress(`oprf ${use} N=2^${Math.log2(params.N)} x ${options.warmup}+${options.reps}`)
  const timings = await timeInterleaved(contenders, options)
  const ms = (v: number) => v
  const v2 = toSeries(timingOf(timings, "v2-oprf"), ms)
  const v1 = toSeries(timingOf(timings, "v1"), ms)
  const native = toSeries(timingOf(timings, "node:crypto"), ms)
  const step = toSeries(timingOf(timings, "oprf-step"), ms)
  return {
    id: `oprf/${use}`,
    subject:
      use === "password"
        ? "beginPasswordOprf + PoW + POST /oprf/evaluate + finish (login derivation, v2)"
        : "beginReceiptOprf + PoW + POST /oprf/evaluate + finish (receipt derivation, v2)",
    unit: "ms",
    median: v2.median,
    samples: v2.samples,
    baseline: native,
    ratio: compare(v2, native).ratio,
    ratioMeaning: "v2 ms / other ms; >1 = v2 slower",
    competitors: [compare(v2, v1), compare(v2, step)],
    params: { use, logN: Math.log2(params.N), r: params.r, p: params.p },
  }
}

/** Runs the OPRF bench against a relay in a child process. */
export async function benchOprf(options: RoundOptions): Promise<Measurement[]> {
  const relay = await startRelayProcess()
  try {
    const keys = await call<{ keys: string[] }>(relay.baseUrl, "GET", "/api/v1/oprf")
    const trusted = keys.keys.map((k) => fromBase64url("key", k))
    return [
      await benchOne("password", DEFAULT_KDF_PARAMS, relay.baseUrl, trusted, options),
      await benchOne("receipt", DEFAULT_RECEIPT_KDF_PARAMS, relay.baseUrl, trusted, options),
    ]
  } finally {
    await relay.stop()
  }
}
