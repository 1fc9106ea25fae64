import { combine, split } from "shamir-secret-sharing"
import { openLabeled, sealLabeled } from "./_labeledSecret.js"
import { expectInteger, expectString } from "./_validate.js"
import {
  type AgeIdentity,
  type AgeRecipient,
  expectRecipient,
  identityFromSecret,
  recipientOf,
  secretFromIdentity,
} from "./age.js"
import { fromBase64url, toBase64url } from "./encoding.js"
import { CryptoError } from "./errors.js"
import type { WrappedKey } from "./escrow.js"
import type { EscrowPolicy } from "./escrowPolicy.js"

// k-of-n escrow (SPEC §4.1): the escrow identity's secret split with shamir-secret-sharing, each
// share sealed to one holder, re-sealed to a reset request's ephemeral key on approval.

const LABEL_SHARE = "sotto/v2/escrow-share"
const LABEL_APPROVAL = "sotto/v2/escrow-approval"
// A share of a 32-byte secret: the secret's length plus the x-coordinate byte.
const SHARE_BYTES = 33

/** One Shamir share of the escrow identity's 32 secret bytes (33 bytes). */
export type EscrowShare = Uint8Array

/**
 * Splits the escrow identity into `n` shares of which any `k` rebuild it (2 ≤ k ≤ n ≤ 255).
 * @throws CryptoError `BAD_INPUT` on a malformed identity or bounds.
 */
export async function splitEscrowKey(
  escrow: AgeIdentity,
  k: number,
  n: number,
): Promise<EscrowShare[]> {
  const secret = secretFromIdentity("escrow", escrow)
  expectInteger("n", n, 2, 255)
  expectInteger("k", k, 2, n)
  return split(secret, n, k)
}

/**
 * Rebuilds the escrow identity from `k` or more distinct shares and checks it against the escrow
 * recipient (the library itself cannot tell a wrong result from a right one).
 * @throws CryptoError `BAD_INPUT` for fewer than `k` shares, malformed or repeated shares;
 * `TAMPERED` when the shares do not rebuild the key whose recipient is `escrowRecipient`.
 */
export async function combineEscrowShares(
  shares: readonly EscrowShare[],
  k: number,
  escrowRecipient: AgeRecipient,
): Promise<AgeIdentity> {
  expectRecipient("escrowRecipient", escrowRecipient)
  expectInteger("k", k, 2, 255)
  if (shares.length < k) {
    throw new CryptoError("BAD_INPUT", `"shares" expected at least ${k}, got ${shares.length}`)
  }
  const xs = new Set<number>()
  shares.forEach((share, i) => {
    if (!(share instanceof Uint8Array) || share.length !== SHARE_BYTES) {
      throw new CryptoError("BAD_INPUT", `"shares[${i}]" expected ${SHARE_BYTES} bytes`)
    }
    xs.add(share[SHARE_BYTES - 1] ?? 0)
  })
  if (xs.size !== shares.length) {
    throw new CryptoError("BAD_INPUT", `"shares" holds the same share twice`)
  }
  const escrow = identityFromSecret(await combine([...shares]))
  if ((await recipientOf(escrow)) !== escrowRecipient) {
    throw new CryptoError("TAMPERED", "these shares do not rebuild the node's escrow key")
  }
  return escrow
}

/** Where a share belongs: the policy it was made for and its holder. */
export interface ShareBinding {
  readonly policy: EscrowPolicy
  readonly holder: string
}

/**
 * Seals one share to its holder's recipient as listed in the verified policy.
 * @throws CryptoError `BAD_INPUT` when `holder` is not in the policy or the share is malformed.
 */
export async function sealEscrowShare(share: EscrowShare, to: ShareBinding): Promise<WrappedKey> {
  const entry = holderOf(to.policy, to.holder)
  const body = {
    v: 1,
    escrow: to.policy.escrow,
    policy: to.policy.version,
    holder: entry.userId,
    share: toBase64url(checkShare("share", share)),
  }
  return sealLabeled(LABEL_SHARE, JSON.stringify(body), [entry.recipient])
}

/**
 * Opens a holder's sealed share with their account identity and checks it belongs to this policy,
 * this holder and this escrow key.
 * @throws CryptoError `WRONG_KEY` for another identity, `TAMPERED` for a share of another policy,
 * holder or key.
 */
export async function openEscrowShare(
  sealed: WrappedKey,
  identity: AgeIdentity,
  at: ShareBinding,
): Promise<EscrowShare> {
  const body = parse(await openLabeled(LABEL_SHARE, sealed, identity))
  if (
    body.v !== 1 ||
    body.escrow !== at.policy.escrow ||
    body.policy !== at.policy.version ||
    body.holder !== at.holder
  ) {
    throw new CryptoError("TAMPERED", "this escrow share belongs to another policy or holder")
  }
  return checkShare("share", fromBase64url("share", body.share))
}

/**
 * Re-seals an approving holder's share to a reset request's ephemeral key (taken from the verified,
 * signed request only), bound to the request id.
 * @throws CryptoError `BAD_INPUT` on a malformed share or recipient.
 */
export async function sealEscrowApproval(
  share: EscrowShare,
  request: { readonly id: string; readonly ephemeral: AgeRecipient },
  holder: string,
): Promise<WrappedKey> {
  const body = {
    v: 1,
    request: expectString("request.id", request.id, 64),
    holder: expectString("holder", holder, 64),
    share: toBase64url(checkShare("share", share)),
  }
  return sealLabeled(LABEL_APPROVAL, JSON.stringify(body), [
    expectRecipient("request.ephemeral", request.ephemeral),
  ])
}

/** One approval as opened by the initiator: who contributed which share. */
export interface OpenedApproval {
  readonly holder: string
  readonly share: EscrowShare
}

/**
 * Opens an approval with the request's ephemeral identity; it must name this request and a holder
 * of the policy.
 * @throws CryptoError `WRONG_KEY` for another request's key, `TAMPERED` for another request's
 * approval or a non-holder.
 */
export async function openEscrowApproval(
  sealed: WrappedKey,
  ephemeral: AgeIdentity,
  requestId: string,
  policy: EscrowPolicy,
): Promise<OpenedApproval> {
  const body = parse(await openLabeled(LABEL_APPROVAL, sealed, ephemeral))
  if (body.v !== 1 || body.request !== requestId) {
    throw new CryptoError("TAMPERED", "this approval belongs to another request")
  }
  if (!policy.holders.some((h) => h.userId === body.holder)) {
    throw new CryptoError("TAMPERED", "this approval comes from someone who holds no share")
  }
  return {
    holder: body.holder as string,
    share: checkShare("share", fromBase64url("share", body.share)),
  }
}

function holderOf(policy: EscrowPolicy, userId: string) {
  const entry = policy.holders.find((h) => h.userId === userId)
  if (!entry) throw new CryptoError("BAD_INPUT", `"holder" is not a holder of this escrow policy`)
  return entry
}

function checkShare(name: string, share: unknown): EscrowShare {
  if (!(share instanceof Uint8Array) || share.length !== SHARE_BYTES) {
    throw new CryptoError("BAD_INPUT", `"${name}" expected ${SHARE_BYTES} bytes`)
  }
  return share
}

function parse(text: string): Record<string, unknown> {
  try {
    const body: unknown = JSON.parse(text)
    if (typeof body === "object" && body !== null) return body as Record<string, unknown>
  } catch {
    // the single error below
  }
  throw new CryptoError("TAMPERED", "the sealed escrow share is not the expected JSON")
}
