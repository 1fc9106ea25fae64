import { beforeAll, describe, expect, it } from "vitest"
import { expectCode, expectEveryFlipTampered, flipChar, TEST_KDF_PARAMS } from "./_testing.js"
import {
  type AccountIdentity,
  createAccountIdentity,
  openAccountIdentity,
  resealAccountIdentity,
  type SealedAccountIdentity,
  sealAccountIdentity,
} from "./accountIdentity.js"
import { generateAgeIdentity, recipientOf } from "./age.js"
import { createEscrow, openEscrowKey, resetWithEscrow, wrapEscrowKey } from "./escrow.js"
import { checkAuthKey, type DerivedKeys, derivePasswordKeys } from "./passwordKdf.js"
import { drawRecoveryKey, formatRecoveryKey, parseRecoveryKey } from "./recoveryKey.js"

const salt = new Uint8Array(16).fill(3)

describe("account identity", () => {
  let account: AccountIdentity
  let password: DerivedKeys
  let recoveryKey: string
  let escrow: AccountIdentity
  let sealed: SealedAccountIdentity

  beforeAll(async () => {
    account = await createAccountIdentity()
    password = await derivePasswordKeys("first password", salt, TEST_KDF_PARAMS)
    recoveryKey = drawRecoveryKey()
    escrow = await createEscrow()
    sealed = await sealAccountIdentity(account, {
      password: password.recipient,
      recovery: await recipientOf(recoveryKey),
      escrow: escrow.recipient,
    })
  })

  it("opens to the same identity with the password, the recovery key and the escrow key", async () => {
    const byPassword = await openAccountIdentity(sealed, password.identity)
    const byRecovery = await openAccountIdentity(
      sealed,
      parseRecoveryKey(formatRecoveryKey(recoveryKey)),
    )
    const byEscrow = await openAccountIdentity(sealed, escrow.identity)
    expect(byPassword).toEqual(account)
    expect(byRecovery).toEqual(account)
    expect(byEscrow).toEqual(account)
  })

  it("refuses a keyholder list the account did not sign (a relay adding its own recipient)", async () => {
    const attacker = await createEscrow()
    const added = { ...sealed, to: { ...sealed.to, escrow: attacker.recipient } }
    await expectCode(openAccountIdentity(added, password.identity), "TAMPERED")
    const forged = {
      ...added,
      holders: { ...sealed.holders, body: { ...sealed.holders.body, escrow: attacker.recipient } },
    }
    await expectCode(openAccountIdentity(forged, password.identity), "TAMPERED")
  })

  it("re-seals only to the signed recovery recipient and the escrow the caller names", async () => {
    const next = await derivePasswordKeys("third password", salt, TEST_KDF_PARAMS)
    const noEscrow = await resealAccountIdentity(sealed, password.identity, next.recipient, null)
    expect(noEscrow.to).toEqual({ password: next.recipient, recovery: sealed.to.recovery })
    expect(noEscrow.holders.body.escrow).toBeNull()
    await expectCode(openAccountIdentity(noEscrow, escrow.identity), "WRONG_KEY")
  })

  it("keeps nothing secret in the clear parts of the record", () => {
    const clear = JSON.stringify({ ...sealed, age: "" })
    expect(clear).not.toContain(account.identity)
    expect(clear).not.toContain(account.identity.slice(16, 40))
  })

  it("rejects a wrong password and a wrong recovery key with WRONG_KEY", async () => {
    const wrongPw = await derivePasswordKeys("not the password", salt, TEST_KDF_PARAMS)
    await expectCode(openAccountIdentity(sealed, wrongPw.identity), "WRONG_KEY")
    await expectCode(openAccountIdentity(sealed, drawRecoveryKey()), "WRONG_KEY")
  })

  it("changes the password: the old one fails, the new one works, recovery still works", async () => {
    const next = await derivePasswordKeys("second password", salt, TEST_KDF_PARAMS)
    const changed = await resealAccountIdentity(
      sealed,
      password.identity,
      next.recipient,
      escrow.recipient,
    )
    await expectCode(openAccountIdentity(changed, password.identity), "WRONG_KEY")
    expect(await openAccountIdentity(changed, next.identity)).toEqual(account)
    expect(await openAccountIdentity(changed, recoveryKey)).toEqual(account)
    expect(changed.to.recovery).toBe(sealed.to.recovery)
    expect(changed.to.escrow).toBe(sealed.to.escrow)
  })

  it("lets a forgotten password be replaced using the recovery key", async () => {
    const next = await derivePasswordKeys("after recovery", salt, TEST_KDF_PARAMS)
    const recovered = await resealAccountIdentity(sealed, recoveryKey, next.recipient, null)
    expect(await openAccountIdentity(recovered, next.identity)).toEqual(account)
    await expectCode(openAccountIdentity(recovered, password.identity), "WRONG_KEY")
  })

  it("resets through escrow to a one-time password, and the old recovery key still works", async () => {
    const admin = await createAccountIdentity()
    const wrap = await wrapEscrowKey(escrow.identity, admin.recipient)
    const escrowIdentity = await openEscrowKey(wrap, admin.identity)
    const reset = await resetWithEscrow(sealed, escrowIdentity, TEST_KDF_PARAMS)
    expect(reset.oneTimePassword.split("-")).toHaveLength(6)
    const otp = await derivePasswordKeys(reset.oneTimePassword, reset.salt, reset.params)
    expect(checkAuthKey(otp.authKey, reset.authVerifier)).toBe(true)
    expect(await openAccountIdentity(reset.sealed, otp.identity)).toEqual(account)
    expect(await openAccountIdentity(reset.sealed, recoveryKey)).toEqual(account)
    await expectCode(openAccountIdentity(reset.sealed, password.identity), "WRONG_KEY")
  })

  it("cannot be reset through escrow when the node runs without escrow", async () => {
    const noEscrow = await sealAccountIdentity(account, {
      password: password.recipient,
      recovery: await recipientOf(recoveryKey),
    })
    expect(noEscrow.to.escrow).toBeUndefined()
    await expectCode(resetWithEscrow(noEscrow, escrow.identity, TEST_KDF_PARAMS), "WRONG_KEY")
  })

  it("only lets the admin it was wrapped to open the escrow key", async () => {
    const admin = await createAccountIdentity()
    const wrap = await wrapEscrowKey(escrow.identity, admin.recipient)
    await expectCode(openEscrowKey(wrap, generateAgeIdentity()), "WRONG_KEY")
  })

  it("reports TAMPERED for every flipped bit of the sealed file", async () => {
    const tried = await expectEveryFlipTampered(
      sealed.age,
      (age) => openAccountIdentity({ ...sealed, age }, password.identity),
      3,
    )
    expect(tried).toBeGreaterThan(1000)
  })

  it("reports TAMPERED for a flipped bit in a stored recipient or the public key", async () => {
    const badTo = { ...sealed, to: { ...sealed.to, password: flipChar(sealed.to.password, 20, 0) } }
    await expectCode(openAccountIdentity(badTo, recoveryKey), "TAMPERED")
    const other = await createAccountIdentity()
    await expectCode(
      openAccountIdentity({ ...sealed, recipient: other.recipient }, password.identity),
      "TAMPERED",
    )
  })

  it("refuses to open another kind of sealed object in its place", async () => {
    const admin = await createAccountIdentity()
    const wrap = await wrapEscrowKey(escrow.identity, admin.recipient)
    const swapped = {
      ...sealed,
      to: { password: admin.recipient, recovery: sealed.to.recovery },
      age: wrap.age,
    }
    await expectCode(openAccountIdentity(swapped, admin.identity), "TAMPERED")
  })
})
