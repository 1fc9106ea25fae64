import { describe, expect, it } from "vitest"
import { load } from "./_vectorFiles.js"
import { toBase64url } from "./encoding.js"
import { isCryptoError } from "./errors.js"
import { type PowHash, solvePow, solvePowBlocking, verifyPow } from "./pow.js"
import { loadWasmPowHash } from "./powWasm.js"

const wasm = await loadWasmPowHash()
const paths: [string, PowHash | undefined][] = [
  ["noble", undefined],
  ["hash-wasm", wasm],
]

describe("the blocking proof-of-work search", () => {
  it("loads hash-wasm's SHA-256 where WebAssembly runs (Node has it)", () => {
    expect(wasm).toBeTypeOf("function")
  })

  for (const [name, hash] of paths) {
    it(`finds each pow.json nonce with ${name}`, () => {
      for (const v of load("pow.json").vectors) {
        const c = { challenge: v.challenge, difficulty: v.difficulty }
        expect(solvePowBlocking(c, hash ? { hash } : {})).toBe(v.nonce)
      }
    })

    it(`gives the same smallest nonce as solvePow with ${name}, bound or not`, async () => {
      for (let i = 0; i < 6; i++) {
        const c = {
          challenge: toBase64url(crypto.getRandomValues(new Uint8Array(16 + i * 8))),
          difficulty: 6 + i,
          ...(i % 2 === 1 ? { binding: toBase64url(new Uint8Array(32).fill(i)) } : {}),
        }
        const nonce = solvePowBlocking(c, hash ? { hash } : {})
        expect(nonce).toBe(await solvePow(c))
        expect(verifyPow(c, nonce)).toBe(true)
      }
    })
  }

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
