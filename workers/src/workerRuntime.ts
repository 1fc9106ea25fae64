import { CryptoError } from "@sotto/crypto-core"
import { type Endpoint, expose, type ProxyMarked, type Remote, releaseProxy } from "comlink"
import type { NodeEndpoint } from "comlink/dist/umd/node-adapter.js"
import { installCryptoErrorTransfer } from "./errors.js"

// The worker side shared by every entry point: exposing an API in whatever worker it runs in,
// cancellable jobs, and throttled progress reports back to the main thread.

/**
 * A progress callback as a worker API receives it: the main thread passes `proxy(fn)` (comlink),
 * so calls travel back over a MessageChannel. The type makes forgetting `proxy` a compile error.
 */
export type ProgressCallback = ((value: number) => void) & ProxyMarked

/**
 * The `workerData` flag that makes a Node `worker_threads` Worker expose its API (tests, bench).
 * Without it a Node thread that merely imports a worker module (a test runner's thread) is left alone.
 */
export const NODE_WORKER_FLAG = "sottoWorker"

// Kept in variables so that bundlers (Vite) neither follow nor warn about these Node-only imports.
const NODE_THREADS = "node:worker_threads"
const NODE_ADAPTER = "comlink/dist/esm/node-adapter.mjs"

/** comlink's adapter from a Node MessagePort or Worker to a comlink Endpoint. */
export type NodeAdapter = (port: NodeEndpoint) => Endpoint

/** Loads comlink's Node adapter (`comlink/dist/esm/node-adapter.mjs`); Node only. */
export async function loadNodeAdapter(): Promise<NodeAdapter> {
  const module = (await import(/* @vite-ignore */ NODE_ADAPTER)) as { default: NodeAdapter }
  return module.default
}

/**
 * Exposes `api` to the thread that started this worker: with comlink's default endpoint in a
 * browser Worker, or through comlink's Node adapter on `parentPort` in a Node `worker_threads`
 * Worker started with {@link NODE_WORKER_FLAG}. Anywhere else (the module imported by a test) it
 * does nothing. The browser branch runs synchronously, before the first queued message is delivered.
 * @returns whether the API was exposed.
 */
export async function exposeApi(api: object): Promise<boolean> {
  installCryptoErrorTransfer()
  const scope = globalThis as { WorkerGlobalScope?: abstract new () => unknown }
  if (scope.WorkerGlobalScope !== undefined && globalThis instanceof scope.WorkerGlobalScope) {
    expose(api)
    return true
  }
  if (typeof process === "undefined" || process.versions?.node === undefined) return false
  const threads = (await import(
    /* @vite-ignore */ NODE_THREADS
  )) as typeof import("node:worker_threads")
  const data = threads.workerData as Record<string, unknown> | null | undefined
  if (threads.isMainThread || !threads.parentPort || data?.[NODE_WORKER_FLAG] !== true) return false
  expose(api, (await loadNodeAdapter())(threads.parentPort))
  return true
}

/**
 * Long jobs (scrypt, PoW) that the main thread can cancel by id: an AbortSignal cannot cross
 * postMessage, so the caller names its job and later sends `cancel(jobId)`.
 */
export class Jobs {
  readonly #running = new Map<string, AbortController>()

  /**
   * Runs `task` with a signal that {@link Jobs.cancel} aborts; without a job id it cannot be cancelled.
   * @throws CryptoError `BAD_INPUT` when a job with the same id is already running.
   */
  async run<T>(jobId: string | undefined, task: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController()
    if (jobId !== undefined) {
      if (this.#running.has(jobId)) {
        throw new CryptoError("BAD_INPUT", `job "${jobId}" is already running`)
      }
      this.#running.set(jobId, controller)
    }
    try {
      return await task(controller.signal)
    } finally {
      if (jobId !== undefined) this.#running.delete(jobId)
    }
  }

  /** Cancels a running job; it then fails with `ABORTED`. @returns false when no such job runs. */
  cancel(jobId: string): boolean {
    const controller = this.#running.get(jobId)
    controller?.abort()
    return controller !== undefined
  }
}

/**
 * Runs `task` with a throttled progress reporter: at most one message per `intervalMs`, because
 * scrypt alone reports up to 10 000 times. On success the final value is sent and acknowledged
 * before the result, so the main thread sees the last report before the promise resolves. The
 * proxied callback is released in every case.
 */
export async function withProgress<T>(
  callback: ProgressCallback | undefined,
  task: (report: (value: number) => void) => Promise<T>,
  final: (result: T) => number,
  intervalMs = 32,
): Promise<T> {
  const remote = callback as unknown as Remote<(value: number) => void> | undefined
  let last = Number.NEGATIVE_INFINITY
  const report = (value: number) => {
    const now = Date.now()
    if (remote === undefined || now - last < intervalMs) return
    last = now
    // A main thread that went away is not the job's problem.
    remote(value).catch(() => undefined)
  }
  try {
    const result = await task(report)
    await remote?.(final(result)).catch(() => undefined)
    return result
  } finally {
    remote?.[releaseProxy]()
  }
}
