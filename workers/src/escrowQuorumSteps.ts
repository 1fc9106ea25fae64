import {
  type AgeIdentity,
  accountSigningKey,
  CryptoError,
  combineEscrowShares,
  drawEscrowRequestId,
  type EscrowHolder,
  type EscrowPolicy,
  type EscrowPolicyTrust,
  type EscrowRequest,
  type EscrowReset,
  type EscrowShare,
  generateAgeIdentity,
  type KdfParams,
  openEscrowApproval,
  openEscrowKey,
  openEscrowShare,
  openSigningKey,
  recipientOf,
  resetWithEscrow,
  type SealedAccountIdentity,
  type SignedStatement,
  sealEscrowApproval,
  sealEscrowShare,
  signEscrowPolicy,
  signEscrowRequest,
  signerOf,
  splitEscrowKey,
  verifyEscrowPolicy,
  verifyEscrowRequest,
  type WrappedKey,
} from "@sotto/crypto-core"

// k-of-n escrow as an admin's browser runs it (crypto-core SPEC §4.1), one call per step so that
// the escrow identity, the node signing key and the shares never leave the worker. Every step
// verifies the policy against the caller's pin (node key, escrow recipient, highest version)
// before it uses anything the relay handed over.

/** A holder's sealed share or approval as the relay stores it. */
export interface HolderSealed {
  readonly userId: string
  readonly sealed: WrappedKey
}

/** What a step needs to trust a policy: the pinned manifest's node key and escrow recipient. */
export type PolicyTrust = EscrowPolicyTrust

export const escrowQuorumSteps = {
  /**
   * Splits the escrow key among `holders` (whose keys the caller took from certified users only):
   * opens this admin's escrow and signing wraps, checks them against the pin, signs the policy
   * and seals one share to each holder.
   * @throws CryptoError `KEY_MISMATCH` when a wrap holds another key than the pinned one,
   * `BAD_INPUT` for bad bounds, `WRONG_KEY`/`TAMPERED` from the wraps.
   */
  async splitEscrowAmongHolders(input: {
    readonly identity: AgeIdentity
    readonly escrowWrap: WrappedKey
    readonly signingKeyWrap: WrappedKey
    readonly trust: PolicyTrust
    readonly threshold: number
    readonly holders: readonly EscrowHolder[]
    readonly version: number
    readonly issuedAt: number
  }): Promise<{ policy: SignedStatement<EscrowPolicy>; shares: HolderSealed[] }> {
    const escrow = await openEscrowKey(input.escrowWrap, input.identity)
    if ((await recipientOf(escrow)) !== input.trust.escrow) {
      throw new CryptoError("KEY_MISMATCH", "this escrow wrap holds another key than the node's")
    }
    const nodeKey = await openSigningKey(input.signingKeyWrap, input.identity)
    if (signerOf(nodeKey) !== input.trust.signer) {
      throw new CryptoError("KEY_MISMATCH", "this signing wrap holds another key than the node's")
    }
    const policy = signEscrowPolicy(
      {
        version: input.version,
        issuedAt: input.issuedAt,
        escrow: input.trust.escrow,
        threshold: input.threshold,
        holders: input.holders,
      },
      nodeKey,
    )
    const body = verifyEscrowPolicy(policy, input.trust)
    const pieces = await splitEscrowKey(escrow, body.threshold, body.holders.length)
    const shares = await Promise.all(
      body.holders.map(async (h, i) => ({
        userId: h.userId,
        sealed: await sealEscrowShare(pieces[i] as EscrowShare, { policy: body, holder: h.userId }),
      })),
    )
    return { policy, shares }
  },

  /**
   * Makes a reset (or policy) request signed by this holder, with a fresh ephemeral key the
   * caller keeps in memory until it completes.
   * @throws CryptoError from the policy check; `BAD_INPUT` when this admin holds no share.
   */
  async createEscrowRequest(input: {
    readonly identity: AgeIdentity
    readonly userId: string
    readonly policy: SignedStatement<EscrowPolicy>
    readonly trust: PolicyTrust
    readonly purpose: "reset" | "policy"
    readonly target: { readonly userId: string; readonly username: string }
    readonly reason: string
    readonly now: number
    readonly lifetimeMs: number
  }): Promise<{ request: SignedStatement<EscrowRequest>; ephemeral: AgeIdentity }> {
    const policy = verifyEscrowPolicy(input.policy, input.trust)
    if (!policy.holders.some((h) => h.userId === input.userId)) {
      throw new CryptoError("BAD_INPUT", "you hold no share of the escrow key")
    }
    const ephemeral = generateAgeIdentity()
    const request = signEscrowRequest(
      {
        id: drawEscrowRequestId(),
        purpose: input.purpose,
        policy: policy.version,
        initiator: input.userId,
        userId: input.target.userId,
        username: input.target.username,
        reason: input.reason,
        ephemeral: await recipientOf(ephemeral),
        createdAt: input.now,
        expiresAt: input.now + input.lifetimeMs,
      },
      accountSigningKey(input.identity),
    )
    return { request, ephemeral }
  },

  /**
   * Checks a request (policy under the pin; request signed by the holder it names, for this
   * policy, not expired), then re-seals this holder's share to the request's ephemeral key.
   * Show the returned request (who, for whom, why) before calling; the approval is sent after.
   * @throws CryptoError `BAD_SIGNATURE`/`KEY_MISMATCH`/`STALE` for a policy or request the relay
   * changed, `EXPIRED`, `WRONG_KEY`/`TAMPERED` from the share.
   */
  async approveEscrowRequest(input: {
    readonly identity: AgeIdentity
    readonly userId: string
    readonly policy: SignedStatement<EscrowPolicy>
    readonly trust: PolicyTrust
    readonly request: SignedStatement<EscrowRequest>
    readonly share: WrappedKey
    readonly now: number
  }): Promise<{ request: EscrowRequest; approval: WrappedKey }> {
    const policy = verifyEscrowPolicy(input.policy, input.trust)
    const request = verifyEscrowRequest(input.request, policy, input.now)
    const share = await openEscrowShare(input.share, input.identity, {
      policy,
      holder: input.userId,
    })
    return { request, approval: await sealEscrowApproval(share, request, input.userId) }
  },

  /**
   * The initiator's last step: opens the approvals with the ephemeral key, rebuilds the escrow key
   * from k of them (trying other subsets when the relay slipped in a bad one), and resets the
   * account as the 1-of-n path does (SPEC §4). The escrow key is dropped when this returns.
   * @throws CryptoError `BAD_INPUT` with fewer than k good approvals, `TAMPERED` when no k of
   * them rebuild the pinned escrow key, and the policy/request checks' codes.
   */
  async resetWithEscrowShares(input: {
    readonly policy: SignedStatement<EscrowPolicy>
    readonly trust: PolicyTrust
    readonly request: SignedStatement<EscrowRequest>
    readonly ephemeral: AgeIdentity
    readonly approvals: readonly HolderSealed[]
    readonly sealedIdentity: SealedAccountIdentity
    readonly params: KdfParams
    readonly now: number
  }): Promise<EscrowReset> {
    const escrow = await rebuildEscrow(input)
    return resetWithEscrow(input.sealedIdentity, escrow, input.params)
  },
}

async function rebuildEscrow(input: {
  readonly policy: SignedStatement<EscrowPolicy>
  readonly trust: PolicyTrust
  readonly request: SignedStatement<EscrowRequest>
  readonly ephemeral: AgeIdentity
  readonly approvals: readonly HolderSealed[]
  readonly now: number
}): Promise<AgeIdentity> {
  const policy = verifyEscrowPolicy(input.policy, input.trust)
  const request = verifyEscrowRequest(input.request, policy, input.now)
  if ((await recipientOf(input.ephemeral)) !== request.ephemeral) {
    throw new CryptoError("KEY_MISMATCH", "this ephemeral key is not the request's")
  }
  const byHolder = new Map<string, EscrowShare>()
  for (const a of input.approvals) {
    try {
      const opened = await openEscrowApproval(a.sealed, input.ephemeral, request.id, policy)
      if (opened.holder === a.userId && !byHolder.has(a.userId))
        byHolder.set(a.userId, opened.share)
    } catch (e) {
      // An approval that does not open for this request counts for nothing.
      if (!(e instanceof CryptoError)) throw e
    }
  }
  const shares = [...byHolder.values()]
  if (shares.length < policy.threshold) {
    throw new CryptoError(
      "BAD_INPUT",
      `${shares.length} of the ${policy.threshold} approvals needed open for this request`,
    )
  }
  for (const some of subsets(shares, policy.threshold)) {
    try {
      return await combineEscrowShares(some, policy.threshold, policy.escrow)
    } catch (e) {
      if (!(e instanceof CryptoError) || e.code !== "TAMPERED") throw e
    }
  }
  throw new CryptoError("TAMPERED", "no approvals rebuild the node's escrow key")
}

// Subsets in order; a node has a handful of admins, so C(n, k) stays small.
function* subsets<T>(items: readonly T[], size: number, from = 0): Generator<T[]> {
  if (size === 0) {
    yield []
    return
  }
  for (let i = from; i <= items.length - size; i++) {
    for (const rest of subsets(items, size - 1, i + 1)) yield [items[i] as T, ...rest]
  }
}
