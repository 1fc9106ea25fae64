import {
  CryptoError,
  checkAuthKey,
  derivePasswordKeys,
  drawSalt,
  encryptArmored,
  fromBase64url,
  isCryptoError,
  MIN_KDF_PARAMS,
  openAccountIdentity,
  recipientOf,
  sealRecoveryChallenge,
  verifyDirectory,
} from "@sotto/crypto-core"
import { afterAll, beforeAll, describe, expect, test } from "vitest"
import { type CryptoWorkers, createCryptoWorkers } from "./index.js"
import { nodeWorkerFactories } from "./node.js"

let workers: CryptoWorkers
beforeAll(async () => {
  workers = createCryptoWorkers(await nodeWorkerFactories())
})
afterAll(() => workers.terminate())

/** A new account sealed to a password identity, a recovery key and an escrow key, all in the worker. */
async function newAccount() {
  const { account } = workers
  const password = await derivePasswordKeys("old password", drawSalt(), MIN_KDF_PARAMS)
  const recovery = await account.drawRecoveryKey()
  const escrow = await account.createEscrow()
  const identity = await account.createAccountIdentity()
  const sealed = await account.sealAccountIdentity(identity, {
    password: password.recipient,
    recovery: await account.recipientOf(recovery),
    escrow: escrow.recipient,
  })
  return { password, recovery, escrow, identity, sealed }
}

describe("account worker", () => {
  test("seals and opens an account identity with each keyholder", async () => {
    const { password, recovery, escrow, identity, sealed } = await newAccount()
    expect(sealed.recipient).toBe(identity.recipient)
    for (const key of [password.identity, recovery, escrow.identity]) {
      expect(await workers.account.openAccountIdentity(sealed, key)).toEqual(identity)
    }
    // The main thread's crypto-core reads what the worker sealed.
    expect(await openAccountIdentity(sealed, recovery)).toEqual(identity)
  })

  test("answers a recovery challenge with the recovery key only", async () => {
    const { recovery } = await newAccount()
    const { nonce, sealed } = await sealRecoveryChallenge(await recipientOf(recovery))
    const answer = await workers.account.answerRecoveryChallenge(sealed, recovery)
    expect(fromBase64url("answer", answer)).toEqual(nonce)
    // A bare 32-byte file (the v1 format) is not a challenge any more.
    const bare = await encryptArmored([await recipientOf(recovery)], nonce)
    const refused = workers.account.answerRecoveryChallenge(bare, recovery)
    await expect(refused).rejects.toMatchObject({ name: "CryptoError", code: "BAD_CHALLENGE" })
    const stranger = await workers.account.drawRecoveryKey()
    const wrong = workers.account.answerRecoveryChallenge(sealed, stranger)
    await expect(wrong).rejects.toMatchObject({ name: "CryptoError", code: "WRONG_KEY" })
  })

  test("WRONG_KEY keeps its code, message and worker stack across the boundary", async () => {
    const { sealed } = await newAccount()
    const stranger = await workers.account.drawRecoveryKey()
    const wrong = workers.account.openAccountIdentity(sealed, stranger)
    await expect(wrong).rejects.toBeInstanceOf(CryptoError)
    await expect(wrong).rejects.toMatchObject({ name: "CryptoError", code: "WRONG_KEY" })
    const error = await wrong.catch((e: unknown) => e)
    expect(isCryptoError(error, "WRONG_KEY")).toBe(true)
    expect((error as Error).stack).toContain("openAccountIdentity")
  })

  test("a swapped public key is TAMPERED across the boundary", async () => {
    const { password, sealed } = await newAccount()
    const other = await workers.account.createAccountIdentity()
    const swapped = { ...sealed, recipient: other.recipient }
    await expect(
      workers.account.openAccountIdentity(swapped, password.identity),
    ).rejects.toMatchObject({ name: "CryptoError", code: "TAMPERED" })
  })

  test("password change re-seals to the new password and keeps the recovery key", async () => {
    const { password, recovery, identity, sealed } = await newAccount()
    const next = await derivePasswordKeys("new password", drawSalt(), MIN_KDF_PARAMS)
    const resealed = await workers.account.resealAccountIdentity(
      sealed,
      password.identity,
      next.recipient,
      null,
    )
    expect(await workers.account.openAccountIdentity(resealed, next.identity)).toEqual(identity)
    expect(await workers.account.openAccountIdentity(resealed, recovery)).toEqual(identity)
    await expect(
      workers.account.openAccountIdentity(resealed, password.identity),
    ).rejects.toMatchObject({ code: "WRONG_KEY" })
  })

  test("recovery keys format and parse; a typo is BAD_RECOVERY_KEY", async () => {
    const key = await workers.account.drawRecoveryKey()
    const grouped = await workers.account.formatRecoveryKey(key)
    expect(await workers.account.parseRecoveryKey(grouped.toLowerCase())).toBe(key)
    const typo = `${grouped.slice(0, 5)}${grouped[5] === "Q" ? "P" : "Q"}${grouped.slice(6)}`
    await expect(workers.account.parseRecoveryKey(typo)).rejects.toMatchObject({
      code: "BAD_RECOVERY_KEY",
    })
    await expect(workers.account.parseRecoveryKey("O")).rejects.toMatchObject({
      code: "BAD_RECOVERY_KEY",
      message: expect.stringContaining('did you mean "0"'),
    })
  })

  test("escrow reset in the worker gives a one-time password that opens the identity", async () => {
    const admin = await workers.account.createAccountIdentity()
    const { escrow, recovery, identity, sealed } = await newAccount()
    const wrap = await workers.account.wrapEscrowKey(escrow.identity, admin.recipient)
    const opened = await workers.account.openEscrowKey(wrap, admin.identity)
    expect(opened).toBe(escrow.identity)

    const reset = await workers.account.resetWithEscrow(sealed, opened, MIN_KDF_PARAMS)
    expect(reset.oneTimePassword.split("-")).toHaveLength(6)
    const keys = await derivePasswordKeys(reset.oneTimePassword, reset.salt, reset.params)
    expect(checkAuthKey(keys.authKey, reset.authVerifier)).toBe(true)
    expect(await openAccountIdentity(reset.sealed, keys.identity)).toEqual(identity)
    expect(await openAccountIdentity(reset.sealed, recovery)).toEqual(identity)
    await expect(workers.account.openEscrowKey(wrap, identity.identity)).rejects.toMatchObject({
      code: "WRONG_KEY",
    })
  })

  test("the signing key is wrapped to an admin and signs directories the main thread verifies", async () => {
    const admin = await workers.account.createAccountIdentity()
    const key = await workers.account.createSigningKey()
    const wrap = await workers.account.wrapSigningKey(key, admin.recipient)
    const reopened = await workers.account.openSigningKey(wrap, admin.identity)
    expect(reopened.publicKey).toEqual(key.publicKey)
    const member = await workers.account.createAccountIdentity()
    const signed = await workers.account.signDirectory(
      {
        v: 2,
        context: "ctx",
        version: 1,
        issuedAt: new Date().toISOString(),
        expiresAt: "2099-01-01T00:00:00.000Z",
        recipients: [{ id: "u1", name: "Ana", recipient: member.recipient }],
      },
      reopened,
    )
    expect(verifyDirectory(signed, undefined).directory.recipients[0]?.recipient).toBe(
      await recipientOf(member.identity),
    )
    expect(await workers.account.drawOneTimePassword(5)).toMatch(/^[a-z]+(-[a-z]+){4}$/)
  })
})
