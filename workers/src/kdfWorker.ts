/**
 * The key-derivation worker: scrypt for passwords and receipts, which takes half a second or more
 * and must never run on the UI thread. Load it with
 * `new Worker(new URL("./kdfWorker.ts", import.meta.url), { type: "module" })`.
 */
import {
  activeScrypt,
  authVerifier,
  beginPasswordOprf,
  beginReceiptOprf,
  CryptoError,
  DEFAULT_RECEIPT_KDF_PARAMS,
  DEFAULT_RECEIPT_PATTERN,
  type DerivedKeys,
  derivePasswordKeys,
  deriveReceiptKeys,
  drawReceipt,
  drawSalt,
  type KdfParams,
  normaliseReceipt,
  type OprfEvaluation,
  type PendingOprfDerivation,
  useScrypt,
} from "@sotto/crypto-core"
import { loadWasmScrypt } from "@sotto/crypto-core/scrypt-wasm"
import { exposeApi, Jobs, type ProgressCallback, withProgress } from "./workerRuntime.js"

const jobs = new Jobs()

// OPRF derivations waiting for the relay's evaluation (SPEC §16), by handle. The stretched secret
// and the blind never leave the worker; at most a few are pending, each wiped when finished.
const pendingOprf = new Map<number, PendingOprfDerivation>()
let nextHandle = 1
const MAX_PENDING_OPRF = 8

function holdOprf(pending: PendingOprfDerivation): { handle: number; blinded: Uint8Array } {
  if (pendingOprf.size >= MAX_PENDING_OPRF) {
    for (const [handle, old] of pendingOprf) {
      old.discard()
      pendingOprf.delete(handle)
      break
    }
  }
  const handle = nextHandle++
  pendingOprf.set(handle, pending)
  return { handle, blinded: pending.blinded }
}

// hash-wasm's WebAssembly scrypt once it has loaded (near native speed), noble before that and
// wherever WebAssembly is refused: the same keys either way (crypto-core/src/scrypt.test.ts).
const scryptChosen: Promise<string> = loadWasmScrypt().then((impl) => {
  if (impl) useScrypt(impl)
  return activeScrypt().name
})

/** Derived keys as plain data: `authKey` bytes plus the identity and recipient strings. */
function plain(keys: DerivedKeys): DerivedKeys {
  return { authKey: keys.authKey, identity: keys.identity, recipient: keys.recipient }
}

/** What a cancellable derivation is given: its job's abort signal and its progress reporter. */
interface JobOptions {
  readonly signal: AbortSignal
  readonly onProgress: (fraction: number) => void
}

/** Runs `task` as job `jobId` (cancellable), reporting progress to `onProgress`, ending with 1. */
function kdfJob<T>(
  onProgress: ProgressCallback | undefined,
  jobId: string | undefined,
  task: (options: JobOptions) => Promise<T>,
): Promise<T> {
  return withProgress(
    onProgress,
    (report) => jobs.run(jobId, (signal) => task({ signal, onProgress: report })),
    () => 1,
  )
}

/**
 * What the KDF worker exposes. Every method is crypto-core's, run in the worker; long ones take a
 * comlink-proxied progress callback (fraction in [0, 1], ending with 1) and an optional job id
 * for {@link kdfApi.cancel}.
 */
export const kdfApi = {
  /**
   * `derivePasswordKeys` of crypto-core (SPEC §1) in the worker.
   * @throws CryptoError `WEAK_PARAMS`, `BAD_INPUT`, or `ABORTED` after `cancel(jobId)`.
   */
  derivePasswordKeys(
    password: string,
    salt: Uint8Array,
    params: KdfParams,
    onProgress?: ProgressCallback,
    jobId?: string,
  ): Promise<DerivedKeys> {
    return kdfJob(onProgress, jobId, async (options) =>
      plain(await derivePasswordKeys(password, salt, params, options)),
    )
  },

  /**
   * `deriveReceiptKeys` of crypto-core (SPEC §5) in the worker; `params` and `pattern` default
   * to the node defaults.
   * @throws CryptoError `BAD_RECEIPT_FORMAT`, `WEAK_PARAMS`, `BAD_INPUT` or `ABORTED`.
   */
  deriveReceiptKeys(
    receipt: string,
    nodeSalt: Uint8Array,
    params: KdfParams = DEFAULT_RECEIPT_KDF_PARAMS,
    pattern: string = DEFAULT_RECEIPT_PATTERN,
    onProgress?: ProgressCallback,
    jobId?: string,
  ): Promise<DerivedKeys> {
    return kdfJob(onProgress, jobId, async (options) =>
      plain(await deriveReceiptKeys(receipt, nodeSalt, params, pattern, options)),
    )
  },

  /**
   * Step 1 of the OPRF-hardened password derivation (SPEC §16): scrypt, then blinding. Send
   * `blinded` to the relay; pass its answer to {@link kdfApi.finishOprf} with `handle`.
   * @throws CryptoError `WEAK_PARAMS`, `BAD_INPUT`, or `ABORTED` after `cancel(jobId)`.
   */
  beginPasswordOprf(
    password: string,
    salt: Uint8Array,
    params: KdfParams,
    onProgress?: ProgressCallback,
    jobId?: string,
  ): Promise<{ handle: number; blinded: Uint8Array }> {
    return kdfJob(onProgress, jobId, async (options) =>
      holdOprf(await beginPasswordOprf(password, salt, params, options)),
    )
  },

  /**
   * Step 1 of the OPRF-hardened receipt derivation (SPEC §16), as {@link kdfApi.beginPasswordOprf}.
   * @throws CryptoError `BAD_RECEIPT_FORMAT`, `WEAK_PARAMS`, `BAD_INPUT` or `ABORTED`.
   */
  beginReceiptOprf(
    receipt: string,
    nodeSalt: Uint8Array,
    params: KdfParams = DEFAULT_RECEIPT_KDF_PARAMS,
    pattern: string = DEFAULT_RECEIPT_PATTERN,
    onProgress?: ProgressCallback,
    jobId?: string,
  ): Promise<{ handle: number; blinded: Uint8Array }> {
    return kdfJob(onProgress, jobId, async (options) =>
      holdOprf(await beginReceiptOprf(receipt, nodeSalt, params, pattern, options)),
    )
  },

  /**
   * Step 2: checks the relay's evaluation against the manifest's OPRF keys (`trusted`, from the
   * verified manifest only) and derives the keys; the held secret is wiped either way.
   * @throws CryptoError `KEY_MISMATCH` (a key the manifest does not list), `BAD_PROOF` (the
   * relay's proof does not verify), `BAD_INPUT` (an unknown or spent handle).
   */
  async finishOprf(
    handle: number,
    evaluation: OprfEvaluation,
    trusted: Uint8Array[],
  ): Promise<DerivedKeys> {
    const pending = pendingOprf.get(handle)
    pendingOprf.delete(handle)
    if (!pending) {
      throw new CryptoError("BAD_INPUT", "this OPRF derivation is unknown or already finished")
    }
    return plain(await pending.finish(evaluation, trusted))
  },

  /** Which scrypt this worker settles on: `hash-wasm`, or `noble` without WebAssembly. */
  scrypt(): Promise<string> {
    return scryptChosen
  },

  /** Cancels a derivation started with this job id. @returns false when none is running. */
  cancel(jobId: string): boolean {
    return jobs.cancel(jobId)
  },

  /** A new random account salt (16 bytes). */
  drawSalt(): Uint8Array {
    return drawSalt()
  },

  /** What the relay stores for an auth key (SPEC §1); sent at sign-up and password change. */
  authVerifier(authKey: Uint8Array): Uint8Array {
    return authVerifier(authKey)
  },

  /** Draws a receipt in the node's pattern (SPEC §5). @throws CryptoError `WEAK_PARAMS`, `BAD_INPUT`. */
  drawReceipt(pattern: string = DEFAULT_RECEIPT_PATTERN): string {
    return drawReceipt(pattern)
  },

  /**
   * The canonical form of a typed receipt, to tell the whistleblower about a typo before the
   * (slow) derivation. @throws CryptoError `BAD_RECEIPT_FORMAT` saying what is wrong.
   */
  normaliseReceipt(input: string, pattern: string = DEFAULT_RECEIPT_PATTERN): string {
    return normaliseReceipt(input, pattern)
  },
}

/** The KDF worker's API; the main thread holds a `Remote<KdfApi>`. */
export type KdfApi = typeof kdfApi

void exposeApi(kdfApi)
