import { describe, expect, it } from "vitest"
import { accountSigner, accountSigningKey } from "./accountSigning.js"
import { generateAgeIdentity } from "./age.js"
import { isCryptoError } from "./errors.js"
import { createSigningKey } from "./keyDirectory.js"
import { signerOf, signStatement, verifyStatement } from "./signedStatement.js"

const LABEL = "sotto/v2/test-statement"

function codeOf(f: () => unknown): string | undefined {
  try {
    f()
  } catch (e) {
    return isCryptoError(e) ? e.code : "OTHER"
  }
  return undefined
}

describe("signed statements", () => {
  it("verify under their label and the expected signer", () => {
    const key = createSigningKey()
    const signed = signStatement(LABEL, { b: 2, a: [1, "x"] }, key)
    expect(verifyStatement(LABEL, signed, signerOf(key))).toEqual({ b: 2, a: [1, "x"] })
  })

  it("do not verify under another label, so one kind cannot be replayed as another", () => {
    const signed = signStatement(LABEL, { a: 1 }, createSigningKey())
    expect(codeOf(() => verifyStatement("sotto/v2/other-statement", signed))).toBe("BAD_SIGNATURE")
  })

  it("refuse a changed body and a key other than the expected one", () => {
    const key = createSigningKey()
    const signed = signStatement(LABEL, { a: 1 }, key)
    expect(codeOf(() => verifyStatement(LABEL, { ...signed, body: { a: 2 } }))).toBe(
      "BAD_SIGNATURE",
    )
    const other = signStatement(LABEL, { a: 1 }, createSigningKey())
    expect(codeOf(() => verifyStatement(LABEL, other, signerOf(key)))).toBe("KEY_MISMATCH")
  })

  it("refuse a malformed signature with a code, not a crash", () => {
    const signed = signStatement(LABEL, { a: 1 }, createSigningKey())
    expect(codeOf(() => verifyStatement(LABEL, { ...signed, signature: "AAAA" }))).toBe(
      "BAD_SIGNATURE",
    )
    expect(codeOf(() => verifyStatement(LABEL, null as never))).toBe("BAD_SIGNATURE")
  })
})

describe("the account signing key", () => {
  it("is the same for the same identity and differs between identities", () => {
    const identity = generateAgeIdentity()
    expect(accountSigner(identity)).toBe(signerOf(accountSigningKey(identity)))
    expect(accountSigner(identity)).toBe(accountSigner(identity))
    expect(accountSigner(generateAgeIdentity())).not.toBe(accountSigner(identity))
  })

  it("signs statements that verify under its signer", () => {
    const identity = generateAgeIdentity()
    const signed = signStatement(LABEL, { hello: "world" }, accountSigningKey(identity))
    expect(verifyStatement(LABEL, signed, accountSigner(identity))).toEqual({ hello: "world" })
  })
})
