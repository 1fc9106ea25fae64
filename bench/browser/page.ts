// The browser bench page: runs benchWorker.ts in a dedicated worker, then the real Sotto file
// worker pool (@sotto/workers) sealing a file, and leaves everything on `window.sottoBench`.
import { browserWorkerFactories, encryptWithPool, type FileApi, WorkerPool } from "@sotto/workers"
import type { BenchRequest, BrowserSamples } from "./benchWorker.js"

interface BenchState {
  done: boolean
  error?: string
  results: BrowserSamples[]
  fileWorkerAead?: string
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

const params = new URLSearchParams(location.search)
const req: BenchRequest = {
  mib: Number(params.get("mib") ?? 64),
  reps: Number(params.get("reps") ?? 5),
  scryptLogN: Number(params.get("logN") ?? 17),
  scryptReps: Number(params.get("scryptReps") ?? 5),
}
primitives(req)
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
