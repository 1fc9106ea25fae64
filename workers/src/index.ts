/**
 * @sotto/workers, main-thread side: typed comlink remotes for the worker entry points that run
 * crypto-core off the UI thread (scrypt, age, PoW), a worker pool for large files, and the
 * streams that split a file across it. This module never imports the worker modules' code, only
 * their types, so the UI bundle stays free of scrypt and ciphers.
 */

import type { PowChallenge } from "@sotto/crypto-core"
import { CryptoError } from "@sotto/crypto-core"
import { proxy, type Remote } from "comlink"
import type { AccountApi } from "./accountWorker.js"
import { installCryptoErrorTransfer } from "./errors.js"
import type { FileApi } from "./fileWorker.js"
import type { KdfApi } from "./kdfWorker.js"
import { type Connection, connect, type WorkerFactory, WorkerPool } from "./pool.js"
import type { PowApi } from "./powWorker.js"
import type { TipApi } from "./tipWorker.js"
import type { TrustApi } from "./trustWorker.js"

// Re-exports, each documented where it is defined: crypto-core's data types used in the APIs;
// comlink's `proxy` (wrap a progress callback) and `Remote`; the worker API types; the file pool
// and streams.
export type { DerivedKeys, FileSealerState, KdfParams, PowChallenge } from "@sotto/crypto-core"
export { proxy, type Remote } from "comlink"
export type { AccountApi } from "./accountWorker.js"
export { installCryptoErrorTransfer } from "./errors.js"
export {
  decryptWithPool,
  type EncryptingFile,
  encryptWithPool,
  type PoolStreamOptions,
  type ResumePoint,
  resumeEncryptWithPool,
  resumePoint,
  sealedSize,
} from "./fileStreams.js"
export type { FileApi } from "./fileWorker.js"
export type { KdfApi } from "./kdfWorker.js"
export {
  type Connection,
  connect,
  type WorkerFactory,
  type WorkerLike,
  WorkerPool,
} from "./pool.js"
export type { PowApi } from "./powWorker.js"
export type { TipApi } from "./tipWorker.js"
export type { TrustApi } from "./trustWorker.js"
export type { ProgressCallback } from "./workerRuntime.js"

/** How to start each kind of worker: one factory per entry point. */
export interface WorkerFactories {
  readonly kdf: WorkerFactory
  readonly account: WorkerFactory
  readonly tip: WorkerFactory
  readonly pow: WorkerFactory
  readonly file: WorkerFactory
  readonly trust: WorkerFactory
}

/** The app's workers. Each is started on first use, so a page only pays for what it touches. */
export interface CryptoWorkers {
  /** Password and receipt derivation (scrypt). */
  readonly kdf: Remote<KdfApi>
  /** Account identity, recovery key, escrow, signing key (staff only). */
  readonly account: Remote<AccountApi>
  /** Tip identity, parts, wraps, key directory. */
  readonly tip: Remote<TipApi>
  /** Node manifest, key directory and fingerprint checks only: small, for a first visit. */
  readonly trust: Remote<TrustApi>
  /** Proof of work: the binding and the check (a search runs in {@link CryptoWorkers.solvePow}). */
  readonly pow: Remote<PowApi>
  /**
   * Solves a proof-of-work challenge in a PoW worker of its own, started for this search and
   * terminated when it ends: the search never yields, so aborting `signal` terminates the worker.
   * `onProgress` gets the estimated fraction done (ending with 1).
   * @throws CryptoError `ABORTED` when `signal` fires, `BAD_INPUT` on a malformed challenge.
   */
  solvePow(
    challenge: PowChallenge,
    options?: { readonly signal?: AbortSignal; readonly onProgress?: (fraction: number) => void },
  ): Promise<number>
  /** A new pool of `size` file workers (default: half the cores, 2 to 4); terminate it after use. */
  filePool(size?: number): WorkerPool<FileApi>
  /** Stops every worker started so far (pools excepted). */
  terminate(): void
}

/**
 * Wraps the factories in lazily started, typed comlink remotes. The PWA passes
 * {@link browserWorkerFactories}; tests pass Node `worker_threads` factories
 * (`@sotto/workers/node`).
 */
export function createCryptoWorkers(factories: WorkerFactories): CryptoWorkers {
  installCryptoErrorTransfer()
  const started = new Map<keyof WorkerFactories, Connection<unknown>>()
  function remote<T>(kind: keyof WorkerFactories): Remote<T> {
    let connection = started.get(kind)
    if (connection === undefined) {
      connection = connect<unknown>(factories[kind]())
      started.set(kind, connection)
    }
    return connection.remote as Remote<T>
  }
  return {
    get kdf() {
      return remote<KdfApi>("kdf")
    },
    get account() {
      return remote<AccountApi>("account")
    },
    get tip() {
      return remote<TipApi>("tip")
    },
    get trust() {
      return remote<TrustApi>("trust")
    },
    get pow() {
      return remote<PowApi>("pow")
    },
    async solvePow(challenge, { signal, onProgress } = {}) {
      if (signal?.aborted) throw new CryptoError("ABORTED", "proof of work was cancelled")
      const search = connect<PowApi>(factories.pow())
      let onAbort = () => {}
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => reject(new CryptoError("ABORTED", "proof of work was cancelled"))
      })
      aborted.catch(() => undefined)
      signal?.addEventListener("abort", onAbort, { once: true })
      try {
        const running = search.remote.solvePow(challenge, onProgress && proxy(onProgress))
        running.catch(() => undefined)
        return await Promise.race([running, aborted])
      } finally {
        signal?.removeEventListener("abort", onAbort)
        search.terminate()
      }
    },
    filePool(size?: number) {
      return new WorkerPool<FileApi>(factories.file, size ?? defaultPoolSize())
    },
    terminate() {
      for (const connection of started.values()) connection.terminate()
      started.clear()
    },
  }
}

/** Half the logical cores, at least 2 and at most 4: parallel sealing without starving the UI. */
export function defaultPoolSize(): number {
  const cores = typeof navigator === "undefined" ? 2 : (navigator.hardwareConcurrency ?? 2)
  return Math.min(4, Math.max(2, Math.floor(cores / 2)))
}

/**
 * The factories for a browser build. Each `new Worker(new URL(…, import.meta.url))` is the
 * pattern Vite (and other bundlers) recognise: every entry point becomes its own module-worker
 * chunk, fetched only when that worker is first used.
 */
export function browserWorkerFactories(): WorkerFactories {
  // The options stay literal: Vite reads them statically to bundle each worker as a module.
  return {
    kdf: () => new Worker(new URL("./kdfWorker.ts", import.meta.url), { type: "module" }),
    account: () => new Worker(new URL("./accountWorker.ts", import.meta.url), { type: "module" }),
    tip: () => new Worker(new URL("./tipWorker.ts", import.meta.url), { type: "module" }),
    pow: () => new Worker(new URL("./powWorker.ts", import.meta.url), { type: "module" }),
    file: () => new Worker(new URL("./fileWorker.ts", import.meta.url), { type: "module" }),
    trust: () => new Worker(new URL("./trustWorker.ts", import.meta.url), { type: "module" }),
  }
}

let jobCounter = 0

/**
 * Runs a cancellable worker job (`derivePasswordKeys`, `deriveReceiptKeys`, `solvePow`) under an
 * AbortSignal, which cannot cross postMessage itself: the job gets a fresh id, and aborting
 * `signal` sends `cancel(id)` to the worker. The job then rejects with CryptoError `ABORTED`.
 * @example withAbort(signal, kdf, (id) => kdf.derivePasswordKeys(pw, salt, params, proxy(show), id))
 */
export async function withAbort<R>(
  signal: AbortSignal | undefined,
  worker: { cancel(jobId: string): Promise<boolean> },
  job: (jobId: string) => Promise<R>,
): Promise<R> {
  if (signal?.aborted) throw new CryptoError("ABORTED", "the job was cancelled before it started")
  const jobId = `job-${++jobCounter}`
  let onAbort = () => {}
  // The caller hears ABORTED at once; a job that cannot be interrupted (a WebAssembly call) ends
  // in the worker and its result is dropped.
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => {
      worker.cancel(jobId).catch(() => undefined)
      reject(new CryptoError("ABORTED", "the job was cancelled"))
    }
  })
  signal?.addEventListener("abort", onAbort, { once: true })
  const running = job(jobId)
  // Whichever loses the race must not surface as an unhandled rejection.
  running.catch(() => undefined)
  aborted.catch(() => undefined)
  try {
    return await Promise.race([running, aborted])
  } finally {
    signal?.removeEventListener("abort", onAbort)
  }
}
