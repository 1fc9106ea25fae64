import { MAX_COMMENTS } from "@sotto/protocol/tipSchemas"
import {
  addTipComment,
  deleteTip,
  getTip,
  grantAccess,
  listTips,
  postponeTip,
  revokeAccess,
  TIPS_PAGE,
  updateTip,
} from "@sotto/protocol/tips"
import type { RelayContext, RouteGroup } from "../context.js"
import { RelayError } from "../errors.js"
import { bind } from "../http/router.js"
import { applyStaffAction, contextOf, type StaffAction } from "../services/deadlines.js"
import { type HeldTip, heldTipsPage } from "../services/holderIndex.js"
import type { TipRecord } from "../services/records.js"
import { grantWrap, postpone, revokeWrap } from "../services/tipAccess.js"
import { countTipChange } from "../services/tipCounters.js"
import { requireTipManager } from "../services/tipPolicy.js"
import {
  addComment,
  objectsOf,
  requireHeldTip,
  staffHolders,
  tipKey,
  withTip,
  wrapsOf,
} from "../services/tips.js"
import { deadlineFields, tipSummary, tipView } from "../services/tipViews.js"
import { wipeTip } from "../services/tipWipe.js"

/** Handlers of the staff side of tips: every route needs a wrap of the tip (else 404). */
export const tipsRoutes: RouteGroup = (ctx) => [
  bind(listTips, async ({ session, query }) => {
    const userId = session?.kind === "staff" ? session.userId : ""
    // One page of the caller's own tips from the holder index (keyed by time), then one getMany
    // of those records, counts from beside each: the work is proportional to the page, never to
    // the node's other tips, the rest of this inbox or anyone's comments.
    const after = query.cursor === undefined ? undefined : parseCursor(query.cursor)
    const { page, more } = await heldTipsPage(ctx.store, userId, query.limit ?? TIPS_PAGE, after)
    const records = await ctx.store.getMany<TipRecord>(
      "tips",
      page.map((h) => tipKey(h.tipId)),
    )
    const tips = []
    for (const tip of records) if (tip) tips.push(await tipSummary(ctx, tip))
    const last = page.at(-1)
    return { tips, ...(more && last ? { next: `${last.createdAt}.${last.tipId}` } : {}) }
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
    const { comment, tip } = await addComment(ctx, params.tipId, userId, body.age, MAX_COMMENTS)
    await publish(ctx, "comment.created", tip, true)
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
      countTipChange(batch, current, next)
      ctx.audit.add(batch, {
        actor: userId,
        action: "tip.updated",
        target: next.id,
        details: { status: next.status, labels: next.labels.length },
      })
      await batch.write()
      return next
    })
    await publish(ctx, "tip.updated", tip, false)
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
    const { expiresAt, tip } = await postpone(ctx, params.tipId, body.days, userId)
    await publish(ctx, "tip.updated", tip, false)
    return { expiresAt }
  }),

  bind(deleteTip, async ({ params, session }) => {
    const userId = await requireTipManager(ctx, session, params.tipId, "delete tips")
    if (!(await wipeTip(ctx, params.tipId, userId)))
      throw new RelayError("NOT_FOUND", "tip not found")
    return { ok: true as const }
  }),
]

/** The index entry a `cursor` names. */
function parseCursor(cursor: string): HeldTip {
  const dot = cursor.indexOf(".")
  return { createdAt: Number(cursor.slice(0, dot)), tipId: cursor.slice(dot + 1) }
}

function statusAction(body: { status?: string }): StaffAction {
  return { kind: "status", status: body.status ?? "" }
}

/** Tells the tip's staff holders (and the whistleblower, when `wb`) what changed. */
async function publish(
  ctx: RelayContext,
  type: "comment.created" | "tip.updated",
  tip: TipRecord,
  wb: boolean,
): Promise<void> {
  const users = await staffHolders(ctx, tip.id)
  ctx.events.publish({ type, tipId: tip.id, users, wb, tip: await tipSummary(ctx, tip) })
}
