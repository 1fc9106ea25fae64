import { describe, expect, it } from "vitest"
import { accountSigner } from "./accountSigning.js"
import { generateAgeIdentity, recipientOf } from "./age.js"
import {
  accountFingerprint,
  certifyUser,
  proveAccountKeys,
  type UserCertification,
  verifyUserKeys,
} from "./keyCertification.js"

async function scenario() {
  const admin = generateAgeIdentity()
  const otpIdentity = generateAgeIdentity() // stands for derivePasswordKeys(otp).identity
  const account = generateAgeIdentity()
  const recipient = await recipientOf(account)
  const chain: UserCertification = {
    certification: certifyUser("alice", otpIdentity, admin, 1000),
    proof: proveAccountKeys("u1", otpIdentity, { identity: account, recipient }),
  }
  return { admin, otpIdentity, account, recipient, chain, trusted: [accountSigner(admin)] }
}

describe("key certification", () => {
  it("verifies a user's keys proved with the one-time password an admin certified", async () => {
    const s = await scenario()
    const user = {
      userId: "u1",
      username: "alice",
      publicKey: s.recipient,
      signer: accountSigner(s.account),
    }
    const { proof } = verifyUserKeys(user, s.chain, s.trusted)
    expect(proof.publicKey).toBe(s.recipient)
  })

  it("refuses a public key the one-time password never proved (a relay's swap)", async () => {
    const s = await scenario()
    const swapped = await recipientOf(generateAgeIdentity())
    expect(() =>
      verifyUserKeys({ userId: "u1", username: "alice", publicKey: swapped }, s.chain, s.trusted),
    ).toThrow(expect.objectContaining({ code: "NOT_CERTIFIED" }))
  })

  it("refuses a proof made with another one-time password's key", async () => {
    const s = await scenario()
    const forged = proveAccountKeys("u1", generateAgeIdentity(), {
      identity: s.account,
      recipient: s.recipient,
    })
    const chain = { ...s.chain, proof: forged }
    expect(() =>
      verifyUserKeys({ userId: "u1", username: "alice", publicKey: s.recipient }, chain, s.trusted),
    ).toThrow(expect.objectContaining({ code: "NOT_CERTIFIED" }))
  })

  it("refuses a certification signed by an admin key the browser does not trust", async () => {
    const s = await scenario()
    const user = { userId: "u1", username: "alice", publicKey: s.recipient }
    expect(() => verifyUserKeys(user, s.chain, [accountSigner(generateAgeIdentity())])).toThrow(
      expect.objectContaining({ code: "NOT_CERTIFIED" }),
    )
  })

  it("refuses a user without a chain, another user's chain, or another signing key", async () => {
    const s = await scenario()
    const notCertified = expect.objectContaining({ code: "NOT_CERTIFIED" })
    expect(() =>
      verifyUserKeys(
        { userId: "u1", username: "alice", publicKey: s.recipient },
        undefined,
        s.trusted,
      ),
    ).toThrow(notCertified)
    expect(() =>
      verifyUserKeys({ userId: "u2", username: "bob", publicKey: s.recipient }, s.chain, s.trusted),
    ).toThrow(notCertified)
    const other = {
      userId: "u1",
      username: "alice",
      publicKey: s.recipient,
      signer: accountSigner(generateAgeIdentity()),
    }
    expect(() => verifyUserKeys(other, s.chain, s.trusted)).toThrow(notCertified)
  })

  it("gives eight fingerprint words for an account key, the same each time", async () => {
    const s = await scenario()
    const words = accountFingerprint(s.recipient)
    expect(words).toHaveLength(8)
    expect(accountFingerprint(s.recipient)).toEqual(words)
  })
})
