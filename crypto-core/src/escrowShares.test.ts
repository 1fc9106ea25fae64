import { combine } from "shamir-secret-sharing"
import { describe, expect, it } from "vitest"
import { accountSigner } from "./accountSigning.js"
import { generateAgeIdentity, identityFromSecret, recipientOf, secretFromIdentity } from "./age.js"
import { fromBase64url } from "./encoding.js"
import type { EscrowPolicy } from "./escrowPolicy.js"
import {
  combineEscrowShares,
  openEscrowApproval,
  openEscrowShare,
  sealEscrowApproval,
  sealEscrowShare,
  splitEscrowKey,
} from "./escrowShares.js"

// A fixed 2-of-3 split of the identity whose secret is 0x01..0x20: pins the library's share format.
const VECTOR = {
  identity: "AGE-SECRET-KEY-1QYPQXPQ9QCRSSZG2PVXQ6RS0ZQG3YYC5Z5TPWXQERGD3C8G7RUSQGPQYEE",
  recipient: "age1q73he0q5yzfu3d64msd3p6rvksnrwjk3d2598mgtmlqt9wrdr37q2vrn72",
  shares: [
    "auD9XmV8vwN2a_RHwFWt5ZvnL3T2n8tRkkaA39K0HzDl",
    "a1LjYbz9Mtt5bTX4RbV4I1IhPa2bLM5LhI3JDPLDH298",
    "ur5eaEWj1_OqvaF-cpU6thS0O1ReEXaf63IAnpfSH8lP",
  ],
}

function subsets<T>(items: readonly T[], size: number): T[][] {
  if (size === 0) return [[]]
  return items.flatMap((first, i) =>
    subsets(items.slice(i + 1), size - 1).map((rest) => [first, ...rest]),
  )
}

const bytesEqual = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((v, i) => v === b[i])

async function policyFor(escrowRecipient: string, k: number, n: number) {
  const admins = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const identity = generateAgeIdentity()
      return { userId: `admin${i}`, identity, recipient: await recipientOf(identity) }
    }),
  )
  const policy: EscrowPolicy = {
    v: 1,
    version: 3,
    issuedAt: 1000,
    escrow: escrowRecipient,
    threshold: k,
    holders: admins.map((a) => ({
      userId: a.userId,
      recipient: a.recipient,
      signer: accountSigner(a.identity),
    })),
  }
  return { admins, policy }
}

describe("splitting the escrow key", () => {
  it("rebuilds the committed vector's identity from any two of its three shares", async () => {
    const shares = VECTOR.shares.map((s) => fromBase64url("share", s))
    for (const pair of subsets(shares, 2)) {
      expect(await combineEscrowShares(pair, 2, VECTOR.recipient)).toBe(VECTOR.identity)
    }
  })

  it("rebuilds from any k of n shares and never from k-1, for every k ≤ n ≤ 5", async () => {
    for (let n = 2; n <= 5; n++) {
      for (let k = 2; k <= n; k++) {
        const escrow = generateAgeIdentity()
        const recipient = await recipientOf(escrow)
        const secret = secretFromIdentity("escrow", escrow)
        const shares = await splitEscrowKey(escrow, k, n)
        expect(shares).toHaveLength(n)
        for (const some of subsets(shares, k)) {
          expect(await combineEscrowShares(some, k, recipient)).toBe(escrow)
        }
        for (const fewer of subsets(shares, k - 1)) {
          if (fewer.length >= 2) {
            // The library itself returns other bytes without an error …
            expect(bytesEqual(await combine(fewer), secret)).toBe(false)
            // … which the check value catches when a caller claims a lower threshold.
            await expect(combineEscrowShares(fewer, k - 1, recipient)).rejects.toMatchObject({
              code: "TAMPERED",
            })
          }
          await expect(combineEscrowShares(fewer, k, recipient)).rejects.toMatchObject({
            code: "BAD_INPUT",
          })
        }
      }
    }
  })

  it("refuses shares of another escrow key (the check value binds them to the recipient)", async () => {
    const shares = VECTOR.shares.map((s) => fromBase64url("share", s))
    const other = await recipientOf(generateAgeIdentity())
    await expect(combineEscrowShares(shares.slice(0, 2), 2, other)).rejects.toMatchObject({
      code: "TAMPERED",
    })
  })

  it("refuses a repeated share, a corrupted share and bad bounds", async () => {
    const shares = VECTOR.shares.map((s) => fromBase64url("share", s))
    const [a, b] = shares as [Uint8Array, Uint8Array]
    await expect(combineEscrowShares([a, a], 2, VECTOR.recipient)).rejects.toMatchObject({
      code: "BAD_INPUT",
    })
    const flipped = b.slice()
    flipped[0] = (flipped[0] ?? 0) ^ 1
    await expect(combineEscrowShares([a, flipped], 2, VECTOR.recipient)).rejects.toMatchObject({
      code: "TAMPERED",
    })
    const escrow = identityFromSecret(new Uint8Array(32).fill(7))
    await expect(splitEscrowKey(escrow, 1, 3)).rejects.toMatchObject({ code: "BAD_INPUT" })
    await expect(splitEscrowKey(escrow, 4, 3)).rejects.toMatchObject({ code: "BAD_INPUT" })
  })
})

describe("sealing shares to holders and approvals to a request", () => {
  it("opens a holder's share only with their identity and only for their policy entry", async () => {
    const escrow = generateAgeIdentity()
    const { admins, policy } = await policyFor(await recipientOf(escrow), 2, 3)
    const shares = await splitEscrowKey(escrow, 2, 3)
    const [a0, a1] = admins as [(typeof admins)[0], (typeof admins)[0]]
    const sealed = await sealEscrowShare(shares[0] as Uint8Array, { policy, holder: a0.userId })
    expect(sealed.to).toEqual([a0.recipient])
    const opened = await openEscrowShare(sealed, a0.identity, { policy, holder: a0.userId })
    expect(bytesEqual(opened, shares[0] as Uint8Array)).toBe(true)
    await expect(
      openEscrowShare(sealed, a1.identity, { policy, holder: a1.userId }),
    ).rejects.toMatchObject({ code: "WRONG_KEY" })
    const newer = { ...policy, version: policy.version + 1 }
    await expect(
      openEscrowShare(sealed, a0.identity, { policy: newer, holder: a0.userId }),
    ).rejects.toMatchObject({ code: "TAMPERED" })
    await expect(
      sealEscrowShare(shares[0] as Uint8Array, { policy, holder: "stranger" }),
    ).rejects.toMatchObject({ code: "BAD_INPUT" })
  })

  it("passes two approvals to the initiator's ephemeral key, which rebuilds the escrow key", async () => {
    const escrow = generateAgeIdentity()
    const { admins, policy } = await policyFor(await recipientOf(escrow), 2, 3)
    const shares = await splitEscrowKey(escrow, 2, 3)
    const ephemeral = generateAgeIdentity()
    const request = { id: "req-1", ephemeral: await recipientOf(ephemeral) }
    const approvals = await Promise.all(
      [1, 2].map((i) =>
        sealEscrowApproval(
          shares[i] as Uint8Array,
          request,
          (admins[i] as (typeof admins)[0]).userId,
        ),
      ),
    )
    const opened = await Promise.all(
      approvals.map((a) => openEscrowApproval(a, ephemeral, "req-1", policy)),
    )
    expect(opened.map((o) => o.holder)).toEqual(["admin1", "admin2"])
    const rebuilt = await combineEscrowShares(
      opened.map((o) => o.share),
      policy.threshold,
      policy.escrow,
    )
    expect(rebuilt).toBe(escrow)
    await expect(
      openEscrowApproval(approvals[0] as never, ephemeral, "req-2", policy),
    ).rejects.toMatchObject({ code: "TAMPERED" })
    await expect(
      openEscrowApproval(approvals[0] as never, generateAgeIdentity(), "req-1", policy),
    ).rejects.toMatchObject({ code: "WRONG_KEY" })
    const stranger = await sealEscrowApproval(shares[0] as Uint8Array, request, "stranger")
    await expect(openEscrowApproval(stranger, ephemeral, "req-1", policy)).rejects.toMatchObject({
      code: "TAMPERED",
    })
  })
})
