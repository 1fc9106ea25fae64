import type { ChunkAead } from "./chunkAead.js"

/**
 * Loads libsodium's WebAssembly ChaCha20-Poly1305 as a {@link ChunkAead}. Resolves undefined,
 * never rejects, where WebAssembly is missing or forbidden (a CSP without 'wasm-unsafe-eval', a
 * hardened browser): callers then keep the pure-JavaScript path.
 * Subpath `@sotto/crypto-core/aead-sodium`, so libsodium (~300 KB) loads only in file workers.
 */
export async function loadSodiumChunkAead(): Promise<ChunkAead | undefined> {
  if (typeof WebAssembly !== "object") return undefined
  try {
    const sodium = (await import("libsodium-wrappers")).default
    await sodium.ready
    const aead: ChunkAead = {
      name: "libsodium-wasm",
      seal: (key, nonce, plaintext) =>
        sodium.crypto_aead_chacha20poly1305_ietf_encrypt(plaintext, null, null, nonce, key),
      open: (key, nonce, sealed) =>
        sodium.crypto_aead_chacha20poly1305_ietf_decrypt(null, sealed, null, nonce, key),
    }
    // A self-check on the RFC 8439 §2.8.2 sizes: a broken or stubbed module is never used.
    const probe = aead.seal(new Uint8Array(32), new Uint8Array(12), new Uint8Array(3))
    if (probe.length !== 19) return undefined
    return aead
  } catch {
    return undefined
  }
}
