import {
  approveEscrowRequest,
  completeEscrowRequest,
  createEscrowRequest,
  getEscrowPolicy,
  listEscrowRequests,
  putEscrowPolicy,
  refuseEscrowRequest,
} from "@sotto/protocol/escrowQuorum"
import type { RelayContext } from "../context.js"
import { RelayError } from "../errors.js"
import { type BoundRoute, bind } from "../http/router.js"
import { checkWrap } from "../services/accountChecks.js"
import {
  checkPolicy,
  checkRequest,
  type EscrowRequestRecord,
  getShare,
  listRequests,
  putPolicy,
  putRequest,
  quorumPolicy,
  replaceShares,
  requireOpen,
  requireRequest,
  storedPolicy,
} from "../services/escrowQuorum.js"
import { addEscrowReset } from "../services/escrowReset.js"
import { requireNode } from "../services/nodeSettings.js"
import { staffSession, wireWrap, withReauth } from "../services/staffAuth.js"
import * as users from "../services/users.js"

const LIST_DAYS_MS = 30 * 24 * 3600_000

/**
 * k-of-n escrow (crypto-core SPEC §4.1): the signed policy, holders' shares, and reset requests
 * approved by k holders. Every change re-authenticates the admin (except a refusal, which only
 * closes a request) and is audited.
 */
export function escrowQuorumRoutes(ctx: RelayContext, lock: users.Serial): BoundRoute[] {
  const { store } = ctx
  return [
    bind(getEscrowPolicy, async ({ session }) => {
      const admin = staffSession(session)
      const policy = await storedPolicy(store)
      const share = policy ? await getShare(store, admin.userId) : undefined
      const wire = policy && {
        ...policy,
        body: { ...policy.body, holders: [...policy.body.holders] },
      }
      return { policy: wire ?? null, ...(share ? { share: wireWrap(share) } : {}) }
    }),

    bind(putEscrowPolicy, ({ body, session }) => {
      const admin = staffSession(session)
      return withReauth(ctx, lock, admin.userId, body.currentAuthKey, async () => {
        const node = await requireNode(store)
        if (!node.escrow.enabled) {
          throw new RelayError("CONFLICT", "this node runs without escrow")
        }
        const current = await storedPolicy(store)
        const policy = checkPolicy(body.policy, node, current)
        // Every holder must be an enabled admin whose published keys the policy names.
        for (const [i, h] of policy.holders.entries()) {
          const user = await users.getUser(store, h.userId)
          if (user?.role !== "admin" || user.disabled) {
            throw invalid(`body.policy.body.holders.${i}.userId`, "must be an enabled admin")
          }
          if (user.publicKey !== h.recipient || user.signer !== h.signer) {
            throw invalid(`body.policy.body.holders.${i}`, "must name this admin's published keys")
          }
        }
        const split = policy.threshold >= 2
        const given = (split ? body.shares : body.wraps) ?? []
        const field = split ? "body.shares" : "body.wraps"
        if ((split ? body.wraps : body.shares) !== undefined) {
          throw invalid(split ? "body.wraps" : "body.shares", "must be absent for this threshold")
        }
        // Leaving a split (for 1-of-n or another split) takes the whole key, which only k approvals
        // of a policy request give; without them one admin could replace the shares with garbage.
        const leaving = current !== undefined && current.body.threshold >= 2
        if (leaving) await consumePolicyRequest(body.requestId)
        if (
          given.length !== policy.holders.length ||
          new Set(given.map((g) => g.userId)).size !== given.length
        ) {
          throw invalid(field, "must hold exactly one entry per holder")
        }
        for (const [i, g] of given.entries()) {
          const holder = policy.holders.find((h) => h.userId === g.userId)
          if (!holder) throw invalid(`${field}.${i}.userId`, "must be a holder of the policy")
          checkWrap(`${field}.${i}.sealed`, g.sealed, holder.recipient)
        }
        const batch = store.batch()
        putPolicy(batch, body.policy)
        await replaceShares(store, batch, split ? given : [])
        // 1-of-n wraps go when the key is split (SPEC §4.1: a copy kept elsewhere still opens).
        let removedWraps = 0
        for (const user of await users.listUsers(store)) {
          const wrap = split ? undefined : given.find((g) => g.userId === user.id)?.sealed
          if (!wrap && !user.escrowWrap) continue
          const { escrowWrap: old, ...rest } = user
          if (old && split) removedWraps++
          users.putUser(batch, wrap ? { ...rest, escrowWrap: wrap } : rest)
        }
        if (leaving && body.requestId) {
          const record = await requireRequest(store, body.requestId)
          putRequest(batch, { ...record, status: "completed" })
        }
        ctx.audit.add(batch, {
          actor: admin.userId,
          action: "escrow.policy",
          details: {
            version: policy.version,
            threshold: policy.threshold,
            holders: policy.holders.length,
            removedWraps,
          },
        })
        await batch.write()
        return { ok: true as const }
      })
    }),

    bind(createEscrowRequest, ({ body, session }) => {
      const admin = staffSession(session)
      return withReauth(ctx, lock, admin.userId, body.currentAuthKey, async () => {
        const policy = await quorumPolicy(store)
        if (!policy) {
          throw new RelayError("CONFLICT", "the escrow key is not split: reset directly")
        }
        if (!policy.holders.some((h) => h.userId === admin.userId)) {
          throw new RelayError("FORBIDDEN", "only a holder of an escrow share can ask")
        }
        if (body.request.body.initiator !== admin.userId) {
          throw invalid("body.request.body.initiator", "must be you")
        }
        const request = checkRequest(body.request, policy, ctx.clock.now())
        const target = await users.getUser(store, request.userId)
        if (!target || target.username !== request.username) {
          throw invalid("body.request.body.userId", "must name an account and its username")
        }
        if (request.purpose === "policy" && request.userId !== admin.userId) {
          throw invalid("body.request.body.userId", "must be you for a policy change")
        }
        if ((await store.get("settings", `escrowRequest/${request.id}`)) !== undefined) {
          throw new RelayError("CONFLICT", "this request id is taken", "body.request.body.id")
        }
        const batch = store.batch()
        putRequest(batch, { request: body.request, status: "open", approvals: [] })
        ctx.audit.add(batch, {
          actor: admin.userId,
          action: "escrow.request",
          target: request.userId,
          details: { request: request.id, purpose: request.purpose, threshold: policy.threshold },
        })
        await batch.write()
        return { id: request.id }
      })
    }),

    bind(listEscrowRequests, async ({ session }) => {
      const admin = staffSession(session)
      const now = ctx.clock.now()
      const records = (await listRequests(store))
        .filter((r) => r.request.body.createdAt > now - LIST_DAYS_MS)
        .sort((a, b) => b.request.body.createdAt - a.request.body.createdAt)
      return {
        requests: records.map((r) => ({
          request: r.request,
          status:
            r.status === "open" && now >= r.request.body.expiresAt
              ? ("expired" as const)
              : r.status,
          approvedBy: r.approvals.map((a) => a.userId),
          ...(r.refusedBy ? { refusedBy: r.refusedBy } : {}),
          ...(r.request.body.initiator === admin.userId
            ? {
                approvals: r.approvals.map((a) => ({
                  userId: a.userId,
                  sealed: wireWrap(a.sealed),
                })),
              }
            : {}),
        })),
      }
    }),

    bind(approveEscrowRequest, ({ params, body, session }) => {
      const admin = staffSession(session)
      return withReauth(ctx, lock, admin.userId, body.currentAuthKey, async () => {
        const record = await requireRequest(store, params.requestId)
        requireOpen(record, ctx.clock.now())
        const policy = await requirePolicyOf(record)
        if (!policy.holders.some((h) => h.userId === admin.userId)) {
          throw new RelayError("FORBIDDEN", "only a holder of an escrow share can approve")
        }
        if (record.approvals.some((a) => a.userId === admin.userId)) {
          throw new RelayError("CONFLICT", "you have already approved this request")
        }
        checkWrap("body.approval", body.approval, record.request.body.ephemeral)
        const approvals = [...record.approvals, { userId: admin.userId, sealed: body.approval }]
        const batch = store.batch()
        putRequest(batch, { ...record, approvals })
        ctx.audit.add(batch, {
          actor: admin.userId,
          action: "escrow.approve",
          target: record.request.body.userId,
          details: {
            request: record.request.body.id,
            approvals: approvals.length,
            threshold: policy.threshold,
          },
        })
        await batch.write()
        return { approvals: approvals.length, threshold: policy.threshold }
      })
    }),

    bind(refuseEscrowRequest, ({ params, session }) => {
      const admin = staffSession(session)
      return lock(async () => {
        const record = await requireRequest(store, params.requestId)
        requireOpen(record, ctx.clock.now())
        const policy = await requirePolicyOf(record)
        if (!policy.holders.some((h) => h.userId === admin.userId)) {
          throw new RelayError("FORBIDDEN", "only a holder of an escrow share can refuse")
        }
        const batch = store.batch()
        putRequest(batch, { ...record, status: "refused", refusedBy: admin.userId })
        ctx.audit.add(batch, {
          actor: admin.userId,
          action: "escrow.refuse",
          target: record.request.body.userId,
          details: { request: record.request.body.id },
        })
        await batch.write()
        return { ok: true as const }
      })
    }),

    bind(completeEscrowRequest, ({ params, body, session }) => {
      const admin = staffSession(session)
      return withReauth(ctx, lock, admin.userId, body.currentAuthKey, async () => {
        const record = await requireRequest(store, params.requestId)
        requireOpen(record, ctx.clock.now())
        const request = record.request.body
        if (request.initiator !== admin.userId) {
          throw new RelayError("FORBIDDEN", "only the admin who asked can complete the request")
        }
        if (request.purpose !== "reset") {
          throw new RelayError("CONFLICT", "a policy request completes with the new policy")
        }
        const policy = await requirePolicyOf(record)
        requireApprovals(record, policy.threshold)
        const { currentAuthKey: _key, ...reset } = body
        const batch = store.batch()
        await addEscrowReset(ctx, batch, admin.userId, request.userId, reset, {
          request: request.id,
          approvedBy: record.approvals.map((a) => a.userId).join(","),
        })
        putRequest(batch, { ...record, status: "completed" })
        await batch.write()
        return { ok: true as const }
      })
    }),
  ]

  async function requirePolicyOf(record: EscrowRequestRecord) {
    const policy = await quorumPolicy(store)
    if (!policy || policy.version !== record.request.body.policy) {
      throw new RelayError("CONFLICT", "the escrow policy changed since this request was made")
    }
    return policy
  }

  async function consumePolicyRequest(requestId: string | undefined) {
    if (requestId === undefined) {
      throw invalid("body.requestId", "is required: leaving k-of-n needs an approved request")
    }
    const record = await requireRequest(store, requestId)
    requireOpen(record, ctx.clock.now())
    if (record.request.body.purpose !== "policy") {
      throw invalid("body.requestId", "must be a policy request")
    }
    requireApprovals(record, (await requirePolicyOf(record)).threshold)
  }
}

function requireApprovals(record: EscrowRequestRecord, threshold: number): void {
  if (record.approvals.length < threshold) {
    throw new RelayError(
      "CONFLICT",
      `this request has ${record.approvals.length} of the ${threshold} approvals it needs`,
    )
  }
}

function invalid(field: string, why: string): RelayError {
  return new RelayError("VALIDATION", `"${field}" ${why}`, field)
}
