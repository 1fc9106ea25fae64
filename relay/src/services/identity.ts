import type { SignedKeyDirectory, WrappedKey } from "@sotto/crypto-core"
import type { BodyOf } from "@sotto/protocol/route"
import type { submitTip } from "@sotto/protocol/wb"
import type { RelayContext } from "../context.js"
import { RelayError } from "../errors.js"
import { type Batch, prefixRange } from "../store/store.js"
import { newId } from "./ids.js"
import type {
  ContextRecord,
  IdentityRecord,
  IdentityRequestRecord,
  IdentityWrapRecord,
  UserRecord,
} from "./records.js"
import { withTip } from "./tips.js"

// A whistleblower's identity behind a custodian (issue 17, SPEC §6.3). The relay stores the sealed
// identity and the identity-key wraps, and checks who may hold one: the context's custodians from
// the submission, and a recipient only with a custodian's approval. It never makes a wrap: it has
// no key to make one with.

type SubmittedIdentity = NonNullable<BodyOf<typeof submitTip>["identity"]>

export const identityKey = (tipId: string) => `i/${tipId}`
const wrapKey = (tipId: string, holder: string) => `iw/${tipId}/${holder}`
const requestKey = (tipId: string, id: string) => `iq/${tipId}/${id}`
const custodianKey = (userId: string, tipId: string) => `ic/${userId}/${tipId}`

/**
 * Adds a submission's sealed identity to the tip's batch: the part, one wrap per custodian of the
 * context's directory (each sealed to that custodian's key alone) and the custodian index.
 * @throws RelayError VALIDATION (`body.identity`) when the context has no identity field or no
 * custodian; CONFLICT (`body.identity.wraps…`) when the wraps are not exactly the custodians'.
 */
export async function putSubmittedIdentity(
  ctx: RelayContext,
  batch: Batch,
  tipId: string,
  context: ContextRecord,
  signed: SignedKeyDirectory,
  identity: SubmittedIdentity,
  now: number,
): Promise<void> {
  const custodians = signed.directory.custodians ?? []
  if (custodians.length === 0 || !context.questionnaire.some((q) => q.identity)) {
    throw new RelayError(
      "VALIDATION",
      `"body.identity" is only for channels with identity fields and custodians`,
      "body.identity",
    )
  }
  const expected = new Set(custodians.map((c) => c.id))
  const given = new Set(identity.wraps.map((w) => w.holder))
  if (given.size !== identity.wraps.length || given.size !== expected.size) {
    throw new RelayError(
      "CONFLICT",
      "the identity wraps must be one per custodian of the context; reload its key directory",
      "body.identity.wraps",
    )
  }
  for (const [i, { holder, wrap }] of identity.wraps.entries()) {
    const user = expected.has(holder)
      ? await ctx.store.get<UserRecord>("users", `u/${holder}`)
      : undefined
    if (!user?.publicKey || wrap.to.length !== 1 || wrap.to[0] !== user.publicKey) {
      const field = `body.identity.wraps.${i}`
      throw new RelayError(
        "CONFLICT",
        `"${field}" must be sealed to a custodian's key alone`,
        field,
      )
    }
    const record: IdentityWrapRecord = {
      tipId,
      holder,
      role: "custodian",
      wrap,
      grantedBy: "wb",
      grantedAt: now,
    }
    batch.put("tips", wrapKey(tipId, holder), record).put("tips", custodianKey(holder, tipId), 1)
  }
  const record: IdentityRecord = { tipId, age: identity.age, custodians: [...expected] }
  batch.put("tips", identityKey(tipId), record)
}

/** Whether a tip has an identity and, if so, whether any recipient has been given it. */
export async function identityDisclosure(
  ctx: RelayContext,
  tipId: string,
): Promise<{ identityDisclosed?: boolean }> {
  if (!(await ctx.store.get<IdentityRecord>("tips", identityKey(tipId)))) return {}
  const wraps = await identityWraps(ctx, tipId)
  return { identityDisclosed: wraps.some((w) => w.role === "recipient") }
}

/** Every wrap of a tip's identity key. */
export async function identityWraps(ctx: RelayContext, tipId: string) {
  return (await ctx.store.list<IdentityWrapRecord>("tips", prefixRange(`iw/${tipId}/`))).map(
    ([, w]) => w,
  )
}

/** Every identity request on a tip, oldest first. */
export async function identityRequests(ctx: RelayContext, tipId: string) {
  const list = await ctx.store.list<IdentityRequestRecord>("tips", prefixRange(`iq/${tipId}/`))
  return list.map(([, r]) => r).sort((a, b) => a.createdAt - b.createdAt || cmp(a.id, b.id))
}

/**
 * The tip's sealed identity for a staff holder: the part, their own identity-key wrap (only a
 * custodian's or an approved recipient's exists) and the requests.
 * @throws RelayError NOT_FOUND when the tip has no identity.
 */
export async function identityFor(ctx: RelayContext, tipId: string, userId: string) {
  const record = await ctx.store.get<IdentityRecord>("tips", identityKey(tipId))
  if (!record) throw new RelayError("NOT_FOUND", "this tip has no identity")
  const wrap = await ctx.store.get<IdentityWrapRecord>("tips", wrapKey(tipId, userId))
  return {
    age: record.age,
    ...(wrap ? { wrap: sealedView(wrap.wrap) } : {}),
    requests: (await identityRequests(ctx, tipId)).map(requestView),
  }
}

/**
 * Records a recipient's request, its reason sealed to exactly the tip's custodians; audited.
 * @throws RelayError NOT_FOUND without an identity, CONFLICT when the caller holds the identity or
 * has a request pending, VALIDATION (`body.reason.to`) for other addressees.
 */
export function requestIdentityFor(
  ctx: RelayContext,
  tipId: string,
  userId: string,
  reason: WrappedKey,
): Promise<IdentityRequestRecord> {
  return withTip(ctx, tipId, async () => {
    const record = await ctx.store.get<IdentityRecord>("tips", identityKey(tipId))
    if (!record) throw new RelayError("NOT_FOUND", "this tip has no identity")
    if (await ctx.store.get("tips", wrapKey(tipId, userId))) {
      throw new RelayError("CONFLICT", "you can already read this identity")
    }
    const requests = await identityRequests(ctx, tipId)
    if (requests.some((r) => r.requester === userId && r.state === "pending")) {
      throw new RelayError("CONFLICT", "your request is waiting for a custodian's decision")
    }
    if (requests.length >= MAX_REQUESTS_PER_TIP) {
      throw new RelayError("CONFLICT", `this tip already has ${MAX_REQUESTS_PER_TIP} requests`)
    }
    const keys = new Set<string>()
    for (const id of record.custodians) {
      const user = await ctx.store.get<UserRecord>("users", `u/${id}`)
      if (user?.publicKey) keys.add(user.publicKey)
    }
    if (reason.to.length !== keys.size || !reason.to.every((r) => keys.has(r))) {
      throw new RelayError(
        "VALIDATION",
        `"body.reason.to" must be exactly the tip's custodians' keys`,
        "body.reason.to",
      )
    }
    const request: IdentityRequestRecord = {
      id: newId(),
      tipId,
      requester: userId,
      reason,
      createdAt: ctx.clock.now(),
      state: "pending",
    }
    const batch = ctx.store.batch().put("tips", requestKey(tipId, request.id), request)
    ctx.audit.add(batch, {
      actor: userId,
      action: "identity.requested",
      target: tipId,
      details: { requestId: request.id },
    })
    await batch.write()
    return request
  })
}

/**
 * A custodian's decision. An approval stores the wrap the custodian's browser made, which must be
 * sealed to exactly the requester's key; audited either way.
 * @throws RelayError NOT_FOUND unless the caller is a custodian of the tip and the request exists,
 * CONFLICT when it was decided, VALIDATION (`body.wrap`) for a missing, extra or misaddressed wrap.
 */
export function decideIdentityRequestFor(
  ctx: RelayContext,
  tipId: string,
  requestId: string,
  custodian: string,
  decision: { approve: boolean; wrap?: WrappedKey | undefined },
): Promise<IdentityRequestRecord> {
  return withTip(ctx, tipId, async () => {
    const mine = await ctx.store.get<IdentityWrapRecord>("tips", wrapKey(tipId, custodian))
    const request = await ctx.store.get<IdentityRequestRecord>("tips", requestKey(tipId, requestId))
    if (mine?.role !== "custodian" || !request) {
      throw new RelayError("NOT_FOUND", "no such identity request for you")
    }
    if (request.state !== "pending") {
      throw new RelayError("CONFLICT", `this request was already ${request.state}`)
    }
    const now = ctx.clock.now()
    const batch = ctx.store.batch()
    if (decision.approve) {
      const requester = await ctx.store.get<UserRecord>("users", `u/${request.requester}`)
      const wrap = decision.wrap
      if (
        !wrap ||
        !requester?.publicKey ||
        wrap.to.length !== 1 ||
        wrap.to[0] !== requester.publicKey
      ) {
        throw new RelayError(
          "VALIDATION",
          `"body.wrap" must be an identity-key wrap sealed to exactly the requester's key`,
          "body.wrap",
        )
      }
      const record: IdentityWrapRecord = {
        tipId,
        holder: request.requester,
        role: "recipient",
        wrap,
        grantedBy: custodian,
        grantedAt: now,
        requestId,
      }
      batch.put("tips", wrapKey(tipId, request.requester), record)
    } else if (decision.wrap) {
      throw new RelayError("VALIDATION", `"body.wrap" is only for an approval`, "body.wrap")
    }
    const decided: IdentityRequestRecord = {
      ...request,
      state: decision.approve ? "approved" : "refused",
      decidedBy: custodian,
      decidedAt: now,
    }
    batch.put("tips", requestKey(tipId, requestId), decided)
    ctx.audit.add(batch, {
      actor: custodian,
      action: decision.approve ? "identity.approved" : "identity.refused",
      target: tipId,
      details: { requestId, requester: request.requester },
    })
    await batch.write()
    return decided
  })
}

/** The requests on the tips a custodian keeps the identity of, newest first, with their wraps. */
export async function requestsForCustodian(ctx: RelayContext, custodian: string) {
  const prefix = `ic/${custodian}/`
  const out = []
  for (const key of await ctx.store.keys("tips", prefixRange(prefix))) {
    const tipId = key.slice(prefix.length)
    const mine = await ctx.store.get<IdentityWrapRecord>("tips", wrapKey(tipId, custodian))
    const tip = await ctx.store.get<{ contextId: string }>("tips", `t/${tipId}`)
    if (!mine || !tip) continue
    for (const r of await identityRequests(ctx, tipId)) {
      out.push({
        ...requestView(r),
        contextId: tip.contextId,
        custodianWrap: sealedView(mine.wrap),
      })
    }
  }
  return out.sort((a, b) => b.createdAt - a.createdAt)
}

/** Deletes a tip's identity, its wraps, requests and index entries (the wipe). */
export async function wipeIdentityIn(ctx: RelayContext, batch: Batch, tipId: string) {
  const record = await ctx.store.get<IdentityRecord>("tips", identityKey(tipId))
  if (!record) return
  batch.del("tips", identityKey(tipId))
  for (const key of await ctx.store.keys("tips", prefixRange(`iw/${tipId}/`)))
    batch.del("tips", key)
  for (const key of await ctx.store.keys("tips", prefixRange(`iq/${tipId}/`)))
    batch.del("tips", key)
  for (const id of record.custodians) batch.del("tips", custodianKey(id, tipId))
}

/** Requests one tip may collect (each holds a small sealed reason). */
export const MAX_REQUESTS_PER_TIP = 100

function requestView(r: IdentityRequestRecord) {
  return {
    id: r.id,
    tipId: r.tipId,
    requester: r.requester,
    reason: sealedView(r.reason),
    createdAt: r.createdAt,
    state: r.state,
    ...(r.decidedBy === undefined ? {} : { decidedBy: r.decidedBy }),
    ...(r.decidedAt === undefined ? {} : { decidedAt: r.decidedAt }),
  }
}

function sealedView(w: WrappedKey) {
  return { ...w, to: [...w.to] }
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
