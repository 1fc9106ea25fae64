// Streaming encryption and decryption keep memory flat whatever the file size: 100 MiB files go
// through crypto-core (and the real `age` CLI) while the heap is sampled.
import { spawn } from "node:child_process"
import { createHash, type Hash, randomFillSync } from "node:crypto"
import { open, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { decryptFile, encryptFile, generateAgeIdentity, recipientOf } from "@sotto/crypto-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { makeTempDir, removeTempDirs, requireTools } from "./_tools.js"

const MiB = 1024 * 1024
const FILE_SIZE = 100 * MiB
/** What the streams may hold at once, far below the 100 MiB that pass through them. */
const MAX_HEAP_GROWTH = 32 * MiB
/** Heap plus ArrayBuffer backing stores still live after a collection. */
const MAX_LIVE_GROWTH = 16 * MiB

afterAll(removeTempDirs)

/**
 * Tracks memory above a post-GC baseline: the peak of heapUsed and of heapUsed + arrayBuffers as
 * sampled (garbage included), and, every few samples after a forced collection, the peak of what
 * is still live. Byte arrays live outside the V8 heap, so only the live heapUsed + arrayBuffers
 * figure would reveal a stream that buffers the whole file.
 */
class MemoryWatch {
  readonly #gc: () => void
  readonly #baseHeap: number
  readonly #baseTotal: number
  #peakHeap = 0
  #peakTotal = 0
  #peakLive = 0
  samples = 0
  collections = 0

  constructor() {
    const gc = globalThis.gc
    if (gc === undefined) throw new Error("globalThis.gc is missing: run vitest with --expose-gc")
    this.#gc = () => {
      gc()
    }
    this.#gc()
    this.#gc()
    const m = process.memoryUsage()
    this.#baseHeap = m.heapUsed
    this.#baseTotal = m.heapUsed + m.arrayBuffers
  }

  sample(): void {
    const m = process.memoryUsage()
    this.#peakHeap = Math.max(this.#peakHeap, m.heapUsed - this.#baseHeap)
    this.#peakTotal = Math.max(this.#peakTotal, m.heapUsed + m.arrayBuffers - this.#baseTotal)
    if (++this.samples % 8 === 0) {
      // Twice: the second collection waits for the first one's ArrayBuffer sweeping to finish.
      this.#gc()
      this.#gc()
      this.collections++
      const live = process.memoryUsage()
      this.#peakLive = Math.max(this.#peakLive, live.heapUsed + live.arrayBuffers - this.#baseTotal)
    }
  }

  /** Peak heapUsed growth, garbage included. */
  get heapGrowth(): number {
    return this.#peakHeap
  }

  /** Peak heapUsed + arrayBuffers growth, garbage included (reported, not asserted). */
  get totalGrowth(): number {
    return this.#peakTotal
  }

  /** Peak heapUsed + arrayBuffers growth right after a forced collection: what is retained. */
  get liveGrowth(): number {
    return this.#peakLive
  }

  report(label: string): void {
    const mib = (n: number) => `${(n / MiB).toFixed(1)} MiB`
    console.log(
      `${label}: peak growth heapUsed ${mib(this.heapGrowth)}, ` +
        `heapUsed + arrayBuffers ${mib(this.totalGrowth)} sampled / ${mib(this.liveGrowth)} live ` +
        `(${this.samples} samples, ${this.collections} after GC)`,
    )
  }
}

/**
 * `size` bytes of fresh random data in 1 MiB pieces, made only when pulled, hashed as they are
 * made. Each piece is a new buffer: the streams may still hold the previous one.
 */
function randomSource(size: number, hash: Hash, watch: MemoryWatch): ReadableStream<Uint8Array> {
  let left = size
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (left === 0) {
        controller.close()
        return
      }
      const piece = randomFillSync(new Uint8Array(Math.min(MiB, left)))
      hash.update(piece)
      left -= piece.length
      watch.sample()
      controller.enqueue(piece)
    },
  })
}

/** Reads a stream to its end, hashing it and sampling memory every few pieces. */
async function hashStream(
  stream: ReadableStream<Uint8Array>,
  watch: MemoryWatch,
): Promise<{ sha256: string; size: number }> {
  const hash = createHash("sha256")
  let size = 0
  let pieces = 0
  const reader = stream.getReader()
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    hash.update(r.value)
    size += r.value.length
    if (++pieces % 4 === 0) watch.sample()
  }
  return { sha256: hash.digest("hex"), size }
}

/** A file on disk as a stream of 1 MiB pieces, read only when pulled. */
async function fileSource(path: string): Promise<ReadableStream<Uint8Array>> {
  const handle = await open(path, "r")
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const piece = new Uint8Array(MiB)
      const { bytesRead } = await handle.read(piece, 0, piece.length, null)
      if (bytesRead === 0) {
        await handle.close()
        controller.close()
      } else {
        controller.enqueue(piece.subarray(0, bytesRead))
      }
    },
    async cancel() {
      await handle.close()
    },
  })
}

/** Runs `age` with `args`, feeding it `input` (if any) and hashing what it prints. */
async function runAgeStreaming(
  args: readonly string[],
  input?: ReadableStream<Uint8Array>,
): Promise<{ sha256: string; size: number }> {
  const child = spawn("age", args, { stdio: ["pipe", "pipe", "pipe"] })
  const hash = createHash("sha256")
  let size = 0
  let stderr = ""
  child.stdout.on("data", (piece: Buffer) => {
    hash.update(piece)
    size += piece.length
  })
  child.stderr.on("data", (piece: Buffer) => {
    stderr += piece.toString("utf8")
  })
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on("error", reject)
    child.on("close", resolve)
  })
  if (input) {
    const reader = input.getReader()
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      if (!child.stdin.write(r.value)) {
        await new Promise((resolve) => child.stdin.once("drain", resolve))
      }
    }
  }
  child.stdin.end()
  const status = await exited
  if (status !== 0) throw new Error(`age ${args.join(" ")} exited with ${status}:\n${stderr}`)
  return { sha256: hash.digest("hex"), size }
}

describe("streaming a 100 MiB file keeps memory bounded", () => {
  it("encryptFile → decryptFile → SHA-256 of 100 MiB matches the plaintext with under 32 MiB of heap and 16 MiB of live buffer growth", async () => {
    const identity = generateAgeIdentity()
    const recipient = await recipientOf(identity)
    const plainHash = createHash("sha256")
    const watch = new MemoryWatch()

    const encrypted = await encryptFile(randomSource(FILE_SIZE, plainHash, watch), [recipient])
    const result = await hashStream(decryptFile(encrypted, identity, [recipient]), watch)

    watch.report("encryptFile → decryptFile, 100 MiB")
    expect(result.size).toBe(FILE_SIZE)
    expect(result.sha256).toBe(plainHash.digest("hex"))
    expect(watch.samples).toBeGreaterThan(100)
    expect(watch.heapGrowth).toBeLessThan(MAX_HEAP_GROWTH)
    expect(watch.collections).toBeGreaterThan(10)
    expect(watch.liveGrowth).toBeLessThan(MAX_LIVE_GROWTH)
  })
})

describe("streaming 100 MiB between crypto-core and the age CLI keeps memory bounded", () => {
  const toolsPresent = requireTools("age")
  let dir = ""
  let identity = ""
  let recipient = ""
  let keyFile = ""

  beforeAll(async () => {
    if (!toolsPresent) return
    dir = await makeTempDir("age-big")
    identity = generateAgeIdentity()
    recipient = await recipientOf(identity)
    keyFile = join(dir, "key.txt")
    await writeFile(keyFile, `${identity}\n`, { mode: 0o600 })
  })

  it("decryptFile reads a 100 MiB file age -r wrote to disk with under 32 MiB of heap and 16 MiB of live buffer growth", async () => {
    const agePath = join(dir, "from-cli.age")
    const plainHash = createHash("sha256")
    const producing = new MemoryWatch()
    await runAgeStreaming(
      ["--encrypt", "--recipient", recipient, "--output", agePath],
      randomSource(FILE_SIZE, plainHash, producing),
    )

    const watch = new MemoryWatch()
    const result = await hashStream(decryptFile(await fileSource(agePath), identity), watch)

    watch.report("age CLI file → decryptFile, 100 MiB")
    expect(result.size).toBe(FILE_SIZE)
    expect(result.sha256).toBe(plainHash.digest("hex"))
    expect(watch.heapGrowth).toBeLessThan(MAX_HEAP_GROWTH)
    expect(watch.collections).toBeGreaterThan(10)
    expect(watch.liveGrowth).toBeLessThan(MAX_LIVE_GROWTH)
  })

  it("age -d reads a 100 MiB file encryptFile streamed to disk, with under 32 MiB of heap and 16 MiB of live buffer growth", async () => {
    const agePath = join(dir, "from-core.age")
    const plainHash = createHash("sha256")
    const watch = new MemoryWatch()
    const encrypted = await encryptFile(randomSource(FILE_SIZE, plainHash, watch), [recipient])
    const handle = await open(agePath, "w")
    try {
      const reader = encrypted.getReader()
      for (let r = await reader.read(); !r.done; r = await reader.read()) {
        await handle.write(r.value)
      }
    } finally {
      await handle.close()
    }
    watch.report("encryptFile → disk, 100 MiB")

    const result = await runAgeStreaming(["--decrypt", "--identity", keyFile, agePath])
    expect(result.size).toBe(FILE_SIZE)
    expect(result.sha256).toBe(plainHash.digest("hex"))
    expect(watch.heapGrowth).toBeLessThan(MAX_HEAP_GROWTH)
    expect(watch.collections).toBeGreaterThan(10)
    expect(watch.liveGrowth).toBeLessThan(MAX_LIVE_GROWTH)
  })
})
