// Shared helpers for crypto-core's own tests (not exported from the package).
import { armor } from "age-encryption"
import { expect } from "vitest"
import { type CryptoErrorCode, isCryptoError } from "./errors.js"
import { MIN_KDF_PARAMS } from "./passwordKdf.js"

/** The cheapest parameters crypto-core accepts, so tests stay fast. */
export const TEST_KDF_PARAMS = MIN_KDF_PARAMS

/** Awaits `promise` and asserts it rejects with a CryptoError of `code`. */
export async function expectCode(promise: Promise<unknown>, code: CryptoErrorCode): Promise<void> {
  let caught: unknown
  try {
    await promise
  } catch (e) {
    caught = e
  }
  if (!isCryptoError(caught)) {
    throw new Error(
      `expected a CryptoError ${code}, got ${caught === undefined ? "success" : String(caught)}`,
    )
  }
  expect(caught.code).toBe(code)
}

/** The CryptoError code `f` throws, or "none" when it returns; rethrows any other error. */
export function codeOf(f: () => unknown): string {
  try {
    f()
  } catch (e) {
    if (isCryptoError(e)) return e.code
    throw e
  }
  return "none"
}

/** Every copy of `bytes` with exactly one bit flipped, at every `step`-th byte. */
export function* flippedBits(
  bytes: Uint8Array,
  step = 1,
): Generator<{ at: number; bytes: Uint8Array }> {
  for (let i = 0; i < bytes.length; i += step) {
    for (let bit = 0; bit < 8; bit++) {
      const copy = bytes.slice()
      copy[i] = (copy[i] ?? 0) ^ (1 << bit)
      yield { at: i * 8 + bit, bytes: copy }
    }
  }
}

/**
 * Asserts that every one-bit change of an armored age file (as binary, re-armored) makes `open`
 * reject with TAMPERED; returns how many variants were tried.
 */
export async function expectEveryFlipTampered(
  armored: string,
  open: (tampered: string) => Promise<unknown>,
  step = 1,
): Promise<number> {
  const binary = armor.decode(armored)
  let tried = 0
  const wrong: number[] = []
  for (const { at, bytes } of flippedBits(binary, step)) {
    tried++
    try {
      await open(armor.encode(bytes))
      wrong.push(at)
    } catch (e) {
      if (!isCryptoError(e, "TAMPERED")) wrong.push(at)
    }
  }
  expect(wrong, "bit positions not rejected as TAMPERED").toEqual([])
  return tried
}

/** Flips one bit of an ASCII string at character `index`. */
export function flipChar(text: string, index: number, bit: number): string {
  return (
    text.slice(0, index) +
    String.fromCharCode(text.charCodeAt(index) ^ (1 << bit)) +
    text.slice(index + 1)
  )
}
