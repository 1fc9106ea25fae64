import { sha256 } from "@noble/hashes/sha2.js"
import { constantTimeEqual, utf8 } from "./encoding.js"
import type { PowHash } from "./pow.js"

/**
 * Loads hash-wasm's WebAssembly SHA-256 as a {@link PowHash} for `solvePowBlocking`, checked
 * against noble's on a probe before use. Resolves undefined, never rejects, where WebAssembly is
 * missing or forbidden (a CSP without `'wasm-unsafe-eval'`): callers keep noble's hash. The
 * returned function reuses one hasher, so it is not re-entrant (one search per worker).
 * Subpath `@sotto/crypto-core/pow-wasm`.
 */
export async function loadWasmPowHash(): Promise<PowHash | undefined> {
  if (typeof WebAssembly !== "object") return undefined
  try {
    const { createSHA256 } = await import("hash-wasm")
    const hasher = await createSHA256()
    const hash: PowHash = (bytes) => hasher.init().update(bytes).digest("binary")
    // Two lengths, one and two SHA-256 blocks, as the PoW input is one or the other.
    for (const probe of [utf8("sotto/v1/pow probe"), new Uint8Array(100).fill(0x5a)]) {
      if (!constantTimeEqual(hash(probe), sha256(probe))) return undefined
    }
    return hash
  } catch {
    return undefined
  }
}
