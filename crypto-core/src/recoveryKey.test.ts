import { describe, expect, it } from "vitest"
import { identityFromSecret } from "./age.js"
import { isCryptoError } from "./errors.js"
import { drawRecoveryKey, formatRecoveryKey, parseRecoveryKey } from "./recoveryKey.js"

function codeAndMessage(f: () => unknown): { code: string; message: string } {
  try {
    f()
  } catch (e) {
    if (isCryptoError(e)) return { code: e.code, message: e.message }
    throw e
  }
  throw new Error("expected an error")
}

describe("recovery keys", () => {
  const key = identityFromSecret(new Uint8Array(32).map((_, i) => i * 7))

  it("are age identities the age CLI understands", () => {
    expect(drawRecoveryKey()).toMatch(/^AGE-SECRET-KEY-1[02-9ACDEFGHJKLMNPQRSTUVWXYZ]{58}$/)
    expect(drawRecoveryKey()).not.toBe(drawRecoveryKey())
  })

  it("format as fourteen groups of four and a final pair", () => {
    const grouped = formatRecoveryKey(key)
    const groups = grouped.split(" ")
    expect(groups).toHaveLength(15)
    expect(groups.slice(0, 14).every((g) => g.length === 4)).toBe(true)
    expect(groups[14]).toHaveLength(2)
  })

  it("parse back from the grouped form, the full form, lower case, dashes and line breaks", () => {
    const grouped = formatRecoveryKey(key)
    expect(parseRecoveryKey(grouped)).toBe(key)
    expect(parseRecoveryKey(key)).toBe(key)
    expect(parseRecoveryKey(grouped.toLowerCase())).toBe(key)
    expect(parseRecoveryKey(grouped.replaceAll(" ", "-"))).toBe(key)
    expect(parseRecoveryKey(`  ${grouped.replace(/ /g, "\n")}  `)).toBe(key)
  })

  it("name a character that never appears and suggest what was meant", () => {
    const grouped = formatRecoveryKey(key)
    const withO = `O${grouped.slice(1)}`
    const err = codeAndMessage(() => parseRecoveryKey(withO))
    expect(err.code).toBe("BAD_RECOVERY_KEY")
    expect(err.message).toContain(`character 1 ("O")`)
    expect(err.message).toContain(`"0"`)
  })

  it("say how many characters are missing", () => {
    const err = codeAndMessage(() => parseRecoveryKey(formatRecoveryKey(key).slice(0, -2)))
    expect(err.code).toBe("BAD_RECOVERY_KEY")
    expect(err.message).toContain("this one has 56")
  })

  it("catch any single mistyped character through the checksum", () => {
    const data = formatRecoveryKey(key).replaceAll(" ", "")
    const alphabet = "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L"
    let caught = 0
    for (let i = 0; i < data.length; i++) {
      const replacement = alphabet[(alphabet.indexOf(data[i] ?? "") + 1) % alphabet.length] ?? ""
      const typo = data.slice(0, i) + replacement + data.slice(i + 1)
      expect(codeAndMessage(() => parseRecoveryKey(typo)).code).toBe("BAD_RECOVERY_KEY")
      caught++
    }
    expect(caught).toBe(58)
  })

  it("catch two swapped neighbouring characters", () => {
    const data = formatRecoveryKey(key).replaceAll(" ", "")
    const i = data.split("").findIndex((c, j) => c !== data[j + 1])
    const swapped = data.slice(0, i) + data[i + 1] + data[i] + data.slice(i + 2)
    expect(codeAndMessage(() => parseRecoveryKey(swapped)).message).toContain("typo")
  })
})
