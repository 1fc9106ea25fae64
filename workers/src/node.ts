/**
 * @sotto/workers/node: the same worker entry points in Node `worker_threads`, for tests and the
 * bench. Each worker talks through comlink's Node adapter; TypeScript entry points are loaded
 * through tsx, registered inside the new thread (Node 20 does not apply `--import tsx` from a
 * Worker's `execArgv` before loading its entry).
 */
import { Worker } from "node:worker_threads"
import type { WorkerFactories } from "./index.js"
import type { WorkerFactory, WorkerLike } from "./pool.js"
import { loadNodeAdapter, NODE_WORKER_FLAG } from "./workerRuntime.js"

// Evaluated as a CommonJS script in the new thread: register tsx, then load the entry point.
const TS_BOOTSTRAP = `
const { workerData } = require("node:worker_threads")
import("tsx/esm/api")
  .then(({ register }) => { register(); return import(workerData.entry) })
  .catch((error) => { process.nextTick(() => { throw error }) })
`

/** The entry points of this package, by kind. */
export const WORKER_ENTRIES: { readonly [K in keyof WorkerFactories]: URL } = {
  kdf: new URL("./kdfWorker.ts", import.meta.url),
  account: new URL("./accountWorker.ts", import.meta.url),
  tip: new URL("./tipWorker.ts", import.meta.url),
  pow: new URL("./powWorker.ts", import.meta.url),
  file: new URL("./fileWorker.ts", import.meta.url),
  trust: new URL("./trustWorker.ts", import.meta.url),
}

/** Starts one Node worker thread on `entry` (.ts through tsx, or plain JavaScript). */
export function startNodeWorker(entry: URL): Worker {
  const workerData = { [NODE_WORKER_FLAG]: true, entry: entry.href }
  if (entry.pathname.endsWith(".ts")) {
    return new Worker(TS_BOOTSTRAP, { eval: true, workerData })
  }
  return new Worker(entry, { workerData })
}

/**
 * A factory of Node worker threads for `entry`, speaking comlink through its Node adapter.
 * Async once, because the adapter is loaded with a dynamic import; the factory itself is sync.
 */
export async function nodeWorkerFactory(entry: URL): Promise<WorkerFactory> {
  const adapter = await loadNodeAdapter()
  return (): WorkerLike => {
    const worker = startNodeWorker(entry)
    // A crash (a module that fails to load) must be loud; comlink alone would wait forever.
    worker.on("error", (error) => {
      console.error(`worker ${entry.pathname} failed:`, error)
    })
    return Object.assign(adapter(worker), { terminate: () => worker.terminate() })
  }
}

/** Factories for every entry point of this package, in Node worker threads. */
export async function nodeWorkerFactories(): Promise<WorkerFactories> {
  return {
    kdf: await nodeWorkerFactory(WORKER_ENTRIES.kdf),
    account: await nodeWorkerFactory(WORKER_ENTRIES.account),
    tip: await nodeWorkerFactory(WORKER_ENTRIES.tip),
    pow: await nodeWorkerFactory(WORKER_ENTRIES.pow),
    file: await nodeWorkerFactory(WORKER_ENTRIES.file),
    trust: await nodeWorkerFactory(WORKER_ENTRIES.trust),
  }
}
