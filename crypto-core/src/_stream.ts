import { hkdf } from "@noble/hashes/hkdf.js"
import { sha256 } from "@noble/hashes/sha2.js"
import { expectBytes, expectInteger } from "./_validate.js"
import { activeChunkAead } from "./chunkAead.js"
import { utf8 } from "./encoding.js"
import { CryptoError } from "./errors.js"

// The age v1 payload: STREAM over ChaCha20-Poly1305 with 64 KiB chunks, as in the age spec
// (nonce = 11-byte big-endian chunk counter || last-chunk flag byte).

export const CHUNK_SIZE = 64 * 1024
export const TAG_SIZE = 16
export const SEALED_CHUNK_SIZE = CHUNK_SIZE + TAG_SIZE
export const PAYLOAD_NONCE_SIZE = 16
const MAX_CHUNK_INDEX = 2 ** 48

/** payload key = HKDF-SHA-256(ikm = file key, salt = payload nonce, info = "payload"). */
export function payloadKey(fileKey: Uint8Array, payloadNonce: Uint8Array): Uint8Array {
  expectBytes("fileKey", fileKey, 16)
  expectBytes("payloadNonce", payloadNonce, PAYLOAD_NONCE_SIZE)
  return hkdf(sha256, fileKey, payloadNonce, utf8("payload"), 32)
}

function chunkNonce(index: number, last: boolean): Uint8Array {
  expectInteger("index", index, 0, MAX_CHUNK_INDEX)
  const nonce = new Uint8Array(12)
  let n = index
  for (let i = 10; i >= 0 && n > 0; i--) {
    nonce[i] = n % 256
    n = Math.floor(n / 256)
  }
  nonce[11] = last ? 1 : 0
  return nonce
}

export function sealChunk(
  key: Uint8Array,
  index: number,
  plaintext: Uint8Array,
  last: boolean,
): Uint8Array {
  expectBytes("plaintext", plaintext)
  if (last ? plaintext.length > CHUNK_SIZE : plaintext.length !== CHUNK_SIZE) {
    throw new CryptoError(
      "BAD_INPUT",
      `"plaintext" expected ${last ? `at most ${CHUNK_SIZE}` : CHUNK_SIZE} bytes, got ${plaintext.length}`,
    )
  }
  if (last && plaintext.length === 0 && index > 0) {
    throw new CryptoError("BAD_INPUT", `"plaintext" of a last chunk may be empty only for chunk 0`)
  }
  return activeChunkAead().seal(key, chunkNonce(index, last), plaintext)
}

export function openChunk(
  key: Uint8Array,
  index: number,
  sealed: Uint8Array,
  last: boolean,
): Uint8Array {
  const ok = last
    ? sealed.length >= TAG_SIZE && sealed.length <= SEALED_CHUNK_SIZE
    : sealed.length === SEALED_CHUNK_SIZE
  if (!ok)
    throw new CryptoError("TAMPERED", `chunk ${index} has an impossible size ${sealed.length}`)
  let plaintext: Uint8Array
  try {
    plaintext = activeChunkAead().open(key, chunkNonce(index, last), sealed)
  } catch (cause) {
    throw new CryptoError("TAMPERED", `chunk ${index} does not authenticate`, { cause })
  }
  if (last && plaintext.length === 0 && index > 0) {
    throw new CryptoError("TAMPERED", "the final chunk is empty")
  }
  return plaintext
}

/** Size of the payload (after header and nonce) for a plaintext of `size` bytes. */
export function payloadSize(size: number): number {
  expectInteger("size", size, 0, Number.MAX_SAFE_INTEGER)
  const chunks = Math.max(1, Math.ceil(size / CHUNK_SIZE))
  return size + chunks * TAG_SIZE
}
