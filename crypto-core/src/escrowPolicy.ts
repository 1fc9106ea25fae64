import { randomBytes } from "@noble/hashes/utils.js"
import { expectInteger, expectString } from "./_validate.js"
import { type AgeRecipient, expectRecipient } from "./age.js"
import { fromBase64url, toBase64url } from "./encoding.js"
import { CryptoError } from "./errors.js"
import type { SigningKeyPair } from "./keyDirectory.js"
import { type SignedStatement, signStatement, verifyStatement } from "./signedStatement.js"

// The signed k-of-n escrow policy and reset requests (SPEC §4.1).

const LABEL_POLICY = "sotto/v2/escrow-policy"
const LABEL_REQUEST = "sotto/v2/escrow-request"
/** The longest a reset request may stay open. */
export const MAX_ESCROW_REQUEST_MS = 7 * 24 * 3600_000

/** One admin holding a share: their certified account recipient and signing key. */
export interface EscrowHolder {
  readonly userId: string
  readonly recipient: AgeRecipient
  /** The holder's account signing key (base64url), which signs their reset requests. */
  readonly signer: string
}

/** Who holds the escrow key and how many of them must approve a reset. */
export interface EscrowPolicy {
  readonly v: 1
  readonly version: number
  readonly issuedAt: number
  readonly escrow: AgeRecipient
  readonly threshold: number
  readonly holders: readonly EscrowHolder[]
}

/** What a client trusts when checking a policy: the pinned node key, the manifest's escrow. */
export interface EscrowPolicyTrust {
  /** The pinned manifest's directory signer (node signing key, base64url). */
  readonly signer: string
  /** The pinned manifest's escrow recipient. */
  readonly escrow: AgeRecipient
  /** The highest policy version this client has seen (a replay of an older one is refused). */
  readonly minVersion?: number
}

/**
 * Signs an escrow policy with the node signing key; holders are sorted by user id.
 * @throws CryptoError `BAD_INPUT` on a malformed policy.
 */
export function signEscrowPolicy(
  policy: Omit<EscrowPolicy, "v">,
  nodeKey: SigningKeyPair,
): SignedStatement<EscrowPolicy> {
  const body = checkPolicy({ ...policy, v: 1, holders: sortHolders(policy.holders) })
  return signStatement(LABEL_POLICY, body, nodeKey)
}

/**
 * Verifies a policy under the pinned node key and the manifest's escrow recipient.
 * @throws CryptoError `KEY_MISMATCH` for another signer or escrow key, `BAD_SIGNATURE`,
 * `BAD_INPUT` for a malformed body, `STALE` below `minVersion`.
 */
export function verifyEscrowPolicy(
  signed: SignedStatement<EscrowPolicy>,
  trust: EscrowPolicyTrust,
): EscrowPolicy {
  const body = checkPolicy(verifyStatement(LABEL_POLICY, signed, trust.signer))
  if (body.escrow !== trust.escrow) {
    throw new CryptoError("KEY_MISMATCH", "this escrow policy is for another escrow key")
  }
  if (body.version < (trust.minVersion ?? 1)) {
    throw new CryptoError("STALE", "this escrow policy is older than one already seen")
  }
  return body
}

/** A k-of-n reset (or policy change) request, signed by the initiating holder. */
export interface EscrowRequest {
  readonly v: 1
  /** 16 random bytes, base64url, drawn by the initiator. */
  readonly id: string
  readonly purpose: "reset" | "policy"
  /** The version of the policy whose shares are asked for. */
  readonly policy: number
  readonly initiator: string
  /** The account to reset (for `policy`, the initiator). */
  readonly userId: string
  readonly username: string
  readonly reason: string
  /** The request's ephemeral recipient: approvals are sealed to it. */
  readonly ephemeral: AgeRecipient
  readonly createdAt: number
  readonly expiresAt: number
}

/**
 * Signs a request with the initiator's account signing key.
 * @throws CryptoError `BAD_INPUT` on a malformed request.
 */
export function signEscrowRequest(
  request: Omit<EscrowRequest, "v">,
  accountKey: SigningKeyPair,
): SignedStatement<EscrowRequest> {
  return signStatement(LABEL_REQUEST, checkRequest({ ...request, v: 1 }), accountKey)
}

/**
 * Verifies a request against the verified policy: signed by the holder it names as initiator,
 * for this policy version, not expired.
 * @throws CryptoError `KEY_MISMATCH` when not signed by that holder (or the initiator holds no
 * share), `BAD_SIGNATURE`, `BAD_INPUT`, `STALE` for another policy version, `EXPIRED`.
 */
export function verifyEscrowRequest(
  signed: SignedStatement<EscrowRequest>,
  policy: EscrowPolicy,
  now: number,
): EscrowRequest {
  const claimed = signed?.body?.initiator
  const holder = policy.holders.find((h) => h.userId === claimed)
  if (!holder) throw new CryptoError("KEY_MISMATCH", "this request's initiator holds no share")
  const body = checkRequest(verifyStatement(LABEL_REQUEST, signed, holder.signer))
  if (body.policy !== policy.version) {
    throw new CryptoError("STALE", "this request was made under another escrow policy")
  }
  if (now >= body.expiresAt) throw new CryptoError("EXPIRED", "this request has expired")
  return body
}

/** Draws a request id (16 random bytes, base64url). */
export function drawEscrowRequestId(): string {
  return toBase64url(randomBytes(16))
}

function checkPolicy(value: unknown): EscrowPolicy {
  const p = object("policy", value)
  if (p.v !== 1) throw new CryptoError("BAD_INPUT", `"policy.v" expected 1`)
  const holdersIn = p.holders
  if (!Array.isArray(holdersIn) || holdersIn.length < 1 || holdersIn.length > 255) {
    throw new CryptoError("BAD_INPUT", `"policy.holders" expected 1 to 255 holders`)
  }
  const holders = holdersIn.map((h, i) => {
    const o = object(`policy.holders[${i}]`, h)
    const signer = expectString(`policy.holders[${i}].signer`, o.signer, 64)
    if (fromBase64url(`policy.holders[${i}].signer`, signer).length !== 32) {
      throw new CryptoError("BAD_INPUT", `"policy.holders[${i}].signer" expected 32 bytes`)
    }
    return {
      userId: expectString(`policy.holders[${i}].userId`, o.userId, 64),
      recipient: expectRecipient(`policy.holders[${i}].recipient`, o.recipient),
      signer,
    }
  })
  const ids = new Set(holders.map((h) => h.userId))
  const keys = new Set(holders.map((h) => h.recipient))
  if (ids.size !== holders.length || keys.size !== holders.length) {
    throw new CryptoError("BAD_INPUT", `"policy.holders" lists a holder or key twice`)
  }
  return {
    v: 1,
    version: expectInteger("policy.version", p.version, 1, Number.MAX_SAFE_INTEGER),
    issuedAt: expectInteger("policy.issuedAt", p.issuedAt, 0, Number.MAX_SAFE_INTEGER),
    escrow: expectRecipient("policy.escrow", p.escrow),
    threshold: expectInteger("policy.threshold", p.threshold, 1, holders.length),
    holders,
  }
}

function checkRequest(value: unknown): EscrowRequest {
  const r = object("request", value)
  if (r.v !== 1) throw new CryptoError("BAD_INPUT", `"request.v" expected 1`)
  if (r.purpose !== "reset" && r.purpose !== "policy") {
    throw new CryptoError("BAD_INPUT", `"request.purpose" expected "reset" or "policy"`)
  }
  const id = expectString("request.id", r.id, 64)
  if (fromBase64url("request.id", id).length !== 16) {
    throw new CryptoError("BAD_INPUT", `"request.id" expected 16 bytes`)
  }
  const createdAt = expectInteger("request.createdAt", r.createdAt, 0, Number.MAX_SAFE_INTEGER)
  const expiresAt = expectInteger(
    "request.expiresAt",
    r.expiresAt,
    createdAt + 1,
    createdAt + MAX_ESCROW_REQUEST_MS,
  )
  return {
    v: 1,
    id,
    purpose: r.purpose,
    policy: expectInteger("request.policy", r.policy, 1, Number.MAX_SAFE_INTEGER),
    initiator: expectString("request.initiator", r.initiator, 64),
    userId: expectString("request.userId", r.userId, 64),
    username: expectString("request.username", r.username, 200),
    reason: expectString("request.reason", r.reason, 1000),
    ephemeral: expectRecipient("request.ephemeral", r.ephemeral),
    createdAt,
    expiresAt,
  }
}

function object(name: string, value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new CryptoError("BAD_INPUT", `"${name}" expected an object`)
  }
  return value as Record<string, unknown>
}

function sortHolders(holders: readonly EscrowHolder[]): EscrowHolder[] {
  return [...holders].sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0))
}
