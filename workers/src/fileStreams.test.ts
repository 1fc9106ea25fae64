import { createHash, randomFillSync } from "node:crypto"
import {
  CryptoError,
  createEncryptStream,
  decryptFile,
  encryptFile,
  FILE_CHUNK_SIZE,
  FileSealer,
  generateAgeIdentity,
  recipientOf,
} from "@sotto/crypto-core"
import { afterAll, beforeAll, describe, expect, test } from "vitest"
import {
  decryptWithPool,
  encryptWithPool,
  type FileApi,
  resumeEncryptWithPool,
  resumePoint,
  sealedSize,
  WorkerPool,
} from "./index.js"
import { nodeWorkerFactory, WORKER_ENTRIES } from "./node.js"

const MiB = 1024 * 1024
let single: WorkerPool<FileApi>
let pair: WorkerPool<FileApi>
let identity: string
let recipient: string

beforeAll(async () => {
  const factory = await nodeWorkerFactory(WORKER_ENTRIES.file)
  single = new WorkerPool<FileApi>(factory, 1)
  pair = new WorkerPool<FileApi>(factory, 2)
  identity = generateAgeIdentity()
  recipient = await recipientOf(identity)
})
afterAll(() => {
  single.terminate()
  pair.terminate()
})

function random(size: number): Uint8Array {
  return randomFillSync(new Uint8Array(size))
}

/** A stream of `bytes` in pieces of an awkward size, as a network or Blob would give them. */
function streamOf(bytes: Uint8Array, piece = 100_003): ReadableStream<Uint8Array> {
  let offset = 0
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close()
      controller.enqueue(bytes.slice(offset, offset + piece))
      offset += piece
    },
  })
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = []
  for await (const part of stream) parts.push(part)
  return new Uint8Array(Buffer.concat(parts))
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(
    Buffer.from(b.buffer, b.byteOffset, b.length),
  )
}

/** Main-thread memory that a buffered file would show up in: JS heap plus ArrayBuffers. */
function mainThreadBytes(): number {
  ;(globalThis as { gc?: () => void }).gc?.()
  const { heapUsed, arrayBuffers } = process.memoryUsage()
  return heapUsed + arrayBuffers
}

describe("file streams through workers", () => {
  test("each file worker seals with libsodium's WebAssembly AEAD where WebAssembly runs", async () => {
    expect(await pair.run((remote) => remote.aead())).toBe("libsodium-wasm")
    expect(await single.run((remote) => remote.aead())).toBe("libsodium-wasm")
  })

  test("64 MiB encrypts and decrypts through a worker byte-identically in bounded main-thread memory", async () => {
    const size = 64 * MiB
    const input = createHash("sha256")
    let produced = 0
    const source = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (produced === size) return controller.close()
        const block = random(MiB)
        input.update(block)
        produced += block.length
        controller.enqueue(block)
      },
    })
    const baseline = mainThreadBytes()
    let peak = baseline
    let sealedBytes = 0
    let encrypted = 0
    let nextSample = 0
    const file = await encryptWithPool(single, source, [recipient], {
      onProgress: (n) => {
        encrypted = n
      },
    })
    const counted = file.stream.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          sealedBytes += chunk.length
          controller.enqueue(chunk)
        },
      }),
    )
    const output = createHash("sha256")
    let decrypted = 0
    const plaintext = decryptWithPool(single, counted, identity, {
      onProgress: (n) => {
        decrypted = n
        if (n >= nextSample) {
          nextSample += 8 * MiB
          peak = Math.max(peak, mainThreadBytes())
        }
      },
    })
    let received = 0
    for await (const part of plaintext) {
      output.update(part)
      received += part.length
    }
    expect(received).toBe(size)
    expect(output.digest("hex")).toBe(input.digest("hex"))
    expect(sealedBytes).toBe(sealedSize(file.header.length, size))
    expect(encrypted).toBe(size)
    expect(decrypted).toBe(size)
    // Holding the file (plaintext or ciphertext) would cost 64 MiB or more; what is held is the
    // batches in flight both ways plus stream queues, about 20 MiB whatever the file size.
    expect(peak - baseline).toBeLessThan(40 * MiB)
  })

  test("sealing across 2 workers gives crypto-core's bytes, and decryptFile opens the file", async () => {
    const plain = random(5 * MiB + 12_345)
    const other = generateAgeIdentity()
    const slots = new Set<number>()
    const run = pair.run.bind(pair)
    pair.run = (task) =>
      run((remote, slot) => {
        slots.add(slot)
        return task(remote, slot)
      })
    let sealed: Uint8Array
    try {
      const file = await encryptWithPool(
        pair,
        streamOf(plain),
        [recipient, await recipientOf(other)],
        {
          batchChunks: 4,
        },
      )
      sealed = await collect(file.stream)
      const reference = await collect(
        streamOf(plain).pipeThrough(createEncryptStream(new FileSealer(file.state))),
      )
      expect(same(sealed, reference)).toBe(true)
    } finally {
      pair.run = run
    }
    expect([...slots].sort()).toEqual([0, 1])
    expect(same(await collect(decryptFile(streamOf(sealed), other)), plain)).toBe(true)
    expect(same(await collect(decryptWithPool(pair, streamOf(sealed), identity)), plain)).toBe(true)
  })

  test("files from crypto-core's single-threaded encryptFile decrypt on the pool", async () => {
    const plain = random(3 * MiB + 1)
    const sealed = await collect(await encryptFile(streamOf(plain), [recipient]))
    const opened = decryptWithPool(pair, streamOf(sealed, 65_536), identity, { batchChunks: 3 })
    expect(same(await collect(opened), plain)).toBe(true)
  })

  test("a resumed upload re-seals identical bytes from the resume point", async () => {
    const plain = random(3 * MiB + 777)
    const file = await encryptWithPool(pair, streamOf(plain), [recipient])
    const full = await collect(file.stream)
    expect(resumePoint(file.header.length, 10)).toEqual({
      chunk: 0,
      plaintextOffset: 0,
      sealedOffset: 0,
    })
    const uploaded = Math.floor(full.length * 0.6)
    const point = resumePoint(file.header.length, uploaded)
    expect(point.chunk).toBeGreaterThan(0)
    expect(point.sealedOffset).toBeLessThanOrEqual(uploaded)
    const rest = await resumeEncryptWithPool(
      pair,
      streamOf(plain.subarray(point.plaintextOffset)),
      file.state,
      point.chunk,
    )
    expect(rest.header).toEqual(file.header)
    expect(same(await collect(rest.stream), full.subarray(point.sealedOffset))).toBe(true)
  })

  test.each([0, 1, FILE_CHUNK_SIZE, 16 * FILE_CHUNK_SIZE, 16 * FILE_CHUNK_SIZE + 1])(
    "a %i-byte file round-trips at the batch and chunk edges",
    async (size) => {
      const plain = random(size)
      const file = await encryptWithPool(pair, streamOf(plain), [recipient])
      const sealed = await collect(file.stream)
      expect(sealed.length).toBe(sealedSize(file.header.length, size))
      expect(same(await collect(decryptFile(streamOf(sealed), identity)), plain)).toBe(true)
      expect(same(await collect(decryptWithPool(pair, streamOf(sealed), identity)), plain)).toBe(
        true,
      )
    },
  )

  test("a wrong key, a flipped bit and truncation fail with their CryptoError codes", async () => {
    const plain = random(2 * MiB + 5)
    const sealed = await collect((await encryptWithPool(pair, streamOf(plain), [recipient])).stream)
    const failure = (bytes: Uint8Array, key = identity) =>
      collect(decryptWithPool(pair, streamOf(bytes), key)).then(
        () => undefined,
        (e: unknown) => e,
      )
    const wrong = await failure(sealed, generateAgeIdentity())
    expect(wrong).toBeInstanceOf(CryptoError)
    expect(wrong).toMatchObject({ code: "WRONG_KEY" })
    const flipped = sealed.slice()
    flipped[sealed.length - 100_000] = (flipped[sealed.length - 100_000] ?? 0) ^ 1
    expect(await failure(flipped)).toMatchObject({ code: "TAMPERED" })
    expect(await failure(sealed.subarray(0, sealed.length - 70_000))).toMatchObject({
      code: "TAMPERED",
    })
    expect(await failure(sealed.subarray(0, 40))).toMatchObject({ code: "TAMPERED" })
    expect(await failure(random(1000))).toMatchObject({ code: "TAMPERED" })
  })

  test("pool tasks queue in order when every worker is busy", async () => {
    const order: number[] = []
    await Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        single.run(async () => {
          order.push(i)
          await new Promise((resolve) => setTimeout(resolve, 5))
        }),
      ),
    )
    expect(order).toEqual([0, 1, 2, 3, 4])
    expect(() =>
      decryptWithPool(single, streamOf(random(10)), identity, { batchChunks: 0 }),
    ).toThrow(expect.objectContaining({ code: "BAD_INPUT" }))
    expect(
      () =>
        new WorkerPool<FileApi>(() => {
          throw new Error("unused")
        }, 0),
    ).toThrow(RangeError)
  })
})
