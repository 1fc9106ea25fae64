import { authVerifier, fromBase64url, toBase64url } from "@sotto/crypto-core"
import { MAX_COMMENTS } from "@sotto/protocol/tipSchemas"
import { addWbComment, getPow, getWbTip, submitTip, wbLogin } from "@sotto/protocol/wb"
import type { RouteGroup } from "../context.js"
import { RelayError } from "../errors.js"
import { bind } from "../http/router.js"
import { diskGuard } from "../services/diskGuard.js"
import { identityDisclosure } from "../services/identity.js"
import { DEFAULT_POW_DIFFICULTY, requireNode } from "../services/nodeSettings.js"
import { oprfGuard } from "../services/oprfGuard.js"
import { clampBits, powGate } from "../services/pow.js"
import { receiptGuard } from "../services/receiptGuard.js"
import type { NodeSettings, TipRecord, WrapRecord } from "../services/records.js"
import { requireBudget } from "../services/storageUsage.js"
import { createTip } from "../services/tipSubmission.js"
import {
  addComment,
  objectsOf,
  requireWbTip,
  staffHolders,
  tipKey,
  withTip,
} from "../services/tips.js"
import { tipSummary } from "../services/tipViews.js"

/** Handlers of the whistleblower side: PoW, submission, receipt login, reading and commenting. */
export const wbRoutes: RouteGroup = (ctx) => [
  bind(getPow, async ({ query }) => {
    if (query.for === "oprfEvaluate") {
      // Also before setup: the first admin's password is evaluated too (services/oprfGuard.ts).
      const node = await ctx.store.get<NodeSettings>("settings", "node")
      const base = node?.powDifficulty ?? DEFAULT_POW_DIFFICULTY
      return powGate(ctx).issue(base, await oprfGuard(ctx).extraBits(), node?.manifest.body.pow)
    }
    const node = await requireNode(ctx.store)
    // A receipt login costs more while receipts are being guessed (services/receiptGuard.ts).
    const extra = query.for === "wbLogin" ? await receiptGuard(ctx).extraBits() : 0
    return powGate(ctx).issue(node.powDifficulty, extra, node.manifest.body.pow)
  }),

  bind(submitTip, async ({ body }) => {
    // Refused before the proof is spent: the whistleblower can retry it once there is room.
    await diskGuard(ctx).requireRoom()
    await requireBudget(ctx, body.contextId, body.answers.length)
    const { pow, ...paidFor } = body
    await powGate(ctx).redeem(pow, submitTip.id, paidFor)
    return createTip(ctx, body)
  }),

  bind(wbLogin, async ({ body }) => {
    const guard = receiptGuard(ctx)
    const authKey = decodeKey(body.authKey)
    const { pow, ...paidFor } = body
    const node = await requireNode(ctx.store)
    // One step of slack: a proof solved while the price rose once is still taken.
    const required = Math.max(0, (await guard.extraBits()) - guard.policy.stepBits)
    const floor = clampBits(node.powDifficulty + required, node.manifest.body.pow)
    await powGate(ctx).redeem(pow, wbLogin.id, paidFor, floor)
    const verifier = toBase64url(authVerifier(authKey))
    const tipId = await ctx.store.get<string>("tips", `r/${verifier}`)
    const tip = tipId ? await ctx.store.get<TipRecord>("tips", tipKey(tipId)) : undefined
    if (!tip) {
      await guard.fail()
      throw new RelayError("WRONG_CREDENTIALS", "no tip has this receipt")
    }
    const batch = ctx.store.batch()
    const { token } = ctx.sessions.createIn(batch, { kind: "wb", tipId: tip.id })
    ctx.audit.add(batch, { actor: "wb", action: "wb.login", target: tip.id })
    await batch.write()
    return { session: token, tipId: tip.id }
  }),

  bind(getWbTip, async ({ session }) => {
    const tipId = session?.kind === "wb" ? session.tipId : ""
    const tip = await withTip(ctx, tipId, async () => {
      const current = await requireWbTip(ctx, session)
      const touched = { ...current, wbLastAccessAt: ctx.clock.now() }
      await ctx.store.put("tips", tipKey(current.id), touched)
      return touched
    })
    const wrap = await ctx.store.require<WrapRecord>("wraps", `${tip.id}/wb`, "tip")
    const { comments, files } = await objectsOf(ctx, tip.id)
    return {
      tip: {
        id: tip.id,
        contextId: tip.contextId,
        createdAt: tip.createdAt,
        updatedAt: tip.updatedAt,
        expiresAt: tip.expiresAt,
        status: tip.status,
        ...(tip.deadlines?.acknowledgedAt === undefined
          ? {}
          : { acknowledgedAt: tip.deadlines.acknowledgedAt }),
        ...(await identityDisclosure(ctx, tip.id)),
      },
      answers: tip.answers,
      wbWrap: { ...wrap.wrap, to: [...wrap.wrap.to] },
      comments: comments.map((c) => ({
        id: c.id,
        author: c.author === "wb" ? ("wb" as const) : ("recipient" as const),
        createdAt: c.createdAt,
        age: c.age,
      })),
      files: files.map((f) => ({
        id: f.id,
        createdAt: f.createdAt,
        size: f.size,
        meta: f.meta,
        complete: f.complete,
      })),
    }
  }),

  bind(addWbComment, async ({ body, session }) => {
    const tip = await requireWbTip(ctx, session)
    await diskGuard(ctx).requireRoom()
    const { comment, tip: next } = await addComment(ctx, tip.id, "wb", body.age, MAX_COMMENTS)
    ctx.events.publish({
      type: "comment.created",
      tipId: tip.id,
      users: await staffHolders(ctx, tip.id),
      wb: false,
      tip: await tipSummary(ctx, next),
    })
    return { id: comment.id, author: "wb" as const, createdAt: comment.createdAt, age: comment.age }
  }),
]

// The schema admits 43 base64url characters; the last one must also leave no stray bits.
function decodeKey(text: string): Uint8Array {
  try {
    return fromBase64url("authKey", text)
  } catch {
    throw new RelayError("VALIDATION", `"body.authKey" is not canonical base64url`, "body.authKey")
  }
}
