import { createHash, randomFillSync } from "node:crypto"
import { afterAll, beforeAll, describe, expect, test } from "vitest"
import { type FileApi, proxy, WorkerPool } from "./index.js"
import { nodeWorkerFactory, WORKER_ENTRIES } from "./node.js"

// The file worker's hashes: a whole Blob streamed through an incremental SHA-256 (the digest a
// whistleblower sees beside each attachment) and one upload chunk (its X-Chunk-Sha256 header).

const MiB = 1024 * 1024
let pool: WorkerPool<FileApi>

beforeAll(async () => {
  pool = new WorkerPool<FileApi>(await nodeWorkerFactory(WORKER_ENTRIES.file), 1)
})
afterAll(() => pool.terminate())

describe("file worker hashes", () => {
  test("digestBlob streams a 9 MiB Blob to the same SHA-256 as node:crypto, with rising progress", async () => {
    const bytes = randomFillSync(new Uint8Array(9 * MiB + 7))
    const seen: number[] = []
    const digest = await pool.run((remote) =>
      remote.digestBlob(
        new Blob([bytes]),
        proxy((v: number) => seen.push(v)),
      ),
    )
    expect(Buffer.from(digest).toString("hex")).toBe(
      createHash("sha256").update(bytes).digest("hex"),
    )
    expect(seen.at(-1)).toBe(1)
    expect(seen).toEqual([...seen].sort((a, b) => a - b))
  })

  test("an empty Blob hashes to the SHA-256 of nothing", async () => {
    const digest = await pool.run((remote) => remote.digestBlob(new Blob([])))
    expect(Buffer.from(digest).toString("hex")).toBe(createHash("sha256").digest("hex"))
  })

  test("sha256 of a chunk matches node:crypto", async () => {
    const chunk = randomFillSync(new Uint8Array(MiB))
    const digest = await pool.run((remote) => remote.sha256(chunk))
    expect(Buffer.from(digest).toString("base64url")).toBe(
      createHash("sha256").update(chunk).digest("base64url"),
    )
  })
})
