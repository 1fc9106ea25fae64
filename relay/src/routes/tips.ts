import { MAX_COMMENTS } from "@sotto/protocol/tipSchemas"
import {
  addTipComment,
  deleteTip,
  getTip,
  grantAccess,
  listTips,
  postponeTip,
  revokeAccess,
  updateTip,
} from "@sotto/protocol/tips"
import type { RelayContext, RouteGroup } from "../context.js"
import { RelayError } from "../errors.js"
import { bind } from "../http/router.js"
import {
  applyStaffAction,
  contextOf,
  nextDeadline,
  type StaffAction,
} from "../services/deadlines.js"
import { heldTipIds } from "../services/holderIndex.js"
import type { TipRecord } from "../services/records.js"
import { grantWrap, postpone, revokeWrap } from "../services/tipAccess.js"
import { requireTipManager } from "../services/tipPolicy.js"
import {
  addComment,
  countUsage,
  objectsOf,
  requireHeldTip,
  staffHolders,
  tipKey,
  withTip,
  wrapsOf,
} from "../services/tips.js"
import { wipeTip } from "../services/tipWipe.js"

/** Handlers of the staff side of tips: every route needs a wrap of the tip (else 404). */
export const tipsRoutes: RouteGroup = (ctx) => [
  bind(listTips, async ({ session }) => {
    const userId = session?.kind === "staff" ? session.userId : ""
    // The caller's own tips from the holder index, counts from beside each record: the work is
    // proportional to this inbox, never to the node's other tips or anyone's comments.
    const tips = []
    for (const tipId of await heldTipIds(ctx.store, userId)) {
      const tip = await ctx.store.get<TipRecord>("tips", tipKey(tipId))
      if (!tip) continue
      const usage =
        tip.usage?.files === undefined ? await countUsage(ctx, tip.id) : { ...tip.usage }
      tips.push({
        ...tipFields(tip),
        ...deadlineFields(tip, ctx.clock.now()),
        comments: usage.comments,
        files: usage.files ?? 0,
        ...wbLastAccess(tip),
      })
    }
    return { tips: tips.sort((a, b) => b.createdAt - a.createdAt) }
  }),

  bind(getTip, async ({ params, session }) => {
    const { wrap } = await requireHeldTip(ctx, session, params.tipId)
    const tip = await withTip(ctx, params.tipId, async () => {
      const { tip: current } = await requireHeldTip(ctx, session, params.tipId)
      const counted = { ...current, accessCount: current.accessCount + 1 }
      await ctx.store.put("tips", tipKey(current.id), counted)
      return counted
    })
    const { comments, files } = await objectsOf(ctx, tip.id)
    const holders = (await wrapsOf(ctx, tip.id)).filter((w) => w.holder !== "wb")
    return {
      tip: { ...tipView(tip), ...deadlineFields(tip, ctx.clock.now()) },
      wrap: { ...wrap.wrap, to: [...wrap.wrap.to] },
      answers: tip.answers,
      comments: comments.map(({ id, author, createdAt, age }) => ({ id, author, createdAt, age })),
      files: files.map(({ id, author, createdAt, size, meta, complete }) => {
        return { id, author, createdAt, size, meta, complete }
      }),
      holders: holders.map((w) => ({ userId: w.holder, grantedAt: w.grantedAt })),
    }
  }),

  bind(addTipComment, async ({ params, body, session }) => {
    const { userId } = await requireHeldTip(ctx, session, params.tipId)
    const comment = await addComment(ctx, params.tipId, userId, body.age, MAX_COMMENTS)
    await publish(ctx, "comment.created", params.tipId, true)
    const { id, author, createdAt, age } = comment
    return { id, author, createdAt, age }
  }),

  bind(updateTip, async ({ params, body, session }) => {
    const { userId } = await requireHeldTip(ctx, session, params.tipId)
    if (body.status === undefined && body.labels === undefined) {
      throw new RelayError("VALIDATION", `"body" must set status or labels`, "body")
    }
    const tip = await withTip(ctx, params.tipId, async () => {
      const current = await ctx.store.require<TipRecord>("tips", tipKey(params.tipId), "tip")
      const now = ctx.clock.now()
      const batch = ctx.store.batch()
      // A real status change can acknowledge the tip; closing it gives feedback (deadlines.ts).
      const changed = body.status !== undefined && body.status !== current.status
      const met = changed
        ? applyStaffAction(batch, current, await contextOf(ctx, current), statusAction(body), now)
        : current
      const next: TipRecord = {
        ...met,
        ...(body.status === undefined ? {} : { status: body.status }),
        ...(body.labels === undefined ? {} : { labels: body.labels }),
        updatedAt: now,
      }
      batch.put("tips", tipKey(next.id), next)
      ctx.audit.add(batch, {
        actor: userId,
        action: "tip.updated",
        target: next.id,
        details: { status: next.status, labels: next.labels.length },
      })
      await batch.write()
      return next
    })
    await publish(ctx, "tip.updated", tip.id, false)
    return { ...tipView(tip), ...deadlineFields(tip, ctx.clock.now()) }
  }),

  bind(grantAccess, async ({ params, body, session }) => {
    const { userId } = await requireHeldTip(ctx, session, params.tipId)
    return grantWrap(ctx, params.tipId, params.userId, body.wrap, userId)
  }),

  bind(revokeAccess, async ({ params, session }) => {
    // Leaving a tip is always allowed; revoking someone else follows the node's tip policy.
    const self = session?.kind === "staff" && session.userId === params.userId
    const userId = self
      ? (await requireHeldTip(ctx, session, params.tipId)).userId
      : await requireTipManager(ctx, session, params.tipId, "revoke other holders' access")
    await revokeWrap(ctx, params.tipId, params.userId, userId)
    return { ok: true as const }
  }),

  bind(postponeTip, async ({ params, body, session }) => {
    const { userId } = await requireHeldTip(ctx, session, params.tipId)
    const expiresAt = await postpone(ctx, params.tipId, body.days, userId)
    await publish(ctx, "tip.updated", params.tipId, false)
    return { expiresAt }
  }),

  bind(deleteTip, async ({ params, session }) => {
    const userId = await requireTipManager(ctx, session, params.tipId, "delete tips")
    if (!(await wipeTip(ctx, params.tipId, userId)))
      throw new RelayError("NOT_FOUND", "tip not found")
    return { ok: true as const }
  }),
]

function tipView(tip: TipRecord) {
  return { ...tipFields(tip), accessCount: tip.accessCount, ...wbLastAccess(tip) }
}

/** The fields every staff view of a tip starts with (`TipView`, `TipSummary`). */
function tipFields(tip: TipRecord) {
  return {
    id: tip.id,
    contextId: tip.contextId,
    createdAt: tip.createdAt,
    updatedAt: tip.updatedAt,
    expiresAt: tip.expiresAt,
    status: tip.status,
    labels: [...tip.labels],
  }
}

/** The next open deadline (overdue by the relay's clock) and when each was met, if it was. */
function deadlineFields(tip: TipRecord, now: number) {
  const next = nextDeadline(tip, now)
  const d = tip.deadlines
  return {
    ...(next ? { deadline: next } : {}),
    ...(d?.acknowledgedAt === undefined ? {} : { acknowledgedAt: d.acknowledgedAt }),
    ...(d?.feedbackAt === undefined ? {} : { feedbackAt: d.feedbackAt }),
  }
}

function statusAction(body: { status?: string }): StaffAction {
  return { kind: "status", status: body.status ?? "" }
}

/** `wbLastAccessAt`, only once the whistleblower has been back. */
function wbLastAccess(tip: TipRecord) {
  return tip.wbLastAccessAt === undefined ? {} : { wbLastAccessAt: tip.wbLastAccessAt }
}

/** Tells the tip's staff holders (and the whistleblower, when `wb`) that something changed. */
async function publish(
  ctx: RelayContext,
  type: "comment.created" | "tip.updated",
  tipId: string,
  wb: boolean,
): Promise<void> {
  ctx.events.publish({ type, tipId, users: await staffHolders(ctx, tipId), wb })
}
