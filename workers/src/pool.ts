import { type Endpoint, type Remote, releaseProxy, wrap } from "comlink"
import { installCryptoErrorTransfer } from "./errors.js"

/**
 * What a worker factory returns: anything comlink can talk to that can also be stopped. A
 * browser `Worker` is one as it is; a Node `worker_threads` Worker becomes one through comlink's
 * Node adapter (see `@sotto/workers/node`).
 */
export type WorkerLike = Endpoint & { terminate(): unknown }

/** Creates one worker; called lazily, once per worker actually needed. */
export type WorkerFactory = () => WorkerLike

/** A worker behind a typed comlink remote. */
export interface Connection<T> {
  readonly remote: Remote<T>
  /** Releases the remote and stops the worker. */
  terminate(): void
}

/** Wraps a worker in a typed comlink remote (installing the CryptoError transfer handler). */
export function connect<T>(worker: WorkerLike): Connection<T> {
  installCryptoErrorTransfer()
  const remote = wrap<T>(worker)
  return {
    remote,
    terminate() {
      remote[releaseProxy]()
      worker.terminate()
    },
  }
}

/**
 * A fixed set of identical workers that runs one task per worker at a time, queueing the rest in
 * order: used to seal or open the batches of a large file in parallel (age STREAM chunks are
 * independent). A task is any async use of one worker's remote; the slot number lets a caller
 * keep per-worker state, such as the session id each worker returned for a file.
 */
export class WorkerPool<T> {
  readonly #workers: Connection<T>[]
  readonly #busy: boolean[]
  readonly #waiting: ((slot: number) => void)[] = []

  /** Starts `size` workers from `factory` (at least one). */
  constructor(factory: WorkerFactory, size: number) {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError("a pool needs at least one worker")
    this.#workers = Array.from({ length: size }, () => connect<T>(factory()))
    this.#busy = this.#workers.map(() => false)
  }

  /** Number of workers. */
  get size(): number {
    return this.#workers.length
  }

  /** Runs `task` on the first free worker, waiting in line when all are busy. */
  async run<R>(task: (remote: Remote<T>, slot: number) => Promise<R>): Promise<R> {
    const slot = await this.#acquire()
    try {
      return await task(this.#remote(slot), slot)
    } finally {
      this.#release(slot)
    }
  }

  /**
   * Runs `task` on every worker at once, regardless of queued work (comlink interleaves
   * calls): for per-worker setup and teardown, such as loading a file sealer everywhere.
   * @returns the results in slot order.
   */
  all<R>(task: (remote: Remote<T>, slot: number) => Promise<R>): Promise<R[]> {
    return Promise.all(this.#workers.map((_, slot) => task(this.#remote(slot), slot)))
  }

  /**
   * Runs `task` on the worker in `slot`, regardless of queued work (comlink interleaves calls):
   * for state that lives in one worker, such as a file's running SHA-256.
   * @throws RangeError for a slot the pool does not have.
   */
  on<R>(slot: number, task: (remote: Remote<T>) => Promise<R>): Promise<R> {
    return task(this.#remote(slot))
  }

  /** Stops every worker; pending calls never settle, so only terminate an idle pool. */
  terminate(): void {
    for (const worker of this.#workers) worker.terminate()
  }

  #remote(slot: number): Remote<T> {
    const worker = this.#workers[slot]
    if (worker === undefined) throw new RangeError(`no worker in slot ${slot}`)
    return worker.remote
  }

  #acquire(): Promise<number> {
    const free = this.#busy.indexOf(false)
    if (free !== -1) {
      this.#busy[free] = true
      return Promise.resolve(free)
    }
    return new Promise((resolve) => this.#waiting.push(resolve))
  }

  #release(slot: number): void {
    const next = this.#waiting.shift()
    // Hand the slot straight to the next task in line; it stays busy.
    if (next) next(slot)
    else this.#busy[slot] = false
  }
}
