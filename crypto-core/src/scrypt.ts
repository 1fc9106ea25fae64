import { scryptAsync } from "@noble/hashes/scrypt.js"
import { CryptoError } from "./errors.js"

/** What an scrypt call may be given: cancellation and a progress hook (fraction in [0, 1]). */
export interface ScryptOptions {
  readonly signal?: AbortSignal
  readonly onProgress?: (fraction: number) => void
}

/**
 * scrypt (RFC 7914) with a 32-byte output, behind one interface with two implementations that
 * must give identical bytes: pure JavaScript (@noble/hashes, everywhere, with fine-grained
 * progress and cancellation) and hash-wasm's WebAssembly build (`@sotto/crypto-core/scrypt-wasm`,
 * near native speed, progress only at start and end). The KDF worker switches with
 * {@link useScrypt}; parameters are checked by the callers before either runs.
 */
export interface ScryptImpl {
  /** `noble` or `hash-wasm`: what benchmarks and tests report. */
  readonly name: string
  /** @throws CryptoError `ABORTED` when `options.signal` fires. */
  derive(
    secret: Uint8Array,
    salt: Uint8Array,
    cost: { readonly N: number; readonly r: number; readonly p: number },
    options?: ScryptOptions,
  ): Promise<Uint8Array>
}

/** The pure-JavaScript scrypt: yields to the event loop, reports progress, can be cancelled. */
export const nobleScrypt: ScryptImpl = {
  name: "noble",
  derive: (secret, salt, { N, r, p }, options = {}) =>
    scryptAsync(secret, salt, {
      N,
      r,
      p,
      dkLen: 32,
      asyncTick: 10,
      onProgress: (fraction) => {
        // Throwing from the progress hook is the only way to stop noble's scrypt early.
        if (options.signal?.aborted)
          throw new CryptoError("ABORTED", "key derivation was cancelled")
        options.onProgress?.(fraction)
      },
    }),
}

let active: ScryptImpl = nobleScrypt

/** Chooses the scrypt this thread uses from now on (the KDF worker, once WASM has loaded). */
export function useScrypt(impl: ScryptImpl): void {
  active = impl
}

/** The scrypt this thread uses. */
export function activeScrypt(): ScryptImpl {
  return active
}
