import { sha256 } from "@noble/hashes/sha2.js"
import canonicalize from "canonicalize"
import { expectInteger, expectString } from "./_validate.js"
import { concatBytes, fromBase64url, toBase64url, utf8 } from "./encoding.js"
import { CryptoError } from "./errors.js"

/** A hashcash-style puzzle the relay hands out before an anonymous write. */
export interface PowChallenge {
  /** 16 to 64 random bytes, base64url. */
  readonly challenge: string
  /** Leading zero bits required, 0 to 32; the relay raises it under load. */
  readonly difficulty: number
  /**
   * What the proof pays for, from {@link powBinding}: 32 bytes base64url, hashed in after the
   * challenge, so a proof solved for one request is worthless for any other.
   */
  readonly binding?: string
}

/** Options for {@link solvePow}: cancellation and a progress report (attempts so far). */
export interface PowOptions {
  readonly signal?: AbortSignal
  readonly onProgress?: (attempts: number) => void
}

/**
 * A synchronous SHA-256 of one buffer: noble's by default, or hash-wasm's WebAssembly build from
 * `@sotto/crypto-core/pow-wasm` (the same function, checked against noble before use).
 */
export type PowHash = (bytes: Uint8Array) => Uint8Array

/** Options for {@link solvePowBlocking}. */
export interface PowSearchOptions {
  /** The SHA-256 to search with; noble's when absent. */
  readonly hash?: PowHash
  /** Called every 16 384 attempts with the attempts so far (from the search's own thread). */
  readonly onProgress?: (attempts: number) => void
}

const LABEL = "sotto/v1/pow"
const BINDING_LABEL = "sotto/v1/pow-binding"
const BATCH = 4096

/**
 * The binding of a proof to one request (SPEC §9): SHA-256 of the label, the route id and the
 * RFC 8785 (JCS) canonical JSON of the request body without its `pow` field, base64url.
 * @throws CryptoError `BAD_INPUT` for an empty route or a body that is not JSON.
 */
export function powBinding(route: string, body: unknown): string {
  if (expectString("route", route, 64).length === 0) {
    throw new CryptoError("BAD_INPUT", `"route" expected a route id`)
  }
  const json = canonicalize(body)
  if (json === undefined) throw new CryptoError("BAD_INPUT", `"body" is not JSON`)
  const zero = new Uint8Array([0])
  return toBase64url(sha256(concatBytes(utf8(BINDING_LABEL), zero, utf8(route), zero, utf8(json))))
}

function prefixOf(c: PowChallenge): Uint8Array {
  const bytes = fromBase64url("challenge", c.challenge)
  if (bytes.length < 16 || bytes.length > 64) {
    throw new CryptoError("BAD_INPUT", `"challenge" expected 16 to 64 bytes, got ${bytes.length}`)
  }
  expectInteger("difficulty", c.difficulty, 0, 32)
  const binding = c.binding === undefined ? new Uint8Array(0) : fromBase64url("binding", c.binding)
  if (c.binding !== undefined && binding.length !== 32) {
    throw new CryptoError("BAD_INPUT", `"binding" expected 32 bytes, got ${binding.length}`)
  }
  return concatBytes(utf8(LABEL), new Uint8Array([0]), bytes, binding, new Uint8Array(8))
}

// SHA-256(label || 0x00 || challenge || nonce as 8-byte big-endian), in place in `buf`.
function hashWith(buf: Uint8Array, nonce: number): Uint8Array {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  view.setUint32(buf.length - 8, Math.floor(nonce / 2 ** 32))
  view.setUint32(buf.length - 4, nonce >>> 0)
  return sha256(buf)
}

function leadingZeroBits(hash: Uint8Array): number {
  let bits = 0
  for (const byte of hash) {
    if (byte === 0) {
      bits += 8
      continue
    }
    return bits + Math.clz32(byte) - 24
  }
  return bits
}

/**
 * Checks a solution.
 * @returns true when SHA-256(label ‖ 0 ‖ challenge ‖ nonce) has `difficulty` leading zero bits.
 * @throws CryptoError `BAD_INPUT` on a malformed challenge or nonce.
 */
export function verifyPow(c: PowChallenge, nonce: number): boolean {
  expectInteger("nonce", nonce, 0, Number.MAX_SAFE_INTEGER)
  return leadingZeroBits(hashWith(prefixOf(c), nonce)) >= c.difficulty
}

/**
 * Finds the smallest nonce that solves the challenge, yielding to the event loop between batches.
 * @throws CryptoError `ABORTED` when `signal` fires, `BAD_INPUT` on a malformed challenge.
 */
export async function solvePow(c: PowChallenge, options: PowOptions = {}): Promise<number> {
  const buf = prefixOf(c)
  for (let nonce = 0; nonce < Number.MAX_SAFE_INTEGER; ) {
    const end = nonce + BATCH
    for (; nonce < end; nonce++) {
      if (leadingZeroBits(hashWith(buf, nonce)) >= c.difficulty) return nonce
    }
    if (options.signal?.aborted) throw new CryptoError("ABORTED", "proof of work was cancelled")
    options.onProgress?.(nonce)
    await new Promise((resolve) => setTimeout(resolve, 0))
  }
  throw new CryptoError("BAD_POW", "no solution found")
}

/**
 * Finds the smallest nonce that solves the challenge, like {@link solvePow}, without ever yielding:
 * for a worker of its own, stopped by terminating that worker (nothing else can interrupt it).
 * Same construction, same answers as `solvePow`; about 1.4× faster with noble's hash, several
 * times with hash-wasm's (bench/results/browser.json).
 * @throws CryptoError `BAD_INPUT` on a malformed challenge, `BAD_POW` if no nonce solves it.
 */
export function solvePowBlocking(c: PowChallenge, options: PowSearchOptions = {}): number {
  const buf = prefixOf(c)
  const hash = options.hash ?? sha256
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  const at = buf.length - 8
  const { difficulty } = c
  const full = difficulty >>> 3
  const mask = (0xff << (8 - (difficulty & 7))) & 0xff
  for (let high = 0; high < 2 ** 21; high++) {
    view.setUint32(at, high)
    for (let low = 0; low < 2 ** 32; low += BATCH * 4) {
      const end = low + BATCH * 4
      for (let n = low; n < end; n++) {
        view.setUint32(at + 4, n)
        const h = hash(buf)
        let ok = true
        for (let i = 0; i < full; i++) {
          if (h[i] !== 0) {
            ok = false
            break
          }
        }
        if (ok && (mask === 0 || ((h[full] ?? 0) & mask) === 0)) return high * 2 ** 32 + n
      }
      options.onProgress?.(high * 2 ** 32 + end)
    }
  }
  throw new CryptoError("BAD_POW", "no solution found")
}

/**
 * Throws unless the nonce solves the challenge (for the relay).
 * @throws CryptoError `BAD_POW`.
 */
export function checkPow(c: PowChallenge, nonce: number): void {
  if (!verifyPow(c, nonce))
    throw new CryptoError("BAD_POW", "the proof of work does not meet the difficulty")
}
