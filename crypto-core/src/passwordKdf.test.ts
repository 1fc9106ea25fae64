import { describe, expect, it } from "vitest"
import { expectCode, TEST_KDF_PARAMS } from "./_testing.js"
import { isCryptoError } from "./errors.js"
import {
  authVerifier,
  checkAuthKey,
  checkKdfParams,
  derivePasswordKeys,
  drawSalt,
  fakeSalt,
  normaliseUsername,
} from "./passwordKdf.js"

const salt = new Uint8Array(16).fill(7)

describe("password KDF", () => {
  it("derives the same keys from the same password, salt and params", async () => {
    const a = await derivePasswordKeys("correct horse battery staple", salt, TEST_KDF_PARAMS)
    const b = await derivePasswordKeys("correct horse battery staple", salt, TEST_KDF_PARAMS)
    expect(a.authKey).toEqual(b.authKey)
    expect(a.identity).toBe(b.identity)
    expect(a.recipient).toMatch(/^age1[02-9ac-hj-np-z]{58}$/)
    expect(a.identity).toMatch(/^AGE-SECRET-KEY-1/)
  })

  it("gives different keys for another password, another salt, or other params", async () => {
    const base = await derivePasswordKeys("pw-one", salt, TEST_KDF_PARAMS)
    const otherPw = await derivePasswordKeys("pw-two", salt, TEST_KDF_PARAMS)
    const otherSalt = await derivePasswordKeys(
      "pw-one",
      new Uint8Array(16).fill(8),
      TEST_KDF_PARAMS,
    )
    const otherN = await derivePasswordKeys("pw-one", salt, { ...TEST_KDF_PARAMS, N: 2 ** 16 })
    for (const other of [otherPw, otherSalt, otherN]) {
      expect(other.authKey).not.toEqual(base.authKey)
      expect(other.identity).not.toBe(base.identity)
    }
  })

  it("keeps the auth key and the identity independent of each other", async () => {
    const k = await derivePasswordKeys("independence", salt, TEST_KDF_PARAMS)
    expect(k.identity).not.toContain(Buffer.from(k.authKey).toString("hex").toUpperCase())
  })

  it("treats composed and decomposed Unicode passwords alike (NFC)", async () => {
    const composed = await derivePasswordKeys("caf\u00e9", salt, TEST_KDF_PARAMS)
    const decomposed = await derivePasswordKeys("cafe\u0301", salt, TEST_KDF_PARAMS)
    expect(decomposed.authKey).toEqual(composed.authKey)
  })

  it("reports progress up to completion", async () => {
    const seen: number[] = []
    await derivePasswordKeys("progress", salt, TEST_KDF_PARAMS, { onProgress: (f) => seen.push(f) })
    expect(seen.length).toBeGreaterThan(2)
    expect(seen.at(-1)).toBeCloseTo(1, 1)
  })

  it("stops with ABORTED when the signal fires", async () => {
    const controller = new AbortController()
    const running = derivePasswordKeys(
      "abort me",
      salt,
      { N: 2 ** 17, r: 8, p: 1 },
      {
        signal: controller.signal,
        onProgress: (f) => {
          if (f > 0.1) controller.abort()
        },
      },
    )
    await expectCode(running, "ABORTED")
  })

  it("refuses weak, malformed and absurd parameters", async () => {
    await expectCode(derivePasswordKeys("x", salt, { N: 2 ** 14, r: 8, p: 1 }), "WEAK_PARAMS")
    await expectCode(derivePasswordKeys("x", salt, { N: 2 ** 15, r: 4, p: 1 }), "WEAK_PARAMS")
    await expectCode(derivePasswordKeys("x", salt, { N: 3 * 2 ** 15, r: 8, p: 1 }), "BAD_INPUT")
    await expectCode(derivePasswordKeys("x", salt, { N: 2 ** 24, r: 8, p: 1 }), "BAD_INPUT")
    expect(() => checkKdfParams(null)).toThrow(/params/)
  })

  it("refuses an empty password and a short salt, naming the argument", async () => {
    await expectCode(derivePasswordKeys("", salt, TEST_KDF_PARAMS), "BAD_INPUT")
    try {
      await derivePasswordKeys("x", new Uint8Array(8), TEST_KDF_PARAMS)
      expect.unreachable()
    } catch (e) {
      expect(isCryptoError(e, "BAD_INPUT")).toBe(true)
      expect((e as Error).message).toBe(`"salt" expected 16 to 64 bytes, got 8`)
    }
  })

  it("draws 16-byte salts that differ", () => {
    const a = drawSalt()
    expect(a.length).toBe(16)
    expect(drawSalt()).not.toEqual(a)
  })
})

describe("fake salts for unknown accounts", () => {
  const secret = new Uint8Array(32).fill(1)

  it("are stable per node secret and username, whatever the case or spacing", () => {
    expect(fakeSalt(secret, "Alice")).toEqual(fakeSalt(secret, " alice "))
    expect(fakeSalt(secret, "alice").length).toBe(16)
  })

  it("differ between usernames and between nodes", () => {
    expect(fakeSalt(secret, "alice")).not.toEqual(fakeSalt(secret, "bob"))
    expect(fakeSalt(new Uint8Array(32).fill(2), "alice")).not.toEqual(fakeSalt(secret, "alice"))
  })

  it("normalise usernames to NFC lower case", () => {
    expect(normaliseUsername("  J\u00d6RG ")).toBe("j\u00f6rg")
  })
})

describe("auth verifier", () => {
  it("accepts the auth key it was made from and nothing else", async () => {
    const k = await derivePasswordKeys("verifier", salt, TEST_KDF_PARAMS)
    const stored = authVerifier(k.authKey)
    expect(stored).not.toEqual(k.authKey)
    expect(checkAuthKey(k.authKey, stored)).toBe(true)
    const wrong = k.authKey.slice()
    wrong[0] = (wrong[0] ?? 0) ^ 1
    expect(checkAuthKey(wrong, stored)).toBe(false)
  })
})
