import { chacha20poly1305 } from "@noble/ciphers/chacha.js"

/**
 * ChaCha20-Poly1305 (RFC 8439, 12-byte nonce) as the age STREAM chunks use it. One interface, two
 * implementations that must give identical bytes: pure JavaScript (@noble/ciphers, everywhere)
 * and libsodium's WebAssembly build (`@sotto/crypto-core/aead-sodium`, about 2.4× faster in the
 * browser), switched per thread with {@link useChunkAead}. Every age vector runs on both.
 */
export interface ChunkAead {
  /** `noble` or `libsodium-wasm`: what benchmarks and tests report. */
  readonly name: string
  /** Encrypts `plaintext`; returns ciphertext ‖ 16-byte tag. */
  seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): Uint8Array
  /** Decrypts `sealed` (ciphertext ‖ tag); throws any Error when it does not authenticate. */
  open(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array): Uint8Array
}

/** The pure-JavaScript path: works wherever JavaScript runs, WebAssembly or not. */
export const nobleChunkAead: ChunkAead = {
  name: "noble",
  seal: (key, nonce, plaintext) => chacha20poly1305(key, nonce).encrypt(plaintext),
  open: (key, nonce, sealed) => chacha20poly1305(key, nonce).decrypt(sealed),
}

let active: ChunkAead = nobleChunkAead

/**
 * Chooses the implementation this thread's file streams use from now on (a worker calls it once
 * at start with the WebAssembly path when that loads). Formats and results do not change.
 */
export function useChunkAead(aead: ChunkAead): void {
  active = aead
}

/** The implementation this thread's file streams use. */
export function activeChunkAead(): ChunkAead {
  return active
}
