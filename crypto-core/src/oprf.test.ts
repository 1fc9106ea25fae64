import { readFileSync } from "node:fs"
import { hexToBytes } from "@noble/hashes/utils.js"
import { describe, expect, it } from "vitest"
import { voprf } from "./_oprfSuite.js"
import { CryptoError } from "./errors.js"
import {
  blindOprfInput,
  evaluateOprf,
  finalizeOprf,
  OPRF_OUTPUT_BYTES,
  type OprfKeyPair,
  oprfKeyFromSeed,
} from "./oprf.js"

// RFC 9497 Appendix A.1.2 (ristretto255-SHA512, VOPRF), committed with its source cited.
interface Vector {
  name: string
  Input: string
  Blind: string
  BlindedElement: string
  EvaluationElement: string
  Proof: string
  ProofRandomScalar: string
  Output: string
}
const RFC = JSON.parse(
  readFileSync(
    new URL("../vectors/rfc9497/ristretto255-sha512-voprf.json", import.meta.url),
    "utf8",
  ),
) as { source: string; Seed: string; KeyInfo: string; skSm: string; pkSm: string; tests: Vector[] }

/**
 * A byte source that makes noble draw exactly `scalarHex` (little-endian): noble maps 48 random
 * bytes b to (b mod (ℓ−1)) + 1, so it must be handed the encoding of scalar − 1.
 */
function yields(scalarHex: string) {
  return (n = 48): Uint8Array => {
    let s = 0n
    const bytes = hexToBytes(scalarHex)
    for (let i = bytes.length - 1; i >= 0; i--) s = (s << 8n) | BigInt(bytes[i] ?? 0)
    s -= 1n
    const out = new Uint8Array(n)
    for (let i = 0; i < n; i++) {
      out[i] = Number(s & 0xffn)
      s >>= 8n
    }
    return out
  }
}

function rfcKey(): OprfKeyPair {
  // The RFC derives its key with KeyInfo "test key"; Sotto's seed API uses its own key info, so
  // the RFC key pair is given directly and checked against skSm/pkSm.
  return { secretKey: hexToBytes(RFC.skSm), publicKey: hexToBytes(RFC.pkSm) }
}

function capture(fn: () => unknown): CryptoError {
  try {
    fn()
  } catch (e) {
    if (e instanceof CryptoError) return e
    throw e
  }
  throw new Error("expected a CryptoError")
}

describe("the VOPRF (RFC 9497, ristretto255-SHA512)", () => {
  it("cites the RFC as the source of its vectors", () => {
    expect(RFC.source).toContain("RFC 9497, Appendix A.1.2")
    expect(RFC.tests.length).toBe(2)
  })

  it("derives the RFC's key pair from its seed and key info (DeriveKeyPair)", () => {
    const keys = voprf.deriveKeyPair(hexToBytes(RFC.Seed), hexToBytes(RFC.KeyInfo))
    expect(keys.secretKey).toEqual(hexToBytes(RFC.skSm))
    expect(keys.publicKey).toEqual(hexToBytes(RFC.pkSm))
  })

  for (const v of RFC.tests) {
    it(`reproduces ${v.name} byte for byte: blind, evaluate with proof, finalize`, () => {
      const key = rfcKey()
      const input = hexToBytes(v.Input)
      const blinding = blindOprfInput(input, yields(v.Blind))
      expect(blinding.blind).toEqual(hexToBytes(v.Blind))
      expect(blinding.blinded).toEqual(hexToBytes(v.BlindedElement))
      const evaluation = evaluateOprf(key, blinding.blinded, yields(v.ProofRandomScalar))
      expect(evaluation.evaluated).toEqual(hexToBytes(v.EvaluationElement))
      expect(evaluation.proof).toEqual(hexToBytes(v.Proof))
      expect(finalizeOprf(input, blinding, evaluation, [key.publicKey])).toEqual(
        hexToBytes(v.Output),
      )
    })
  }

  it("derives a stable key pair from a 32-byte seed, and a different one from another seed", () => {
    const a = oprfKeyFromSeed(new Uint8Array(32).fill(1))
    expect(oprfKeyFromSeed(new Uint8Array(32).fill(1))).toEqual(a)
    expect(oprfKeyFromSeed(new Uint8Array(32).fill(2)).publicKey).not.toEqual(a.publicKey)
    expect(capture(() => oprfKeyFromSeed(new Uint8Array(31))).code).toBe("BAD_INPUT")
  })

  it("gives the same output for the same input under fresh blinds, and 64 bytes of it", () => {
    const key = oprfKeyFromSeed(new Uint8Array(32).fill(7))
    const input = new Uint8Array([1, 2, 3])
    const outputs = [0, 1].map(() => {
      const b = blindOprfInput(input)
      return finalizeOprf(input, b, evaluateOprf(key, b.blinded), [key.publicKey])
    })
    expect(outputs[0]).toEqual(outputs[1])
    expect(outputs[0]?.length).toBe(OPRF_OUTPUT_BYTES)
  })

  it("refuses an evaluation made with a key the manifest does not list", () => {
    const mine = oprfKeyFromSeed(new Uint8Array(32).fill(7))
    const other = oprfKeyFromSeed(new Uint8Array(32).fill(8))
    const input = new Uint8Array([9])
    const b = blindOprfInput(input)
    const honest = evaluateOprf(other, b.blinded)
    // The relay names its real (other) key: not in the manifest.
    expect(capture(() => finalizeOprf(input, b, honest, [mine.publicKey])).code).toBe(
      "KEY_MISMATCH",
    )
    // The relay claims the manifest key but evaluated with another: the proof fails.
    const lying = { ...honest, publicKey: mine.publicKey }
    expect(capture(() => finalizeOprf(input, b, lying, [mine.publicKey])).code).toBe("BAD_PROOF")
  })

  it("refuses a tampered evaluated element or proof", () => {
    const key = oprfKeyFromSeed(new Uint8Array(32).fill(7))
    const input = new Uint8Array([9])
    const b = blindOprfInput(input)
    const good = evaluateOprf(key, b.blinded)
    const proof = good.proof.slice()
    proof[3] = (proof[3] ?? 0) ^ 1
    expect(capture(() => finalizeOprf(input, b, { ...good, proof }, [key.publicKey])).code).toBe(
      "BAD_PROOF",
    )
    const swapped = evaluateOprf(key, blindOprfInput(new Uint8Array([10])).blinded)
    const mixed = { ...good, evaluated: swapped.evaluated }
    expect(capture(() => finalizeOprf(input, b, mixed, [key.publicKey])).code).toBe("BAD_PROOF")
  })

  it("refuses to evaluate something that is not a ristretto255 element", () => {
    const key = oprfKeyFromSeed(new Uint8Array(32).fill(7))
    expect(capture(() => evaluateOprf(key, new Uint8Array(32).fill(0xff))).code).toBe("BAD_INPUT")
    expect(capture(() => evaluateOprf(key, new Uint8Array(32))).code).toBe("BAD_INPUT")
    expect(capture(() => evaluateOprf(key, new Uint8Array(31))).code).toBe("BAD_INPUT")
  })
})
