// The browser bench page: runs benchWorker.ts in a dedicated worker, then the real Sotto file
// worker pool (@sotto/workers) sealing a file, and leaves everything on `window.sottoBench`.
import { toBase64url } from "@sotto/crypto-core"
import {
  browserWorkerFactories,
  createCryptoWorkers,
  encryptWithPool,
  type FileApi,
  type PowChallenge,
  WorkerPool,
} from "@sotto/workers"
import type { BenchRequest, BrowserSamples } from "./benchWorker.js"

interface BenchState {
  done: boolean
  error?: string
  results: BrowserSamples[]
  fileWorkerAead?: string
  powHashPath?: string
  powNonces?: number[]
}
const state: BenchState = { done: false, results: [] }
;(window as unknown as { sottoBench: BenchState }).sottoBench = state

async function primitives(req: BenchRequest): Promise<void> {
  const worker = new Worker(new URL("./benchWorker.ts", import.meta.url), { type: "module" })
  await new Promise<void>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent) => {
      const data = event.data as { type: string; result?: BrowserSamples; message?: string }
      if (data.type === "samples" && data.result) state.results.push(data.result)
      else if (data.type === "done") resolve()
      else if (data.type === "error") reject(new Error(data.message))
    }
    worker.postMessage(req)
  })
  worker.terminate()
}

async function realFilePool(mib: number, reps: number): Promise<void> {
  const factories = browserWorkerFactories()
  const samples: Record<string, number[]> = {}
  const size = mib * 1024 * 1024
  const blob = new Blob([crypto.getRandomValues(new Uint8Array(65536))])
  const file = new Blob(Array.from({ length: size / 65536 }, () => blob))
  const recipient = "age1ghuuaaqe897zeafq9s5u07unlpwqpnrhrk0jwycqzqh29fkuzuqq6nuxwz"
  for (const workers of [1, 2]) {
    const pool = new WorkerPool<FileApi>(factories.file, workers)
    state.fileWorkerAead = await pool.run((remote) => remote.aead())
    const key = `file-workers-${workers}`
    samples[key] = []
    for (let round = 0; round < reps + 1; round++) {
      const start = performance.now()
      const sealed = await encryptWithPool(pool, file.stream(), [recipient])
      // Drained: the timing covers reading, sealing in the workers and handing back.
      const reader = sealed.stream.getReader()
      while (!(await reader.read()).done) {}
      if (round > 0) samples[key].push(performance.now() - start)
    }
    pool.terminate()
  }
  state.results.push({ group: "file-pool-seal", unit: "ms", bytes: size, samples })
}

/**
 * Proof of work at `difficulty` bits: the search the PoW worker ran before issue 14 (yielding,
 * noble) and its blocking noble variant, both in one long-lived bench worker, against
 * `CryptoWorkers.solvePow` as the PWA calls it (a fresh PoW worker per search, start-up and
 * WebAssembly compile included). Every contender solves the same challenge in a round (nonces
 * are geometric, so rounds differ a lot); the ratio is taken over the sums.
 */
async function powRace(difficulty: number, reps: number): Promise<void> {
  const today = new Worker(new URL("./powTodayWorker.ts", import.meta.url), { type: "module" })
  const inToday = (path: string, challenge: PowChallenge) =>
    new Promise<number>((resolve, reject) => {
      today.onmessage = (event: MessageEvent<{ nonce?: number; error?: string }>) =>
        event.data.nonce === undefined
          ? reject(new Error(event.data.error))
          : resolve(event.data.nonce)
      today.postMessage({ path, challenge })
    })
  const workers = createCryptoWorkers(browserWorkerFactories())
  const contenders: [string, (c: PowChallenge) => Promise<number>][] = [
    ["solvePow-yielding-noble", (c) => inToday("yielding", c)],
    ["solvePowBlocking-noble", (c) => inToday("blocking", c)],
    ["workers.solvePow-hash-wasm", (c) => workers.solvePow(c)],
  ]
  const samples: Record<string, number[]> = Object.fromEntries(contenders.map(([n]) => [n, []]))
  const nonces: number[] = []
  for (let round = 0; round < reps + 1; round++) {
    const challenge = {
      challenge: toBase64url(crypto.getRandomValues(new Uint8Array(32))),
      difficulty,
      binding: toBase64url(crypto.getRandomValues(new Uint8Array(32))),
    }
    const found = new Set<number>()
    for (let k = 0; k < contenders.length; k++) {
      const entry = contenders[(round + k) % contenders.length]
      if (!entry) continue
      const [name, solve] = entry
      const start = performance.now()
      found.add(await solve(challenge))
      if (round > 0) samples[name]?.push(performance.now() - start)
    }
    if (found.size !== 1) throw new Error(`PoW paths disagree: ${[...found].join(", ")}`)
    if (round > 0) nonces.push([...found][0] ?? 0)
  }
  state.powHashPath = await workers.pow.hashPath()
  today.terminate()
  workers.terminate()
  state.powNonces = nonces
  state.results.push({ group: "pow", unit: "ms", samples })
}

const params = new URLSearchParams(location.search)
const req: BenchRequest = {
  mib: Number(params.get("mib") ?? 64),
  reps: Number(params.get("reps") ?? 5),
  scryptLogN: Number(params.get("logN") ?? 17),
  scryptReps: Number(params.get("scryptReps") ?? 5),
}
primitives(req)
  .then(() => powRace(Number(params.get("powBits") ?? 18), req.reps))
  .then(() => realFilePool(req.mib, Math.max(1, req.reps - 2)))
  .then(
    () => {
      state.done = true
    },
    (error: unknown) => {
      state.error = String(error)
      state.done = true
    },
  )
