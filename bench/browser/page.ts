// The browser bench page: runs benchWorker.ts in a dedicated worker, then the real Sotto file
// worker pool (@sotto/workers) sealing a file, and leaves everything on `window.sottoBench`.
import { generateAgeIdentity, recipientOf, toBase64url } from "@sotto/crypto-core"
import {
  browserWorkerFactories,
  createCryptoWorkers,
  decryptWithPool,
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

async function drain(stream: ReadableStream<Uint8Array>): Promise<void> {
  const reader = stream.getReader()
  while (!(await reader.read()).done) {}
}

/**
 * A recipient's download, decrypting `mib` MiB on a pool of 2 file workers: without a hash, with
 * the SHA-256 computed inside the pipeline (`onDigest`, what the PWA does now), and with a second
 * pass over the decrypted Blob afterwards, by WebCrypto (the fastest second pass there is, but
 * it needs the whole file as one ArrayBuffer) and by the file worker's incremental `digestBlob`
 * (what the PWA did before). Digests are checked equal.
 */
async function realFileDownload(mib: number, reps: number): Promise<void> {
  const size = mib * 1024 * 1024
  const piece = new Blob([crypto.getRandomValues(new Uint8Array(65536))])
  const file = new Blob(Array.from({ length: size / 65536 }, () => piece))
  const identity = generateAgeIdentity()
  const pool = new WorkerPool<FileApi>(browserWorkerFactories().file, 2)
  const sealing = await encryptWithPool(pool, file.stream(), [await recipientOf(identity)])
  const sealed = await new Response(sealing.stream).blob()
  const hex = (d: ArrayBuffer | Uint8Array) =>
    Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, "0")).join("")
  const digests = new Set<string>()
  const open = (onDigest?: (d: Uint8Array) => void) =>
    decryptWithPool(pool, sealed.stream(), identity, onDigest ? { onDigest } : {})
  const contenders: [string, () => Promise<void>][] = [
    ["open", () => drain(open())],
    [
      "open+sha256-in-pipeline",
      async () => {
        let digest: Uint8Array | undefined
        await drain(open((d) => (digest = d)))
        if (!digest) throw new Error("no digest from the pipeline")
        digests.add(hex(digest))
      },
    ],
    [
      "open-then-webcrypto-pass",
      async () => {
        const blob = await new Response(open()).blob()
        digests.add(hex(await crypto.subtle.digest("SHA-256", await blob.arrayBuffer())))
      },
    ],
    [
      "open-then-digestBlob-pass",
      async () => {
        const blob = await new Response(open()).blob()
        digests.add(hex(await pool.run((remote) => remote.digestBlob(blob))))
      },
    ],
  ]
  const samples: Record<string, number[]> = Object.fromEntries(contenders.map(([n]) => [n, []]))
  for (let round = 0; round < reps + 1; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const entry = contenders[(round + k) % contenders.length]
      if (!entry) continue
      const start = performance.now()
      await entry[1]()
      if (round > 0) samples[entry[0]]?.push(performance.now() - start)
    }
  }
  pool.terminate()
  if (digests.size !== 1) throw new Error(`download digests disagree: ${[...digests].join(", ")}`)
  state.results.push({ group: "file-pool-open", unit: "ms", bytes: size, samples })
}

/**
 * Proof of work at `difficulty` bits: the search the PoW worker ran before issue 14 (yielding,
 * noble's whole sha256 per attempt) and today's search, both in one long-lived bench worker,
 * against `CryptoWorkers.solvePow` as the PWA calls it (a fresh PoW worker per
 * search, start-up included, running `solvePowBlocking`'s midstate search). Every contender solves the same challenge in a round (nonces
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
    ["solvePowBlocking-long-lived-worker", (c) => inToday("blocking", c)],
    ["workers.solvePow-midstate", (c) => workers.solvePow(c)],
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
  state.powHashPath = "noble-midstate"
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
  .then(() => realFileDownload(req.mib, Math.max(1, req.reps - 2)))
  .then(
    () => {
      state.done = true
    },
    (error: unknown) => {
      state.error = String(error)
      state.done = true
    },
  )
