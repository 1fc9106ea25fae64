import { describe, expect, it } from "vitest"
import { accountSigner, accountSigningKey } from "./accountSigning.js"
import { generateAgeIdentity, recipientOf } from "./age.js"
import {
  drawEscrowRequestId,
  type EscrowPolicy,
  signEscrowPolicy,
  signEscrowRequest,
  verifyEscrowPolicy,
  verifyEscrowRequest,
} from "./escrowPolicy.js"
import { createSigningKey } from "./keyDirectory.js"
import { signerOf } from "./signedStatement.js"

async function scenario() {
  const nodeKey = createSigningKey()
  const escrow = await recipientOf(generateAgeIdentity())
  const admins = await Promise.all(
    ["a", "b", "c"].map(async (userId) => {
      const identity = generateAgeIdentity()
      return { userId, identity, recipient: await recipientOf(identity) }
    }),
  )
  const holders = admins.map((a) => ({
    userId: a.userId,
    recipient: a.recipient,
    signer: accountSigner(a.identity),
  }))
  const signed = signEscrowPolicy(
    { version: 2, issuedAt: 1000, escrow, threshold: 2, holders },
    nodeKey,
  )
  const trust = { signer: signerOf(nodeKey), escrow }
  return { nodeKey, escrow, admins, holders, signed, trust }
}

describe("the signed escrow policy", () => {
  it("verifies under the pinned node key and the manifest's escrow recipient", async () => {
    const s = await scenario()
    const policy = verifyEscrowPolicy(s.signed, s.trust)
    expect([policy.threshold, policy.holders.map((h) => h.userId)]).toEqual([2, ["a", "b", "c"]])
  })

  it("refuses a policy whose threshold the relay lowered", async () => {
    const s = await scenario()
    const lowered = { ...s.signed, body: { ...s.signed.body, threshold: 1 } }
    expect(() => verifyEscrowPolicy(lowered, s.trust)).toThrow(
      expect.objectContaining({ code: "BAD_SIGNATURE" }),
    )
  })

  it("refuses a holder key the relay substituted, and a policy the relay signed itself", async () => {
    const s = await scenario()
    const relayKey = await recipientOf(generateAgeIdentity())
    const holders = s.signed.body.holders.map((h, i) =>
      i === 0 ? { ...h, recipient: relayKey } : h,
    )
    const swapped = { ...s.signed, body: { ...s.signed.body, holders } }
    expect(() => verifyEscrowPolicy(swapped, s.trust)).toThrow(
      expect.objectContaining({ code: "BAD_SIGNATURE" }),
    )
    const forged = signEscrowPolicy({ ...s.signed.body, holders }, createSigningKey())
    expect(() => verifyEscrowPolicy(forged, s.trust)).toThrow(
      expect.objectContaining({ code: "KEY_MISMATCH" }),
    )
  })

  it("refuses another escrow key, an older version than seen, and malformed holders", async () => {
    const s = await scenario()
    const other = { ...s.trust, escrow: await recipientOf(generateAgeIdentity()) }
    expect(() => verifyEscrowPolicy(s.signed, other)).toThrow(
      expect.objectContaining({ code: "KEY_MISMATCH" }),
    )
    expect(() => verifyEscrowPolicy(s.signed, { ...s.trust, minVersion: 3 })).toThrow(
      expect.objectContaining({ code: "STALE" }),
    )
    const twice = [s.holders[0], s.holders[0]] as EscrowPolicy["holders"]
    expect(() =>
      signEscrowPolicy({ ...s.signed.body, holders: twice, threshold: 1 }, s.nodeKey),
    ).toThrow(expect.objectContaining({ code: "BAD_INPUT" }))
    expect(() => signEscrowPolicy({ ...s.signed.body, threshold: 4 }, s.nodeKey)).toThrow(
      expect.objectContaining({ code: "BAD_INPUT" }),
    )
  })
})

describe("escrow reset requests", () => {
  const request = async (s: Awaited<ReturnType<typeof scenario>>, initiator = 0) => ({
    id: drawEscrowRequestId(),
    purpose: "reset" as const,
    policy: 2,
    initiator: (s.admins[initiator] as (typeof s.admins)[0]).userId,
    userId: "u9",
    username: "alice",
    reason: "lost password and recovery key",
    ephemeral: await recipientOf(generateAgeIdentity()),
    createdAt: 5000,
    expiresAt: 5000 + 3600_000,
  })

  it("verifies a request signed by the holder it names, until it expires", async () => {
    const s = await scenario()
    const policy = verifyEscrowPolicy(s.signed, s.trust)
    const body = await request(s)
    const signed = signEscrowRequest(body, accountSigningKey(s.admins[0]?.identity as string))
    expect(verifyEscrowRequest(signed, policy, 6000).ephemeral).toBe(body.ephemeral)
    expect(() => verifyEscrowRequest(signed, policy, body.expiresAt)).toThrow(
      expect.objectContaining({ code: "EXPIRED" }),
    )
    expect(() => verifyEscrowRequest(signed, { ...policy, version: 3 }, 6000)).toThrow(
      expect.objectContaining({ code: "STALE" }),
    )
  })

  it("refuses a request whose ephemeral key the relay swapped, or that a non-holder signed", async () => {
    const s = await scenario()
    const policy = verifyEscrowPolicy(s.signed, s.trust)
    const signed = signEscrowRequest(
      await request(s),
      accountSigningKey(s.admins[0]?.identity as string),
    )
    const relayKey = await recipientOf(generateAgeIdentity())
    const swapped = { ...signed, body: { ...signed.body, ephemeral: relayKey } }
    expect(() => verifyEscrowRequest(swapped, policy, 6000)).toThrow(
      expect.objectContaining({ code: "BAD_SIGNATURE" }),
    )
    const outsider = signEscrowRequest(
      { ...(await request(s)), initiator: "relay" },
      accountSigningKey(generateAgeIdentity()),
    )
    expect(() => verifyEscrowRequest(outsider, policy, 6000)).toThrow(
      expect.objectContaining({ code: "KEY_MISMATCH" }),
    )
    const byOther = signEscrowRequest(
      await request(s, 0),
      accountSigningKey(s.admins[1]?.identity as string),
    )
    expect(() => verifyEscrowRequest(byOther, policy, 6000)).toThrow(
      expect.objectContaining({ code: "KEY_MISMATCH" }),
    )
  })

  it("refuses a lifetime beyond seven days", async () => {
    const s = await scenario()
    const body = { ...(await request(s)), expiresAt: 5000 + 8 * 24 * 3600_000 }
    expect(() =>
      signEscrowRequest(body, accountSigningKey(s.admins[0]?.identity as string)),
    ).toThrow(expect.objectContaining({ code: "BAD_INPUT" }))
  })
})
