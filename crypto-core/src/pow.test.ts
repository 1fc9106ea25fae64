import { describe, expect, it } from "vitest"
import { expectCode } from "./_testing.js"
import { toBase64url } from "./encoding.js"
import { isCryptoError } from "./errors.js"
import { checkPow, checkPowBounds, powBinding, solvePow, verifyPow } from "./pow.js"

const challenge = toBase64url(new Uint8Array(16).map((_, i) => i))

describe("proof of work", () => {
  it("refuses a challenge outside the manifest's bounds before any work", async () => {
    const bounds = { minDifficulty: 4, maxDifficulty: 28 }
    // 32 bits would take minutes here: the refusal must come before the search.
    const started = Date.now()
    await expectCode(solvePow({ challenge, difficulty: 32 }, { bounds }), "POW_OUT_OF_BOUNDS")
    await expectCode(solvePow({ challenge, difficulty: 2 }, { bounds }), "POW_OUT_OF_BOUNDS")
    expect(Date.now() - started).toBeLessThan(500)
    // 40 is beyond what crypto-core solves at all; the bounds name it first.
    expect(() => checkPowBounds({ difficulty: 40 }, bounds)).toThrow(/40-bit.*4 to 28 bits/)
    const nonce = await solvePow({ challenge, difficulty: 8 }, { bounds })
    expect(verifyPow({ challenge, difficulty: 8 }, nonce)).toBe(true)
  })

  it("solves a challenge so that it verifies at its difficulty", async () => {
    const c = { challenge, difficulty: 12 }
    const nonce = await solvePow(c)
    expect(verifyPow(c, nonce)).toBe(true)
    expect(() => checkPow(c, nonce)).not.toThrow()
  })

  it("finds the smallest solution, so the answer is reproducible", async () => {
    const c = { challenge, difficulty: 10 }
    const nonce = await solvePow(c)
    for (let n = 0; n < nonce; n++) expect(verifyPow(c, n)).toBe(false)
  })

  it("rejects a nonce that does not meet the difficulty with BAD_POW", async () => {
    const c = { challenge, difficulty: 16 }
    const nonce = await solvePow(c)
    let bad = nonce + 1
    while (verifyPow(c, bad)) bad++
    try {
      checkPow(c, bad)
      expect.unreachable()
    } catch (e) {
      expect(isCryptoError(e, "BAD_POW")).toBe(true)
    }
  })

  it("takes more work as the difficulty rises (on average over challenges)", async () => {
    let easy = 0
    let hard = 0
    for (let i = 0; i < 8; i++) {
      const c = toBase64url(new Uint8Array(16).fill(i))
      easy += await solvePow({ challenge: c, difficulty: 4 })
      hard += await solvePow({ challenge: c, difficulty: 12 })
    }
    expect(hard).toBeGreaterThan(easy * 8)
  })

  it("can be cancelled and reports progress", async () => {
    const controller = new AbortController()
    let reports = 0
    const running = solvePow(
      { challenge, difficulty: 32 },
      {
        signal: controller.signal,
        onProgress: () => {
          if (++reports === 3) controller.abort()
        },
      },
    )
    await expectCode(running, "ABORTED")
    expect(reports).toBe(3)
  })

  it("refuses malformed challenges and difficulties, naming them", async () => {
    await expectCode(solvePow({ challenge: "short", difficulty: 8 }), "BAD_INPUT")
    await expectCode(solvePow({ challenge, difficulty: 33 }), "BAD_INPUT")
    expect(() => verifyPow({ challenge, difficulty: 8 }, -1)).toThrow(`"nonce" expected 0 to`)
  })
})

describe("a proof bound to one request", () => {
  const c = { challenge: toBase64url(new Uint8Array(32).fill(7)), difficulty: 8 }
  const body = { contextId: "c1", answers: "x" }

  it("is solved with the binding and refused without it or with another body or route", async () => {
    const bound = { ...c, binding: powBinding("submitTip", body) }
    const nonce = await solvePow(bound)
    expect(verifyPow(bound, nonce)).toBe(true)
    const others = [
      powBinding("submitTip", { ...body, answers: "y" }),
      powBinding("wbLogin", body),
    ].map((binding) => verifyPow({ ...c, binding }, nonce))
    // Fixed inputs, so deterministic: none of the other requests accepts this nonce.
    expect([...others, verifyPow(c, nonce)]).toEqual([false, false, false])
    expect(powBinding("wbLogin", body)).not.toBe(powBinding("submitTip", body))
  })

  it("binds the canonical JSON: key order does not change the binding", () => {
    expect(powBinding("r", { a: 1, b: [2, "x"] })).toBe(powBinding("r", { b: [2, "x"], a: 1 }))
  })

  it("refuses an empty route and a binding that is not 32 bytes", () => {
    expect(() => powBinding("", body)).toThrow(/route/)
    expect(() => verifyPow({ ...c, binding: toBase64url(new Uint8Array(8)) }, 0)).toThrow(/binding/)
  })
})
