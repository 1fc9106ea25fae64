import { describe, expect, it } from "vitest"
import { expectCode } from "./_testing.js"
import { createAccountIdentity } from "./accountIdentity.js"
import {
  approveIdentityRequest,
  createIdentityKey,
  identityDigest,
  openIdentity,
  sealIdentity,
  unwrapIdentityKey,
  wrapIdentityKey,
} from "./identitySeal.js"
import {
  createSigningKey,
  type KeyDirectory,
  signDirectory,
  verifyDirectory,
} from "./keyDirectory.js"
import { createTipIdentity, unwrapTipKey, wrapTipKey } from "./tip.js"

async function people() {
  const [alice, bob, carol, tip, identity] = await Promise.all([
    createAccountIdentity(),
    createAccountIdentity(),
    createAccountIdentity(),
    createTipIdentity(),
    createIdentityKey(),
  ])
  const directory: KeyDirectory = {
    v: 2,
    context: "ctx-1",
    version: 1,
    issuedAt: "2026-11-23T10:00:00.000Z",
    expiresAt: "2099-01-01T00:00:00.000Z",
    recipients: [
      { id: "alice", name: "Alice", recipient: alice.recipient },
      { id: "bob", name: "Bob", recipient: bob.recipient },
    ],
    custodians: [{ id: "carol", name: "Carol", recipient: carol.recipient }],
  }
  const node = createSigningKey()
  const signed = signDirectory(directory, node)
  const pin = verifyDirectory(signed, undefined).pin
  return { alice, bob, carol, tip, identity, node, signed, pin }
}

describe("identity sealed behind a custodian", () => {
  it("opens only with the identity key, for the tip it was sealed with", async () => {
    const { tip, identity, alice } = await people()
    const sealed = await sealIdentity(identity.recipient, tip.recipient, { name: "Jane Roe" })
    const opened = await openIdentity(sealed, identity, {
      tip: tip.recipient,
      digest: identityDigest(sealed),
    })
    expect(opened.answers).toEqual({ name: "Jane Roe" })
    // As for tip parts (SPEC §6), the reader's key is the only addressee: any failure is TAMPERED.
    await expectCode(openIdentity(sealed, alice), "TAMPERED")
    const other = await createTipIdentity()
    await expectCode(openIdentity(sealed, identity, { tip: other.recipient }), "TAMPERED")
    await expectCode(openIdentity(sealed, identity, { digest: "x".repeat(43) }), "TAMPERED")
  })

  it("keeps identity-key wraps and tip-key wraps apart", async () => {
    const { tip, identity, carol } = await people()
    const idWrap = await wrapIdentityKey(identity, carol.recipient)
    const tipWrap = await wrapTipKey(tip, carol.recipient)
    expect((await unwrapIdentityKey(idWrap, carol.identity)).recipient).toBe(identity.recipient)
    await expectCode(unwrapIdentityKey(tipWrap, carol.identity), "TAMPERED")
    await expectCode(unwrapTipKey(idWrap, carol.identity), "TAMPERED")
  })

  it("lists custodians apart from recipients in the signed directory", async () => {
    const { signed, pin, alice } = await people()
    expect(verifyDirectory(signed, pin).directory.custodians?.map((c) => c.id)).toEqual(["carol"])
    // Moving a custodian into the recipients (or dropping the list) breaks the signature.
    const moved = {
      ...signed,
      directory: { ...signed.directory, custodians: [] as never[] },
    }
    expect(() => verifyDirectory(moved, pin)).toThrow(/does not verify/)
    const both = {
      ...signed.directory,
      custodians: [{ id: "alice", name: "Alice", recipient: alice.recipient }],
    }
    expect(() => signDirectory(both, createSigningKey())).toThrow(/also a recipient/)
  })

  it("lets a custodian wrap the identity key to a recipient from the verified directory", async () => {
    const { signed, pin, carol, identity, alice } = await people()
    const custodianWrap = await wrapIdentityKey(identity, carol.recipient)
    const wrap = await approveIdentityRequest({
      signed,
      pin,
      contextId: "ctx-1",
      requesterId: "alice",
      custodianWrap,
      custodian: carol.identity,
    })
    expect(wrap.to).toEqual([alice.recipient])
    expect((await unwrapIdentityKey(wrap, alice.identity)).identity).toBe(identity.identity)
  })

  it("refuses a substituted key, an unknown requester or another context's directory", async () => {
    const { signed, pin, carol, identity } = await people()
    const custodianWrap = await wrapIdentityKey(identity, carol.recipient)
    const base = { pin, contextId: "ctx-1", custodianWrap, custodian: carol.identity }
    const evil = await createAccountIdentity()
    const swapped = {
      ...signed,
      directory: {
        ...signed.directory,
        recipients: signed.directory.recipients.map((r) =>
          r.id === "alice" ? { ...r, recipient: evil.recipient } : r,
        ),
      },
    }
    await expectCode(
      approveIdentityRequest({ ...base, signed: swapped, requesterId: "alice" }),
      "BAD_SIGNATURE",
    )
    // A custodian is not a recipient: asking as one gets nothing.
    await expectCode(
      approveIdentityRequest({ ...base, signed, requesterId: "carol" }),
      "NOT_CERTIFIED",
    )
    await expectCode(
      approveIdentityRequest({ ...base, signed, contextId: "ctx-2", requesterId: "alice" }),
      "NOT_CERTIFIED",
    )
  })
})
