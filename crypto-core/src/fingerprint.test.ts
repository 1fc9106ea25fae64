import { sha256 } from "@noble/hashes/sha2.js"
import { describe, expect, it } from "vitest"
import { wordlist } from "./_words.js"
import { concatBytes, utf8 } from "./encoding.js"
import { isCryptoError } from "./errors.js"
import { FINGERPRINT_WORDS, fingerprintWords } from "./fingerprint.js"

describe("key fingerprints", () => {
  it("are eight words taken from the first 88 bits of the labelled SHA-256", () => {
    const key = new Uint8Array(32).fill(7)
    const words = fingerprintWords(key)
    expect(words).toHaveLength(FINGERPRINT_WORDS)
    const digest = sha256(concatBytes(utf8("sotto/v2/key-fingerprint\n"), key))
    const bits = Array.from(digest, (b) => b.toString(2).padStart(8, "0")).join("")
    const expected = Array.from(
      { length: 8 },
      (_, i) => wordlist[Number.parseInt(bits.slice(i * 11, i * 11 + 11), 2)],
    )
    expect(words).toEqual(expected)
  })

  it("differ when one bit of the key differs", () => {
    const a = new Uint8Array(32)
    const b = new Uint8Array(32)
    b[31] = 1
    expect(fingerprintWords(a)).not.toEqual(fingerprintWords(b))
  })

  it("refuse something that is not a key", () => {
    try {
      fingerprintWords(new Uint8Array(3))
      expect.unreachable()
    } catch (e) {
      expect(isCryptoError(e, "BAD_INPUT")).toBe(true)
    }
  })
})
