import nacl from "tweetnacl"
import { describe, expect, it } from "vitest"
import { codeOf, expectCode } from "./_testing.js"
import { createAccountIdentity } from "./accountIdentity.js"
import {
  createSigningKey,
  encodeDirectory,
  type KeyDirectory,
  openSigningKey,
  signDirectory,
  verifyDirectory,
  wrapSigningKey,
} from "./keyDirectory.js"

async function directory(): Promise<KeyDirectory> {
  const a = await createAccountIdentity()
  const b = await createAccountIdentity()
  return {
    v: 2,
    context: "ctx-procurement",
    version: 3,
    issuedAt: "2026-11-23T10:00:00.000Z",
    expiresAt: "2099-01-01T00:00:00.000Z",
    recipients: [
      { id: "u2", name: "Bob", recipient: b.recipient },
      { id: "u1", name: "Alice", recipient: a.recipient },
    ],
  }
}

describe("key directories", () => {
  it("verify when signed by the pinned node key, sorted by id", async () => {
    const key = createSigningKey()
    const signed = signDirectory(await directory(), key)
    expect(signed.directory.recipients.map((r) => r.id)).toEqual(["u1", "u2"])
    const first = verifyDirectory(signed, undefined)
    expect(first.directory).toEqual(signed.directory)
    expect(verifyDirectory(signed, first.pin).pin).toBe(first.pin)
  })

  it("are refused with EXPIRED past their expiry and STALE below the version seen", async () => {
    const signed = signDirectory(await directory(), createSigningKey())
    await expectCode(
      Promise.resolve().then(() =>
        verifyDirectory(signed, undefined, { now: Date.parse("2099-01-01T00:00:00.000Z") }),
      ),
      "EXPIRED",
    )
    await expectCode(
      Promise.resolve().then(() => verifyDirectory(signed, undefined, { seenVersion: 4 })),
      "STALE",
    )
    expect(verifyDirectory(signed, undefined, { seenVersion: 3 }).directory.version).toBe(3)
  })

  it("encode canonically: key order in the input does not change the signed bytes", async () => {
    const d = await directory()
    const sorted = signDirectory(d, createSigningKey()).directory
    const reordered = JSON.parse(
      JSON.stringify({
        recipients: sorted.recipients,
        issuedAt: sorted.issuedAt,
        expiresAt: sorted.expiresAt,
        v: 2,
        version: sorted.version,
        context: sorted.context,
      }),
    )
    expect(encodeDirectory(reordered)).toEqual(encodeDirectory(sorted))
    expect(new TextDecoder().decode(encodeDirectory(sorted))).toMatch(
      /^sotto\/v2\/key-directory\n\{"context":/,
    )
  })

  it("are refused with KEY_MISMATCH when signed by another key than the pinned one", async () => {
    const pinned = verifyDirectory(
      signDirectory(await directory(), createSigningKey()),
      undefined,
    ).pin
    const forged = signDirectory(await directory(), createSigningKey())
    expect(codeOf(() => verifyDirectory(forged, pinned))).toBe("KEY_MISMATCH")
  })

  it("are refused with BAD_SIGNATURE when a recipient key is swapped", async () => {
    const key = createSigningKey()
    const signed = signDirectory(await directory(), key)
    const attacker = await createAccountIdentity()
    const [first, ...rest] = signed.directory.recipients
    const swapped = {
      ...signed,
      directory: {
        ...signed.directory,
        recipients: [{ ...first!, recipient: attacker.recipient }, ...rest],
      },
    }
    expect(codeOf(() => verifyDirectory(swapped, signed.signer))).toBe("BAD_SIGNATURE")
  })

  it("are refused with BAD_SIGNATURE for a flipped bit in every byte of the signature", async () => {
    const signed = signDirectory(await directory(), createSigningKey())
    const sig = Buffer.from(signed.signature, "base64url")
    for (let i = 0; i < sig.length; i++) {
      const bad = Buffer.from(sig)
      bad[i]! ^= 1 << (i % 8)
      expect(
        codeOf(() =>
          verifyDirectory({ ...signed, signature: bad.toString("base64url") }, signed.signer),
        ),
      ).toBe("BAD_SIGNATURE")
    }
  })

  it("refuse malformed directories before signing", async () => {
    const d = await directory()
    expect(
      codeOf(() =>
        encodeDirectory({ ...d, recipients: [{ id: "x", name: "X", recipient: "age1nope" }] }),
      ),
    ).toBe("BAD_INPUT")
    expect(codeOf(() => encodeDirectory({ ...d, issuedAt: "yesterday" }))).toBe("BAD_INPUT")
  })
})

describe("node signing key", () => {
  it("is wrapped to an admin and opened back to the same key pair", async () => {
    const admin = await createAccountIdentity()
    const key = createSigningKey()
    const wrap = await wrapSigningKey(key, admin.recipient)
    const opened = await openSigningKey(wrap, admin.identity)
    expect(opened.publicKey).toEqual(key.publicKey)
    const msg = new Uint8Array([1, 2, 3])
    expect(
      nacl.sign.detached.verify(msg, nacl.sign.detached(msg, opened.secretKey), key.publicKey),
    ).toBe(true)
    const other = await createAccountIdentity()
    await expectCode(openSigningKey(wrap, other.identity), "WRONG_KEY")
  })
})
