// Byte streams for crypto-core's own tests: sources cut into pieces, sinks that read to the end,
// and random bytes. It imports nothing of crypto-core, so a test may load it before removing
// `crypto.subtle` and only then import crypto-core.
import { sha256 } from "@noble/hashes/sha2.js"

/** `n` random bytes (any length: crypto.getRandomValues alone stops at 64 KiB). */
export function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)))
  return out
}

/** A stream that hands out copies of `bytes` in pieces of the given sizes, cycling through them. */
export function streamOf(
  bytes: Uint8Array,
  pieces: readonly number[] = [100_000],
): ReadableStream<Uint8Array> {
  let offset = 0
  let k = 0
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close()
      const size = pieces[k++ % pieces.length] ?? 1
      controller.enqueue(bytes.slice(offset, offset + size))
      offset += size
    },
  })
}

/** A stream that hands out the given pieces themselves, one pull at a time. */
export function streamOfPieces(pieces: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const piece = pieces[i++]
      if (piece === undefined) controller.close()
      else controller.enqueue(piece)
    },
  })
}

/** A small deterministic PRNG (mulberry32) so a failing piece layout can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A PRNG seed named by `text`: the first four bytes of its SHA-256. */
export function seedOf(text: string): number {
  const h = sha256(new TextEncoder().encode(text))
  return new DataView(h.buffer, h.byteOffset).getUint32(0)
}

/**
 * Splits `bytes` into pieces: all of size 1 when `sizes` is "bytes", otherwise random sizes (seeded
 * by `sizes`) from one byte to a little over two sealed chunks, often small, so boundaries fall
 * everywhere.
 */
export function splitPieces(bytes: Uint8Array, sizes: "bytes" | number): Uint8Array[] {
  const pieces: Uint8Array[] = []
  if (sizes === "bytes") {
    for (let i = 0; i < bytes.length; i++) pieces.push(bytes.slice(i, i + 1))
    return pieces
  }
  const random = prng(sizes)
  for (let i = 0; i < bytes.length; ) {
    const r = random()
    const max = r < 0.4 ? 64 : r < 0.7 ? 4096 : 2 * 65_552 + 7
    const n = 1 + Math.floor(random() * max)
    pieces.push(bytes.slice(i, i + n))
    i += n
  }
  return pieces
}

/** Reads a stream to its end; returns what it released and the error it ended with, if any. */
export async function drain(
  stream: ReadableStream<Uint8Array>,
): Promise<{ released: Uint8Array; error: unknown }> {
  const reader = stream.getReader()
  const parts: Uint8Array[] = []
  let error: unknown
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      parts.push(value)
    }
  } catch (e) {
    error = e ?? new Error("stream errored with no reason")
  }
  let length = 0
  for (const p of parts) length += p.length
  const released = new Uint8Array(length)
  let at = 0
  for (const p of parts) {
    released.set(p, at)
    at += p.length
  }
  return { released, error }
}

/** Reads a whole stream into one array; rejects with the error the stream ends with. */
export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const { released, error } = await drain(stream)
  if (error !== undefined) throw error
  return released
}
