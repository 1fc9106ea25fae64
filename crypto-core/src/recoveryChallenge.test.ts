import { describe, expect, it } from "vitest"
import { encryptArmored, generateAgeIdentity, recipientOf } from "./age.js"
import { concatBytes, utf8 } from "./encoding.js"
import {
  openRecoveryChallenge,
  RECOVERY_CHALLENGE_LABEL,
  sealRecoveryChallenge,
} from "./recoveryChallenge.js"

describe("recovery challenges", () => {
  it("give back exactly the nonce that was sealed", async () => {
    const key = generateAgeIdentity()
    const { nonce, sealed } = await sealRecoveryChallenge(await recipientOf(key))
    expect(nonce).toHaveLength(32)
    expect(await openRecoveryChallenge(sealed, key)).toEqual(nonce)
  })

  it("refuse any other age file addressed to the recovery key, such as a sealed identity", async () => {
    const key = generateAgeIdentity()
    const secret = utf8(`sotto/v1/account-identity\n${generateAgeIdentity()}`)
    const other = await encryptArmored([await recipientOf(key)], secret)
    await expect(openRecoveryChallenge(other, key)).rejects.toMatchObject({ code: "BAD_CHALLENGE" })
  })

  it("refuse a right label with a nonce of the wrong length", async () => {
    const key = generateAgeIdentity()
    const plain = concatBytes(utf8(`${RECOVERY_CHALLENGE_LABEL}\n`), new Uint8Array(33))
    const other = await encryptArmored([await recipientOf(key)], plain)
    await expect(openRecoveryChallenge(other, key)).rejects.toMatchObject({ code: "BAD_CHALLENGE" })
  })

  it("refuse a 32-byte plaintext without the label (a v1 challenge or a raw key)", async () => {
    const key = generateAgeIdentity()
    const other = await encryptArmored([await recipientOf(key)], new Uint8Array(60).fill(7))
    await expect(openRecoveryChallenge(other, key)).rejects.toMatchObject({ code: "BAD_CHALLENGE" })
  })

  it("refuse an oversized file before decrypting it", async () => {
    const key = generateAgeIdentity()
    const big = await encryptArmored([await recipientOf(key)], new Uint8Array(4000))
    await expect(openRecoveryChallenge(big, key)).rejects.toMatchObject({ code: "BAD_CHALLENGE" })
  })

  it("say WRONG_KEY for a challenge sealed to another key", async () => {
    const { sealed } = await sealRecoveryChallenge(await recipientOf(generateAgeIdentity()))
    await expect(openRecoveryChallenge(sealed, generateAgeIdentity())).rejects.toMatchObject({
      code: "WRONG_KEY",
    })
  })
})
