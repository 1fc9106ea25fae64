/// <reference lib="webworker" />
// Runs inside a Chromium dedicated worker: times each implementation the Sotto workers choose
// between (noble, libsodium/hash-wasm WebAssembly, WebCrypto as the native baseline) on the same
// data, in interleaved rounds, and posts the samples to the page.
import { sha256 } from "@noble/hashes/sha2.js"
import { nobleChunkAead, nobleScrypt } from "@sotto/crypto-core"
import { loadSodiumChunkAead } from "@sotto/crypto-core/aead-sodium"
import { loadWasmScrypt } from "@sotto/crypto-core/scrypt-wasm"
import { createSHA256 } from "hash-wasm"

interface Contender {
  readonly name: string
  readonly run: () => Promise<void> | void
}
export interface BrowserSamples {
  readonly group: string
  readonly unit: "ms"
  readonly bytes?: number
  readonly samples: Record<string, number[]>
}
export interface BenchRequest {
  readonly mib: number
  readonly reps: number
  readonly scryptLogN: number
  readonly scryptReps: number
}

const CHUNK = 64 * 1024

async function rounds(group: string, contenders: Contender[], reps: number, bytes?: number) {
  const samples: Record<string, number[]> = Object.fromEntries(contenders.map((c) => [c.name, []]))
  for (let round = 0; round < reps + 1; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const c = contenders[(round + k) % contenders.length]
      if (!c) continue
      const start = performance.now()
      await c.run()
      const elapsed = performance.now() - start
      if (round > 0) samples[c.name]?.push(elapsed)
    }
  }
  const result: BrowserSamples = { group, unit: "ms", ...(bytes ? { bytes } : {}), samples }
  postMessage({ type: "samples", result })
}

async function run(req: BenchRequest): Promise<void> {
  const sodium = await loadSodiumChunkAead()
  const wasmScrypt = await loadWasmScrypt()
  if (!sodium || !wasmScrypt) throw new Error("WebAssembly paths did not load in the worker")
  const key = crypto.getRandomValues(new Uint8Array(32))
  const nonce = crypto.getRandomValues(new Uint8Array(12))
  const piece = crypto.getRandomValues(new Uint8Array(CHUNK))
  const chunks = (req.mib * 1024 * 1024) / CHUNK
  const aesKey = await crypto.subtle.importKey("raw", key, "AES-GCM", false, ["encrypt"])
  const sealAll = (seal: (p: Uint8Array) => Uint8Array) => () => {
    for (let i = 0; i < chunks; i++) {
      nonce[11] = i & 255
      seal(piece)
    }
  }
  await rounds(
    "aead-seal",
    [
      { name: "noble", run: sealAll((p) => nobleChunkAead.seal(key, nonce, p)) },
      { name: "libsodium-wasm", run: sealAll((p) => sodium.seal(key, nonce, p)) },
      {
        name: "webcrypto-aes-gcm",
        run: async () => {
          for (let i = 0; i < chunks; i++) {
            nonce[11] = i & 255
            await crypto.subtle.encrypt({ name: "AES-GCM", iv: nonce }, aesKey, piece)
          }
        },
      },
    ],
    req.reps,
    req.mib * 1024 * 1024,
  )

  const whole = new Uint8Array(req.mib * 1024 * 1024)
  for (let i = 0; i < chunks; i++) whole.set(piece, i * CHUNK)
  await rounds(
    "sha256",
    [
      {
        name: "noble",
        run: () => {
          const h = sha256.create()
          for (let i = 0; i < chunks; i++) h.update(whole.subarray(i * CHUNK, (i + 1) * CHUNK))
          h.digest()
        },
      },
      {
        name: "hash-wasm",
        run: async () => {
          const h = (await createSHA256()).init()
          for (let i = 0; i < chunks; i++) h.update(whole.subarray(i * CHUNK, (i + 1) * CHUNK))
          h.digest("binary")
        },
      },
      {
        name: "webcrypto",
        run: async () => {
          await crypto.subtle.digest("SHA-256", whole)
        },
      },
    ],
    req.reps,
    whole.length,
  )

  const salt = crypto.getRandomValues(new Uint8Array(16))
  const secret = new TextEncoder().encode("correct horse battery staple")
  const cost = { N: 2 ** req.scryptLogN, r: 8, p: 1 }
  await rounds(
    "scrypt",
    [
      { name: "noble", run: async () => void (await nobleScrypt.derive(secret, salt, cost)) },
      { name: "hash-wasm", run: async () => void (await wasmScrypt.derive(secret, salt, cost)) },
    ],
    req.scryptReps,
  )
}

addEventListener("message", (event: MessageEvent<BenchRequest>) => {
  run(event.data).then(
    () => postMessage({ type: "done" }),
    (error: unknown) => postMessage({ type: "error", message: String(error) }),
  )
})
