import { randomBytes } from "node:crypto"
import { sha256 } from "@noble/hashes/sha2.js"
import { afterAll, beforeAll, describe, expect, test } from "vitest"
import { sha256Once, sha256Stream } from "./_sha256.js"
import { type FileApi, WorkerPool } from "./index.js"
import { nodeWorkerFactory, WORKER_ENTRIES } from "./node.js"

// The file worker's SHA-256 paths (WebCrypto, hash-wasm, noble) are one function: each must give
// noble's digest, and the worker must actually pick the fast ones where they exist.
let pool: WorkerPool<FileApi>
beforeAll(async () => {
  pool = new WorkerPool<FileApi>(await nodeWorkerFactory(WORKER_ENTRIES.file), 1)
})
afterAll(() => pool.terminate())

describe("SHA-256 in the file worker", () => {
  test("one-shot and incremental digests equal noble's for sizes around block edges", async () => {
    for (const size of [0, 1, 55, 56, 63, 64, 65, 4096, 1 << 20]) {
      const bytes = new Uint8Array(randomBytes(size))
      expect((await sha256Once(bytes)).digest).toEqual(sha256(bytes))
      const stream = await sha256Stream()
      stream.update(bytes.subarray(0, size >> 1))
      stream.update(bytes.subarray(size >> 1))
      expect(stream.digest()).toEqual(sha256(bytes))
    }
  })

  test("the worker hashes one-shot with WebCrypto and files with hash-wasm", async () => {
    expect(await pool.run((remote) => remote.sha256Paths())).toEqual({
      once: "webcrypto",
      stream: "hash-wasm",
    })
    const bytes = new Uint8Array(randomBytes(1000))
    expect(await pool.run((remote) => remote.sha256(bytes))).toEqual(sha256(bytes))
  })
})
