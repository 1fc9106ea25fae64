import { sha256 } from "@noble/hashes/sha2.js"
import canonicalize from "canonicalize"
import { midstateSearch } from "./_powSearch.js"
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

/** The difficulty range a node's signed manifest allows (SPEC §14), in bits. */
export interface PowBounds {
  readonly minDifficulty: number
  readonly maxDifficulty: number
}

/**
 * Options for {@link solvePow}: cancellation, a progress report (attempts so far) and the bounds
 * of the pinned manifest, checked before any work.
 */
export interface PowOptions {
  readonly signal?: AbortSignal
  readonly onProgress?: (attempts: number) => void
  readonly bounds?: PowBounds
}

/** Options for {@link solvePowBlocking}. */
export interface PowSearchOptions {
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
 * Refuses a challenge outside the manifest's bounds: each extra bit doubles the work, so a relay
 * asking 40 bits would keep a phone busy for days; asking fewer than the floor is not the node's
 * signed policy either (SPEC §9, §14).
 * @throws CryptoError `POW_OUT_OF_BOUNDS` naming both numbers, `BAD_INPUT` for malformed bounds.
 */
export function checkPowBounds(c: Pick<PowChallenge, "difficulty">, bounds: PowBounds): void {
  const min = expectInteger("bounds.minDifficulty", bounds.minDifficulty, 0, 32)
  const max = expectInteger("bounds.maxDifficulty", bounds.maxDifficulty, min, 32)
  const asked = c.difficulty
  if (typeof asked !== "number" || !Number.isInteger(asked) || asked < min || asked > max) {
    throw new CryptoError(
      "POW_OUT_OF_BOUNDS",
      `the relay asks for a ${String(asked)}-bit proof of work; the node's signed manifest allows ${min} to ${max} bits`,
    )
  }
}

/**
 * Finds the smallest nonce that solves the challenge, yielding to the event loop between batches.
 * With `options.bounds` a challenge outside them is refused before any work.
 * @throws CryptoError `ABORTED` when `signal` fires, `BAD_INPUT` on a malformed challenge,
 * `POW_OUT_OF_BOUNDS` outside `options.bounds`.
 */
export async function solvePow(c: PowChallenge, options: PowOptions = {}): Promise<number> {
  if (options.bounds) checkPowBounds(c, options.bounds)
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
 * Same construction, same answers as `solvePow`, several times faster: each attempt runs noble's
 * SHA-256 compression on the last block(s) from a midstate (`_powSearch.ts`), and every hit is
 * confirmed with the whole hash (bench/results/browser.json has the ratio).
 * @throws CryptoError `BAD_INPUT` on a malformed challenge, `BAD_POW` if no nonce solves it.
 */
export function solvePowBlocking(c: PowChallenge, options: PowSearchOptions = {}): number {
  const buf = prefixOf(c)
  const { difficulty } = c
  // A hit has its first 32 digest bits below this (difficulty is at most 32).
  const below = 2 ** (32 - difficulty)
  // noble's compression function from a midstate; noble's whole sha256 if that ever disagrees.
  const midstate = midstateSearch(buf)
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  const firstWord =
    midstate === undefined
      ? (nonce: number) => {
          view.setUint32(buf.length - 8, Math.floor(nonce / 2 ** 32))
          view.setUint32(buf.length - 4, nonce >>> 0)
          const h = sha256(buf)
          return (
            (((h[0] ?? 0) << 24) | ((h[1] ?? 0) << 16) | ((h[2] ?? 0) << 8) | (h[3] ?? 0)) >>> 0
          )
        }
      : (nonce: number) => midstate.firstWord(nonce)
  const step = BATCH * 4
  for (let start = 0; start < Number.MAX_SAFE_INTEGER; start += step) {
    const end = Math.min(start + step, Number.MAX_SAFE_INTEGER)
    for (let nonce = start; nonce < end; nonce++) {
      // Confirmed with the full hash, so a fast path that went wrong can never hand out a bad proof.
      if (firstWord(nonce) < below && verifyPow(c, nonce)) return nonce
    }
    options.onProgress?.(end)
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
