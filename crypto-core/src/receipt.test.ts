import { describe, expect, it } from "vitest"
import { codeOf, expectCode, TEST_KDF_PARAMS } from "./_testing.js"
import { isCryptoError } from "./errors.js"
import {
  DEFAULT_RECEIPT_PATTERN,
  deriveReceiptKeys,
  drawReceipt,
  normaliseReceipt,
  parseReceiptPattern,
  receiptStrength,
} from "./receipt.js"
import { createTipIdentity, unwrapTipKey, wrapTipKey } from "./tip.js"

const nodeSalt = new Uint8Array(16).fill(9)

describe("receipt patterns", () => {
  it("default to sixteen digits in groups of four", () => {
    const p = parseReceiptPattern(DEFAULT_RECEIPT_PATTERN)
    expect(p).toMatchObject({ kind: "digits", digits: 16, layout: "#### #### #### ####" })
    expect(drawReceipt()).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/)
  })

  it("accept plain digit runs, dashes and word counts", () => {
    expect(parseReceiptPattern("\\d{16}")).toMatchObject({ digits: 16, layout: "#".repeat(16) })
    expect(drawReceipt("\\d{6}-\\d{6}-\\d{6}")).toMatch(/^\d{6}-\d{6}-\d{6}$/)
    expect(drawReceipt("words:6").split(" ")).toHaveLength(6)
  })

  it("refuse patterns under 50 bits with WEAK_PARAMS and unknown syntax with BAD_INPUT", () => {
    expect(codeOf(() => parseReceiptPattern("\\d{12}"))).toBe("WEAK_PARAMS")
    expect(codeOf(() => parseReceiptPattern("words:4"))).toBe("WEAK_PARAMS")
    expect(codeOf(() => parseReceiptPattern("[A-Z]{20}"))).toBe("BAD_INPUT")
  })

  it("draw digits without an obvious bias", () => {
    const counts = new Array<number>(10).fill(0)
    for (let i = 0; i < 500; i++) for (const c of drawReceipt("\\d{16}")) counts[Number(c)]! += 1
    // 8000 digits: each should be near 800; 650..950 is > 5 standard deviations wide.
    for (const n of counts) expect(n).toBeGreaterThan(650)
    for (const n of counts) expect(n).toBeLessThan(950)
  })
})

describe("receipt input", () => {
  it("forgives spaces, dashes, dots and full-width digits", () => {
    const canonical = "1234567890123456"
    for (const typed of [
      "1234 5678 9012 3456",
      "1234-5678-9012-3456",
      " 1234.5678.9012.3456 ",
      "１２３４５６７８９０１２３４５６",
    ]) {
      expect(normaliseReceipt(typed)).toBe(canonical)
    }
  })

  it("says when a digit is missing or a letter slipped in", () => {
    expect(codeOf(() => normaliseReceipt("1234 5678 9012 345"))).toBe("BAD_RECEIPT_FORMAT")
    expect(codeOf(() => normaliseReceipt("1234 5678 9012 345O"))).toBe("BAD_RECEIPT_FORMAT")
    try {
      normaliseReceipt("1234 5678 9012 345")
    } catch (e) {
      expect((e as Error).message).toBe("a receipt has 16 digits, this one has 15")
    }
  })

  it("accepts words in any case, with dashes, or shortened to four letters", () => {
    const pattern = "words:5"
    expect(normaliseReceipt("Abandon-ABILITY able about above", pattern)).toBe(
      "abandon ability able about above",
    )
    expect(normaliseReceipt("aban abil able abou abov", pattern)).toBe(
      "abandon ability able about above",
    )
  })

  it("names the word that is not in the list", () => {
    try {
      normaliseReceipt("abandon ability xylophonex about above", "words:5")
      expect.unreachable()
    } catch (e) {
      expect(isCryptoError(e, "BAD_RECEIPT_FORMAT")).toBe(true)
      expect((e as Error).message).toContain(`word 3 ("xylophonex")`)
    }
  })
})

describe("receipt keys", () => {
  it("are the same however the receipt was typed", async () => {
    const a = await deriveReceiptKeys("1234 5678 9012 3456", nodeSalt, TEST_KDF_PARAMS)
    const b = await deriveReceiptKeys("1234-5678-9012-3456", nodeSalt, TEST_KDF_PARAMS)
    expect(b.authKey).toEqual(a.authKey)
    expect(b.identity).toBe(a.identity)
  })

  it("differ from password keys for the same text and salt", async () => {
    const { derivePasswordKeys } = await import("./passwordKdf.js")
    const r = await deriveReceiptKeys("1234567890123456", nodeSalt, TEST_KDF_PARAMS)
    const p = await derivePasswordKeys("1234567890123456", nodeSalt, TEST_KDF_PARAMS)
    expect(r.authKey).not.toEqual(p.authKey)
    expect(r.identity).not.toBe(p.identity)
  })

  it("open the whistleblower's tip wrap only with the right receipt", async () => {
    const receipt = drawReceipt()
    const wb = await deriveReceiptKeys(receipt, nodeSalt, TEST_KDF_PARAMS)
    const tip = await createTipIdentity()
    const wrap = await wrapTipKey(tip, wb.recipient)
    expect(await unwrapTipKey(wrap, wb.identity)).toEqual(tip)
    const wrong = await deriveReceiptKeys("0000 0000 0000 0000", nodeSalt, TEST_KDF_PARAMS)
    await expectCode(unwrapTipKey(wrap, wrong.identity), "WRONG_KEY")
  })

  it("reject malformed receipts before any derivation", async () => {
    await expectCode(deriveReceiptKeys("12", nodeSalt, TEST_KDF_PARAMS), "BAD_RECEIPT_FORMAT")
  })
})

describe("receipt strength", () => {
  it("counts 16 digits as 53.2 bits and 6 words as 66 bits, and says why a pattern is refused", () => {
    expect(receiptStrength(DEFAULT_RECEIPT_PATTERN).bits).toBeCloseTo(53.15, 2)
    expect(receiptStrength(DEFAULT_RECEIPT_PATTERN).text).toBe(
      "16 digits: 53.2 bits, about 10^16 receipts",
    )
    expect(receiptStrength("words:6").bits).toBe(66)
    const weak = receiptStrength("\\d{8}")
    expect(weak.bits).toBe(0)
    expect(weak.text).toMatch(/at least 50 are required/)
  })
})
