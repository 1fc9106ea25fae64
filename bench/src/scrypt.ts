import { scryptSync } from "node:crypto"
import { scrypt as nobleScrypt } from "@noble/hashes/scrypt.js"
import { derivePasswordKeys, drawSalt } from "@sotto/crypto-core"
import {
  type Contender,
  progress,
  type RoundOptions,
  timeInterleaved,
  timingOf,
} from "./_measure.js"
import { compare, type Measurement, toSeries } from "./_report.js"

// Password key derivation: crypto-core's derivePasswordKeys (noble scryptAsync + HKDF + X25519
// public key, exactly what a user's browser runs at login) against OpenSSL's scrypt through
// node:crypto with the same N, r, p, and against noble's synchronous scrypt as a reference for
// how much of the gap is the async wrapper rather than scrypt itself.

/** Which scrypt costs to measure and how often. */
export interface ScryptBenchOptions extends RoundOptions {
  /** log2 of each N to measure, e.g. [15, 16, 17]. */
  readonly logNs: readonly number[]
  readonly r: number
  readonly p: number
}

const CORE = "crypto-core"
const NATIVE = "node:crypto"
const NOBLE_SYNC = "noble-sync"
const PASSWORD = "correct horse battery staple"
const DK_LEN = 32
/** Room for OpenSSL's 128·N·r bytes of scratch at the largest N measured (2^17 · 8 → 128 MiB). */
const MAXMEM = 256 * 1024 * 1024

/** Measures one N: all three contenders interleaved, `reps` timed rounds each. */
async function benchOneN(logN: number, options: ScryptBenchOptions): Promise<Measurement> {
  const N = 2 ** logN
  const { r, p } = options
  const salt = drawSalt()
  const passwordBytes = new TextEncoder().encode(PASSWORD.normalize("NFC"))
  let nativeKey: Uint8Array | undefined
  let nobleKey: Uint8Array | undefined
  const contenders: Contender[] = [
    {
      name: CORE,
      run: async () => {
        await derivePasswordKeys(PASSWORD, salt, { N, r, p })
      },
    },
    {
      name: NATIVE,
      run: () => {
        nativeKey = scryptSync(passwordBytes, salt, DK_LEN, { N, r, p, maxmem: MAXMEM })
      },
    },
    {
      name: NOBLE_SYNC,
      run: () => {
        nobleKey = nobleScrypt(passwordBytes, salt, { N, r, p, dkLen: DK_LEN })
      },
    },
  ]
  progress(`scrypt N=2^${logN} r=${r} p=${p} x ${options.warmup}+${options.reps}`)
  const timings = await timeInterleaved(contenders, options)
  // Same parameters must give the same key, or the comparison is meaningless.
  if (!nativeKey || !nobleKey || Buffer.compare(nativeKey, nobleKey) !== 0) {
    throw new Error(`scrypt N=2^${logN}: node:crypto and noble disagree`)
  }

  const ms = (value: number): number => value
  const core = toSeries(timingOf(timings, CORE), ms)
  const native = toSeries(timingOf(timings, NATIVE), ms)
  const nobleSync = toSeries(timingOf(timings, NOBLE_SYNC), ms)
  return {
    id: `scrypt/N=2^${logN}`,
    subject: `derivePasswordKeys(password, salt, { N: 2 ** ${logN}, r: ${r}, p: ${p} })`,
    unit: "ms",
    median: core.median,
    samples: core.samples,
    baseline: native,
    ratio: compare(core, native).ratio,
    ratioMeaning: "crypto-core time / other time; above 1 means crypto-core is slower",
    competitors: [compare(core, nobleSync)],
    params: { N, logN, r, p, dkLen: DK_LEN, reps: options.reps, warmup: options.warmup },
  }
}

/** Measures every N in `options.logNs`, smallest first. */
export async function benchScrypt(options: ScryptBenchOptions): Promise<Measurement[]> {
  const results: Measurement[] = []
  for (const logN of options.logNs) results.push(await benchOneN(logN, options))
  return results
}
