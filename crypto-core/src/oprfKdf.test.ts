import { describe, expect, it } from "vitest"
import { CryptoError } from "./errors.js"
import { evaluateOprf, oprfKeyFromSeed } from "./oprf.js"
import { beginPasswordOprf, beginReceiptOprf } from "./oprfKdf.js"
import { authVerifier, derivePasswordKeys, type KdfParams } from "./passwordKdf.js"
import { deriveReceiptKeys } from "./receipt.js"

// The floor params keep these tests quick; the derivation is the same at any cost.
const PARAMS: KdfParams = { N: 2 ** 15, r: 8, p: 1 }
const SALT = new Uint8Array(16).fill(3)
const KEY = oprfKeyFromSeed(new Uint8Array(32).fill(5))
const OTHER = oprfKeyFromSeed(new Uint8Array(32).fill(6))

async function password(pw: string, key = KEY) {
  const pending = await beginPasswordOprf(pw, SALT, PARAMS)
  return pending.finish(evaluateOprf(key, pending.blinded), [key.publicKey])
}

describe("the OPRF-hardened derivation", () => {
  it("gives the same keys for the same password although each blind is fresh", async () => {
    const a = await password("correct horse battery staple")
    const b = await password("correct horse battery staple")
    expect(a.authKey).toEqual(b.authKey)
    expect(a.recipient).toBe(b.recipient)
  })

  it("gives other keys for another password, another OPRF key, and v1's derivation", async () => {
    const a = await password("correct horse battery staple")
    expect((await password("correct horse battery stapler")).authKey).not.toEqual(a.authKey)
    expect((await password("correct horse battery staple", OTHER)).authKey).not.toEqual(a.authKey)
    const v1 = await derivePasswordKeys("correct horse battery staple", SALT, PARAMS)
    expect(v1.authKey).not.toEqual(a.authKey)
    expect(v1.recipient).not.toBe(a.recipient)
  })

  it("cannot be reproduced from the scrypt output alone: the verifier needs the OPRF key", async () => {
    // An attacker with the stored verifier and the right password but no OPRF key can only try
    // another key (here: a fresh one), which never matches.
    const real = authVerifier((await password("hunter2 hunter2 hunter2")).authKey)
    const guess = authVerifier((await password("hunter2 hunter2 hunter2", OTHER)).authKey)
    expect(guess).not.toEqual(real)
  })

  it("refuses a relay that evaluates with a key outside the manifest, and wipes the secret", async () => {
    const pending = await beginPasswordOprf("pw pw pw pw pw", SALT, PARAMS)
    const err = await pending
      .finish(evaluateOprf(OTHER, pending.blinded), [KEY.publicKey])
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(CryptoError)
    expect((err as CryptoError).code).toBe("KEY_MISMATCH")
    await expect(
      pending.finish(evaluateOprf(KEY, pending.blinded), [KEY.publicKey]),
    ).rejects.toThrow(/already finished/)
  })

  it("accepts either key during a rotation's grace period, with the same result per key", async () => {
    const pending = await beginPasswordOprf("rotate me please", SALT, PARAMS)
    const viaOld = await pending.finish(evaluateOprf(OTHER, pending.blinded), [
      KEY.publicKey,
      OTHER.publicKey,
    ])
    expect(viaOld.authKey).toEqual((await password("rotate me please", OTHER)).authKey)
  })

  it("separates receipts from passwords with the same secret, and reads receipts leniently", async () => {
    const receipt = async (typed: string) => {
      const pending = await beginReceiptOprf(typed, SALT, PARAMS)
      return pending.finish(evaluateOprf(KEY, pending.blinded), [KEY.publicKey])
    }
    const r = await receipt("1234 5678 9012 3456")
    expect((await receipt("1234-5678-9012-3456")).authKey).toEqual(r.authKey)
    expect((await password("1234567890123456")).authKey).not.toEqual(r.authKey)
    const v1 = await deriveReceiptKeys("1234 5678 9012 3456", SALT, PARAMS)
    expect(v1.authKey).not.toEqual(r.authKey)
  })
})
