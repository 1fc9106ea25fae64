import { createCipheriv, createHash } from "node:crypto"

// Byte sources and sinks for the streaming benches. Plaintext is generated piece by piece so that
// at most a couple of pieces exist at once; ciphertexts are replayed from one contiguous buffer.

/** 1 MiB = 2^20 bytes: the unit of every size and throughput in this bench. */
export const MIB = 1024 * 1024

/** Views any byte array as a plain `Uint8Array` (no Buffer subclass reaches the code under test). */
function plain(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

/**
 * A stream of `totalBytes` deterministic pseudo-random bytes in pieces of `pieceBytes`, made on
 * demand as the AES-256-CTR keystream of a key derived from `seed`. AES-CTR in OpenSSL runs at
 * several GB/s, so generation costs little next to the ciphers being measured, and every
 * contender consumes an identical source.
 */
export function pseudoRandomStream(
  totalBytes: number,
  pieceBytes: number,
  seed = "sotto-bench",
): ReadableStream<Uint8Array> {
  const key = createHash("sha256").update(seed).digest()
  const keystream = createCipheriv("aes-256-ctr", key, Buffer.alloc(16))
  const zeros = new Uint8Array(pieceBytes)
  let produced = 0
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const size = Math.min(pieceBytes, totalBytes - produced)
        if (size <= 0) {
          controller.close()
          return
        }
        controller.enqueue(plain(keystream.update(zeros.subarray(0, size))))
        produced += size
      },
    },
    { highWaterMark: 1 },
  )
}

/** Replays `bytes` as a stream of `pieceBytes` views (no copies), like reading a file in blocks. */
export function replayStream(bytes: Uint8Array, pieceBytes: number): ReadableStream<Uint8Array> {
  let offset = 0
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (offset >= bytes.length) {
          controller.close()
          return
        }
        const end = Math.min(offset + pieceBytes, bytes.length)
        controller.enqueue(bytes.subarray(offset, end))
        offset = end
      },
    },
    { highWaterMark: 1 },
  )
}

/** Reads `stream` to the end, discarding the bytes; returns how many there were. */
export async function drain(stream: ReadableStream<Uint8Array>): Promise<number> {
  const reader = stream.getReader()
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return total
    total += value.length
  }
}

/** Collects pieces into one contiguous buffer (used to prepare ciphertexts, never while timing). */
export class ByteCollector {
  readonly #pieces: Uint8Array[] = []
  #length = 0

  /** Appends a piece (kept by reference until {@link ByteCollector.bytes} is called). */
  push(piece: Uint8Array): void {
    this.#pieces.push(piece)
    this.#length += piece.length
  }

  /** Reads `stream` to the end into this collector. */
  async pushStream(stream: ReadableStream<Uint8Array>): Promise<this> {
    const reader = stream.getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return this
      this.push(value)
    }
  }

  /** Concatenates everything pushed so far. */
  bytes(): Uint8Array {
    const out = new Uint8Array(this.#length)
    let offset = 0
    for (const piece of this.#pieces) {
      out.set(piece, offset)
      offset += piece.length
    }
    return out
  }
}

/** Throws when a run produced the wrong number of bytes (a truncated or padded result). */
export function expectLength(what: string, actual: number, expected: number): void {
  if (actual !== expected) throw new Error(`${what}: expected ${expected} bytes, got ${actual}`)
}
