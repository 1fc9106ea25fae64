import { createCipheriv, createDecipheriv } from "node:crypto"

// The native baseline for file streaming: age's STREAM construction (64 KiB chunks, one
// ChaCha20-Poly1305 per chunk, nonce = 11-byte big-endian counter || last-chunk flag) done with
// OpenSSL through node:crypto. No header and no key derivation: only the payload, which is
// where all the time goes for a large file.

const CHUNK = 64 * 1024
const TAG = 16
const SEALED = CHUNK + TAG
const OPTIONS = { authTagLength: TAG } as const

/** Receives output bytes in order; the bench discards them or collects a ciphertext. */
export type Sink = (bytes: Uint8Array) => void

/** Nonce for chunk `index`: counter in bytes 0..10 (big-endian), last-chunk flag in byte 11. */
function nonce(index: number, last: boolean): Buffer {
  const n = Buffer.alloc(12)
  n.writeUIntBE(index, 5, 6)
  n[11] = last ? 1 : 0
  return n
}

/**
 * Feeds `source` through a fixed staging buffer of `size` bytes and calls `onFull` for every
 * full buffer that is known not to be the last one, then `onLast` with the remainder. The
 * one-buffer lookahead is what STREAM needs to set the last-chunk flag.
 */
async function rechunk(
  source: ReadableStream<Uint8Array>,
  size: number,
  onFull: (chunk: Uint8Array, index: number) => void,
  onLast: (chunk: Uint8Array, index: number) => void,
): Promise<void> {
  const reader = source.getReader()
  const stage = new Uint8Array(size)
  let used = 0
  let index = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    let piece = value
    while (piece.length > 0) {
      if (used === size) {
        onFull(stage, index++)
        used = 0
      }
      const n = Math.min(size - used, piece.length)
      stage.set(piece.subarray(0, n), used)
      used += n
      piece = piece.subarray(n)
    }
  }
  onLast(stage.subarray(0, used), index)
}

/**
 * Encrypts a plaintext stream with native ChaCha20-Poly1305 as STREAM chunks, sending each
 * chunk's ciphertext and then its tag to `sink`. Returns the number of plaintext bytes.
 */
export async function nativeEncrypt(
  source: ReadableStream<Uint8Array>,
  key: Uint8Array,
  sink: Sink,
): Promise<number> {
  let total = 0
  const seal = (last: boolean) => (chunk: Uint8Array, index: number) => {
    const cipher = createCipheriv("chacha20-poly1305", key, nonce(index, last), OPTIONS)
    sink(cipher.update(chunk))
    cipher.final()
    sink(cipher.getAuthTag())
    total += chunk.length
  }
  await rechunk(source, CHUNK, seal(false), seal(true))
  return total
}

/**
 * Decrypts what {@link nativeEncrypt} produced, verifying every tag (a bad tag throws from
 * `final()`), sending plaintext to `sink`. Returns the number of plaintext bytes.
 */
export async function nativeDecrypt(
  source: ReadableStream<Uint8Array>,
  key: Uint8Array,
  sink: Sink,
): Promise<number> {
  let total = 0
  const open = (last: boolean) => (sealed: Uint8Array, index: number) => {
    if (sealed.length < TAG) throw new Error(`chunk ${index} is shorter than a tag`)
    const decipher = createDecipheriv("chacha20-poly1305", key, nonce(index, last), OPTIONS)
    const cut = sealed.length - TAG
    decipher.setAuthTag(sealed.subarray(cut))
    const plaintext = decipher.update(sealed.subarray(0, cut))
    decipher.final()
    sink(plaintext)
    total += plaintext.length
  }
  await rechunk(source, SEALED, open(false), open(true))
  return total
}
