import {
  type EscrowPolicy,
  type EscrowRequest,
  isCryptoError,
  type SignedStatement,
  verifyEscrowPolicy,
  verifyEscrowRequest,
  type WrappedKey,
} from "@sotto/crypto-core"
import { RelayError } from "../errors.js"
import type { Batch, Store } from "../store/store.js"

// Storage and checks of k-of-n escrow (crypto-core SPEC §4.1). The relay can verify what it stores
// (node key, account keys) but cannot make any of it; browsers verify again against their pins.

const POLICY_KEY = "escrowPolicy"
const SHARE_PREFIX = "escrowShare/"
const REQUEST_PREFIX = "escrowRequest/"

/** The stored policy as the node key signed it. */
export type SignedEscrowPolicy = SignedStatement<EscrowPolicy>

/** One reset request and what holders did with it. */
export interface EscrowRequestRecord {
  readonly request: SignedStatement<EscrowRequest>
  readonly status: "open" | "refused" | "completed"
  /** Approvals by holder id, in order; one each. */
  readonly approvals: readonly { readonly userId: string; readonly sealed: WrappedKey }[]
  readonly refusedBy?: string
}

/** The stored signed policy, if any (none: the node runs 1-of-n with wraps). */
export async function storedPolicy(store: Store): Promise<SignedEscrowPolicy | undefined> {
  return store.get<SignedEscrowPolicy>("settings", POLICY_KEY)
}

/** The policy in force when it needs k ≥ 2 approvals; undefined for 1-of-n. */
export async function quorumPolicy(store: Store): Promise<EscrowPolicy | undefined> {
  const signed = await storedPolicy(store)
  return signed && signed.body.threshold >= 2 ? signed.body : undefined
}

/**
 * Refuses a 1-of-n escrow use while a k-of-n policy is in force.
 * @throws RelayError CONFLICT.
 */
export async function refuseUnderQuorum(store: Store): Promise<void> {
  const policy = await quorumPolicy(store)
  if (policy) {
    throw new RelayError(
      "CONFLICT",
      `the escrow key is split: a reset needs ${policy.threshold} admins to approve a request`,
    )
  }
}

/**
 * Verifies a policy under the node key and escrow recipient, going up from the stored version.
 * @throws RelayError BAD_MANIFEST when it does not verify or names another escrow key, CONFLICT
 * when its version does not go up.
 */
export function checkPolicy(
  signed: SignedEscrowPolicy,
  node: { readonly signingPublicKey: string; readonly escrow: { readonly recipient?: string } },
  current: SignedEscrowPolicy | undefined,
): EscrowPolicy {
  let policy: EscrowPolicy
  try {
    policy = verifyEscrowPolicy(signed, {
      signer: node.signingPublicKey,
      escrow: node.escrow.recipient ?? "",
    })
  } catch (e) {
    if (!isCryptoError(e)) throw e
    throw new RelayError("BAD_MANIFEST", `"body.policy": ${e.message}`, "body.policy")
  }
  if (current && policy.version <= current.body.version) {
    throw new RelayError(
      "CONFLICT",
      `"body.policy.version" must be above ${current.body.version}`,
      "body.policy.version",
    )
  }
  return policy
}

/**
 * Verifies a request under the policy in force, signed by its initiator's listed key.
 * @throws RelayError VALIDATION naming `body.request` (bad signature, expired, other policy).
 */
export function checkRequest(
  signed: SignedStatement<EscrowRequest>,
  policy: EscrowPolicy,
  now: number,
): EscrowRequest {
  try {
    return verifyEscrowRequest(signed, policy, now)
  } catch (e) {
    if (!isCryptoError(e)) throw e
    throw new RelayError("VALIDATION", `"body.request": ${e.message}`, "body.request")
  }
}

/** Adds the policy to `batch`. */
export function putPolicy(batch: Batch, signed: SignedEscrowPolicy): void {
  batch.put("settings", POLICY_KEY, signed)
}

/** A holder's sealed share. */
export function getShare(store: Store, userId: string): Promise<WrappedKey | undefined> {
  return store.get<WrappedKey>("settings", `${SHARE_PREFIX}${userId}`)
}

/** Replaces every stored share with `shares` in `batch`. */
export async function replaceShares(
  store: Store,
  batch: Batch,
  shares: readonly { readonly userId: string; readonly sealed: WrappedKey }[],
): Promise<void> {
  for (const key of await store.keys("settings", prefixRange(SHARE_PREFIX)))
    batch.del("settings", key)
  for (const s of shares) batch.put("settings", `${SHARE_PREFIX}${s.userId}`, s.sealed)
}

/** One request record. @throws RelayError NOT_FOUND. */
export async function requireRequest(store: Store, id: string): Promise<EscrowRequestRecord> {
  const record = await store.get<EscrowRequestRecord>("settings", `${REQUEST_PREFIX}${id}`)
  if (!record) throw new RelayError("NOT_FOUND", "no such escrow request", "params.requestId")
  return record
}

/** Every request record (a few per month on a real node). */
export async function listRequests(store: Store): Promise<EscrowRequestRecord[]> {
  const entries = await store.list<EscrowRequestRecord>("settings", prefixRange(REQUEST_PREFIX))
  return entries.map(([, record]) => record)
}

/** Adds a request record to `batch`. */
export function putRequest(batch: Batch, record: EscrowRequestRecord): void {
  batch.put("settings", `${REQUEST_PREFIX}${record.request.body.id}`, record)
}

/**
 * Refuses a change to a request that is not open or has expired.
 * @throws RelayError CONFLICT.
 */
export function requireOpen(record: EscrowRequestRecord, now: number): void {
  if (record.status !== "open") {
    throw new RelayError("CONFLICT", `this escrow request is ${record.status}`)
  }
  if (now >= record.request.body.expiresAt) {
    throw new RelayError("CONFLICT", "this escrow request has expired")
  }
}

function prefixRange(prefix: string) {
  return { gte: prefix, lt: `${prefix}\uffff` }
}
