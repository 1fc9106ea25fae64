import { accounts, escrowQuorum, type ResponseOf } from "@sotto/protocol"
import type { AdminUser } from "./adminApi.js"
import { type AdminKeys, MissingNodeKey } from "./adminKeys.js"
import { verifiedManifest } from "./adminManifest.js"
import { relay } from "./api.js"
import { crypto } from "./crypto.js"
import { NotCertified } from "./keyCertification.js"
import { readEscrowPolicyVersion, writeEscrowPolicyVersion } from "./trustStore.js"
import { toBase64url } from "./wbBytes.js"

// k-of-n escrow in the admin's browser (crypto-core SPEC §4.1), as test/relay/_escrowQuorum.ts
// does it: every key step runs in the account worker (escrowQuorumSteps), every trust decision
// starts from the manifest this browser pinned and the certified user list. A request's
// ephemeral key lives only in this tab's memory: closing the tab abandons the request.

/** The policy in force (null: 1-of-n) and this admin's sealed share. */
export type EscrowPolicyView = ResponseOf<typeof escrowQuorum.getEscrowPolicy>
/** One request as the relay lists it. */
export type EscrowRequestView = ResponseOf<
  typeof escrowQuorum.listEscrowRequests
>["requests"][number]

/** Thrown when a request has fewer approvals than the policy's threshold. */
export class NotApproved extends Error {
  readonly code = "NOT_APPROVED"
  constructor(have: number, need: number) {
    super(
      `Not enough approvals: ${have} of the ${need} needed. The escrow key cannot be rebuilt until ${need - have} more admin${need - have === 1 ? "" : "s"} approve${need - have === 1 ? "s" : ""}.`,
    )
  }
}

// Ephemeral keys of the requests this tab made, by request id; never stored.
const ephemerals = new Map<string, string>()

/** Whether this tab holds the key to complete request `id`. */
export function canComplete(id: string): boolean {
  return ephemerals.has(id)
}

/** The escrow policy and the requests of the last 30 days. @throws RelayClientError. */
export async function loadEscrowQuorum(
  session: string,
): Promise<{ policy: EscrowPolicyView; requests: EscrowRequestView[] }> {
  const [policy, list] = await Promise.all([
    relay.call(escrowQuorum.getEscrowPolicy, { session }),
    relay.call(escrowQuorum.listEscrowRequests, { session }),
  ])
  return { policy, requests: list.requests }
}

// The pinned manifest's keys and the highest policy version this browser saw: a relay cannot
// replay an older policy (with a lower k or a removed holder) to this browser.
async function trust() {
  const manifest = await verifiedManifest()
  if (manifest.escrow === null) throw new Error("this node runs without escrow")
  const minVersion = await readEscrowPolicyVersion()
  return {
    signer: manifest.directorySigner,
    escrow: manifest.escrow,
    ...(minVersion === undefined ? {} : { minVersion }),
  }
}

/**
 * Splits the escrow key among the `holders` (admins), `k` of whom must approve each reset: only
 * certified keys are used, and the relay deletes every 1-of-n wrap in the same write.
 * @throws NotCertified, MissingNodeKey before anything is sent; RelayClientError.
 */
export async function splitEscrowKey(
  admin: AdminKeys,
  users: readonly AdminUser[],
  holderIds: readonly string[],
  k: number,
  authKey: string,
): Promise<void> {
  const found = await crypto().account.certifyList(
    users,
    { userId: admin.userId, identity: admin.identity },
    [(await trust()).signer],
  )
  const holders = holderIds.map((id) => {
    const c = found.get(id)
    if (!c?.certified) {
      throw new NotCertified([users.find((u) => u.id === id)?.username ?? id])
    }
    return { userId: id, recipient: c.publicKey, signer: c.signer }
  })
  const me = await relay.call(accounts.getMe, { session: admin.session })
  if (!me.escrowWrap) throw new MissingNodeKey("escrow")
  if (!me.signingKeyWrap) throw new MissingNodeKey("signing")
  const current = await relay.call(escrowQuorum.getEscrowPolicy, { session: admin.session })
  const { policy, shares } = await crypto().account.splitEscrowAmongHolders({
    identity: admin.identity,
    escrowWrap: me.escrowWrap,
    signingKeyWrap: me.signingKeyWrap,
    trust: await trust(),
    threshold: k,
    holders,
    version: (current.policy?.body.version ?? 0) + 1,
    issuedAt: Date.now(),
  })
  await relay.call(escrowQuorum.putEscrowPolicy, {
    session: admin.session,
    body: {
      currentAuthKey: authKey,
      policy: { ...policy, body: { ...policy.body, holders: [...policy.body.holders] } },
      shares: shares.map((s) => ({
        userId: s.userId,
        sealed: { ...s.sealed, to: [...s.sealed.to] },
      })),
    },
  })
  await writeEscrowPolicyVersion(policy.body.version)
}

/**
 * Asks the other holders to approve resetting `user`'s password; keeps the request's ephemeral
 * key in this tab. @throws CryptoError (policy not verified, no share); RelayClientError.
 */
export async function askEscrowReset(
  admin: AdminKeys,
  user: { readonly id: string; readonly username: string },
  reason: string,
  authKey: string,
): Promise<string> {
  const { policy } = await relay.call(escrowQuorum.getEscrowPolicy, { session: admin.session })
  if (!policy) throw new Error("the escrow key is not split")
  const made = await crypto().account.createEscrowRequest({
    identity: admin.identity,
    userId: admin.userId,
    policy,
    trust: await trust(),
    purpose: "reset",
    target: { userId: user.id, username: user.username },
    reason,
    now: Date.now(),
    lifetimeMs: 24 * 3600_000,
  })
  await writeEscrowPolicyVersion(policy.body.version)
  const { id } = await relay.call(escrowQuorum.createEscrowRequest, {
    session: admin.session,
    body: { currentAuthKey: authKey, request: made.request },
  })
  ephemerals.set(id, made.ephemeral)
  return id
}

/**
 * Approves `request` with this admin's share, after the worker checked policy and request
 * against the pin. @throws CryptoError (`BAD_SIGNATURE`, `KEY_MISMATCH`, `EXPIRED`…) before
 * anything is sent; RelayClientError.
 */
export async function approveEscrowReset(
  admin: AdminKeys,
  request: EscrowRequestView,
  authKey: string,
): Promise<{ approvals: number; threshold: number }> {
  const { policy, share } = await relay.call(escrowQuorum.getEscrowPolicy, {
    session: admin.session,
  })
  if (!policy || !share) throw new Error("you hold no share of the escrow key")
  const { approval } = await crypto().account.approveEscrowRequest({
    identity: admin.identity,
    userId: admin.userId,
    policy,
    trust: await trust(),
    request: request.request,
    share,
    now: Date.now(),
  })
  await writeEscrowPolicyVersion(policy.body.version)
  return relay.call(escrowQuorum.approveEscrowRequest, {
    session: admin.session,
    params: { requestId: request.request.body.id },
    body: { currentAuthKey: authKey, approval: { ...approval, to: [...approval.to] } },
  })
}

/** Refuses `id`: it closes for every holder. @throws RelayClientError. */
export async function refuseEscrowReset(admin: AdminKeys, id: string): Promise<void> {
  await relay.call(escrowQuorum.refuseEscrowRequest, {
    session: admin.session,
    params: { requestId: id },
    body: {},
  })
}

/**
 * Completes a reset this tab asked for: rebuilds the escrow key from the approvals in the
 * worker, reseals the account to a new one-time password, re-certifies it and sends the reset.
 * @returns the one-time password to hand over.
 * @throws CryptoError `BAD_INPUT` (too few approvals), `TAMPERED`; RelayClientError.
 */
export async function completeEscrowReset(
  admin: AdminKeys,
  id: string,
  authKey: string,
): Promise<string> {
  const ephemeral = ephemerals.get(id)
  if (!ephemeral) throw new Error("this request was made in another tab or before a reload")
  const { policy, requests } = await loadEscrowQuorum(admin.session)
  const found = requests.find((r) => r.request.body.id === id)
  if (!policy.policy || !found) throw new Error("the request is gone")
  const need = policy.policy.body.threshold
  if (found.approvedBy.length < need) throw new NotApproved(found.approvedBy.length, need)
  const { userId, username } = found.request.body
  const target = await relay.call(accounts.getUserSealedIdentity, {
    session: admin.session,
    params: { userId },
    body: { currentAuthKey: authKey },
  })
  const account = crypto().account
  const reset = await account.resetWithEscrowShares({
    policy: policy.policy,
    trust: await trust(),
    request: found.request,
    ephemeral,
    approvals: found.approvals ?? [],
    sealedIdentity: target.sealedIdentity,
    params: target.params,
    now: Date.now(),
  })
  const certification = await account.certifyOneTimePassword(
    username,
    reset.oneTimePassword,
    { salt: reset.salt, params: reset.params },
    admin.identity,
    Date.now(),
  )
  await relay.call(escrowQuorum.completeEscrowRequest, {
    session: admin.session,
    params: { requestId: id },
    body: {
      kdf: { salt: toBase64url(reset.salt), params: { ...reset.params } },
      authVerifier: toBase64url(reset.authVerifier),
      sealedIdentity: reset.sealed,
      currentAuthKey: authKey,
      certification,
    },
  })
  ephemerals.delete(id)
  return reset.oneTimePassword
}
