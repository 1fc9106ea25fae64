import { createHash, randomFillSync } from "node:crypto"
import { CryptoError, FILE_CHUNK_SIZE, generateAgeIdentity, recipientOf } from "@sotto/crypto-core"
import { afterAll, beforeAll, describe, expect, test } from "vitest"
import {
  decryptWithPool,
  encryptWithPool,
  type FileApi,
  resumeEncryptWithPool,
  WorkerPool,
} from "./index.js"
import { nodeWorkerFactory, WORKER_ENTRIES } from "./node.js"

// The plaintext's SHA-256 computed inside the encrypt and decrypt pipelines (`onDigest`), in one
// worker of the pool while the others seal or open, instead of a second pass over the file.

const MiB = 1024 * 1024
let pair: WorkerPool<FileApi>
let identity: string
let recipient: string

beforeAll(async () => {
  pair = new WorkerPool<FileApi>(await nodeWorkerFactory(WORKER_ENTRIES.file), 2)
  identity = generateAgeIdentity()
  recipient = await recipientOf(identity)
})
afterAll(() => pair.terminate())

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

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex")
const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex")

describe("hashing inside the file pipelines", () => {
  for (const size of [0, 1, FILE_CHUNK_SIZE, 5 * MiB + 12_345]) {
    test(`a ${size}-byte file: encrypt and decrypt both report node:crypto's SHA-256 before closing`, async () => {
      const plain = randomFillSync(new Uint8Array(size))
      let sealedDigest: Uint8Array | undefined
      const sealing = await encryptWithPool(pair, streamOf(plain), [recipient], {
        batchChunks: 4,
        onDigest: (d) => {
          sealedDigest = d
        },
      })
      const sealed = await collect(sealing.stream)
      expect(sealedDigest && hex(sealedDigest)).toBe(sha(plain))
      let openedDigest: Uint8Array | undefined
      const opened = await collect(
        decryptWithPool(pair, streamOf(sealed, 77_777), identity, {
          batchChunks: 4,
          onDigest: (d) => {
            openedDigest = d
          },
        }),
      )
      expect(Buffer.from(opened).equals(Buffer.from(plain))).toBe(true)
      expect(openedDigest && hex(openedDigest)).toBe(sha(plain))
    })
  }

  test("a tampered file errors the stream and never reports a digest", async () => {
    const plain = randomFillSync(new Uint8Array(3 * MiB))
    const sealing = await encryptWithPool(pair, streamOf(plain), [recipient])
    const sealed = await collect(sealing.stream)
    sealed[sealed.length - 100] = (sealed[sealed.length - 100] ?? 0) ^ 1
    let reported = false
    const opening = collect(
      decryptWithPool(pair, streamOf(sealed), identity, {
        onDigest: () => {
          reported = true
        },
      }),
    )
    await expect(opening).rejects.toMatchObject({ code: "TAMPERED" })
    expect(reported).toBe(false)
  })

  test("a resumed encryption refuses onDigest with BAD_INPUT (it sees only the tail)", async () => {
    const sealing = await encryptWithPool(pair, streamOf(new Uint8Array(0)), [recipient])
    await collect(sealing.stream)
    const resumed = resumeEncryptWithPool(pair, streamOf(new Uint8Array(10)), sealing.state, 1, {
      onDigest: () => {},
    })
    await expect(resumed).rejects.toBeInstanceOf(CryptoError)
    await expect(resumed).rejects.toMatchObject({ code: "BAD_INPUT" })
  })
})
