import { CryptoError } from "./errors.js"
import type { ScryptImpl } from "./scrypt.js"

/**
 * Loads hash-wasm's WebAssembly scrypt as a {@link ScryptImpl}, checked against RFC 7914's
 * second test vector before use. Resolves undefined, never rejects, where WebAssembly is missing
 * or forbidden: callers keep the pure-JavaScript scrypt. One call cannot be interrupted; a
 * cancelled job is refused before it starts and its result dropped after, and the worker may be
 * terminated to stop it at once. Subpath `@sotto/crypto-core/scrypt-wasm`.
 */
export async function loadWasmScrypt(): Promise<ScryptImpl | undefined> {
  if (typeof WebAssembly !== "object") return undefined
  try {
    const { scrypt } = await import("hash-wasm")
    const impl: ScryptImpl = {
      name: "hash-wasm",
      async derive(secret, salt, { N, r, p }, options = {}) {
        if (options.signal?.aborted)
          throw new CryptoError("ABORTED", "key derivation was cancelled")
        options.onProgress?.(0)
        const out = await scrypt({
          password: secret,
          salt,
          costFactor: N,
          blockSize: r,
          parallelism: p,
          hashLength: 32,
          outputType: "binary",
        })
        if (options.signal?.aborted)
          throw new CryptoError("ABORTED", "key derivation was cancelled")
        options.onProgress?.(1)
        return out
      },
    }
    // RFC 7914 §12: scrypt("password", "NaCl", N=1024, r=8, p=16, dkLen=64), first 32 bytes.
    const probe = await scrypt({
      password: "password",
      salt: "NaCl",
      costFactor: 1024,
      blockSize: 8,
      parallelism: 16,
      hashLength: 64,
      outputType: "hex",
    })
    if (!probe.startsWith("fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162")) {
      return undefined
    }
    return impl
  } catch {
    return undefined
  }
}
