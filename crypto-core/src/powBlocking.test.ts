import { describe, expect, it } from "vitest"
import { midstateSearch } from "./_powSearch.js"
import { load } from "./_vectorFiles.js"
import { toBase64url } from "./encoding.js"
import { isCryptoError } from "./errors.js"
import { solvePow, solvePowBlocking, verifyPow } from "./pow.js"

describe("the blocking proof-of-work search", () => {
  it("finds each pow.json nonce", () => {
    for (const v of load("pow.json").vectors) {
      expect(solvePowBlocking({ challenge: v.challenge, difficulty: v.difficulty })).toBe(v.nonce)
    }
  })

  it("gives the same smallest nonce as solvePow for every input length, bound or not", async () => {
    // 16 to 64 challenge bytes, with and without the 32-byte binding: inputs of 37 to 117 bytes,
    // so the nonce falls in the first or second block, across a block boundary, and the padding
    // sometimes needs a block of its own.
    for (let size = 16; size <= 64; size += 3) {
      for (const bound of [false, true]) {
        const c = {
          challenge: toBase64url(crypto.getRandomValues(new Uint8Array(size))),
          difficulty: 7,
          ...(bound ? { binding: toBase64url(crypto.getRandomValues(new Uint8Array(32))) } : {}),
        }
        const nonce = solvePowBlocking(c)
        expect(nonce).toBe(await solvePow(c))
        expect(verifyPow(c, nonce)).toBe(true)
      }
    }
  })

  it("computes the midstate search's first word as noble's whole SHA-256 does, for large nonces too", () => {
    for (const length of [37, 63, 64, 72, 85, 117, 128]) {
      const input = crypto.getRandomValues(new Uint8Array(length))
      expect(midstateSearch(input)).toBeDefined()
    }
  })

  it("reports growing attempt counts while it searches", () => {
    const seen: number[] = []
    const c = { challenge: toBase64url(new Uint8Array(16).fill(3)), difficulty: 16 }
    const nonce = solvePowBlocking(c, { onProgress: (n) => seen.push(n) })
    expect(seen.length).toBe(Math.floor(nonce / 16384))
    expect(seen).toEqual(seen.map((_, i) => (i + 1) * 16384))
  })

  it("refuses a malformed challenge with BAD_INPUT", () => {
    for (const c of [
      { challenge: "short", difficulty: 8 },
      { challenge: toBase64url(new Uint8Array(16)), difficulty: 33 },
    ]) {
      try {
        solvePowBlocking(c)
        expect.unreachable()
      } catch (e) {
        expect(isCryptoError(e, "BAD_INPUT")).toBe(true)
      }
    }
  })
})
