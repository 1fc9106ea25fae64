import type { SignedKeyDirectory } from "@sotto/crypto-core"
import type { BodyOf } from "@sotto/protocol/route"
import type { submitTip } from "@sotto/protocol/wb"
import type { RelayContext } from "../context.js"
import { RelayError } from "../errors.js"
import { startDeadlines } from "./deadlines.js"
import { putWrapIn } from "./holderIndex.js"
import { putSubmittedIdentity } from "./identity.js"
import { newId } from "./ids.js"
import type { ContextRecord, TipRecord, UserRecord, WrapRecord } from "./records.js"
import { writeWithUsage } from "./storageUsage.js"
import { DAY, scheduleTipTimers, tipKey, withLock } from "./tips.js"

type Submission = BodyOf<typeof submitTip>

/**
 * Stores a new tip in one batch: the record, the receipt index, one wrap per recipient and the
 * whistleblower's, the expiry and reminder timers, a whistleblower session and the audit entry
 * (actor `wb`, no content). Publishes `tip.created` to the recipients.
 * @returns the tip id, the whistleblower's session token and the expiry time.
 * @throws RelayError NOT_FOUND (`body.contextId`), CONFLICT when the wraps do not match the
 * context's directory and its users' keys (`body.wraps…`) or the receipt is in use
 * (`body.wbAuthVerifier`), VALIDATION when the whistleblower's wrap has several recipients,
 * BUDGET_EXCEEDED when the channel or the node holds all it may.
 */
export async function createTip(
  ctx: RelayContext,
  body: Submission,
): Promise<{ tipId: string; session: string; expiresAt: number }> {
  const context = await ctx.store.get<ContextRecord>("contexts", `c/${body.contextId}`)
  const signed = context
    ? await ctx.store.get<SignedKeyDirectory>("contexts", `d/${context.id}`)
    : undefined
  if (!context || !signed) {
    throw new RelayError("NOT_FOUND", "context not found", "body.contextId")
  }
  await checkWraps(ctx, signed, body.wraps)
  if (body.wbWrap.to.length !== 1) {
    throw new RelayError("VALIDATION", `"body.wbWrap.to" must name one recipient`, "body.wbWrap.to")
  }
  // Two submissions with one receipt must not both pass the check below.
  return withLock(ctx, `receipt:${body.wbAuthVerifier}`, async () => {
    if (await ctx.store.get("tips", `r/${body.wbAuthVerifier}`)) {
      throw new RelayError("CONFLICT", "this receipt is already in use", "body.wbAuthVerifier")
    }
    const now = ctx.clock.now()
    const tipId = newId()
    const expiresAt = now + context.expiryDays * DAY
    const batch = ctx.store.batch()
    const tip: TipRecord = {
      id: tipId,
      contextId: context.id,
      createdAt: now,
      updatedAt: now,
      expiresAt,
      status: "new",
      labels: [],
      answers: body.answers,
      wbAuthVerifier: body.wbAuthVerifier,
      accessCount: 0,
      timerKeys: scheduleTipTimers(batch, tipId, expiresAt, now),
      deadlines: startDeadlines(batch, tipId, context, now),
      usage: { comments: 0, commentBytes: 0, files: 0, fileSlots: 0, fileBytes: 0 },
    }
    batch.put("tips", tipKey(tipId), tip).put("tips", `r/${body.wbAuthVerifier}`, tipId)
    const holders = [...body.wraps, { holder: "wb", wrap: body.wbWrap }]
    for (const { holder, wrap } of holders) {
      const record: WrapRecord = { tipId, holder, wrap, grantedBy: "wb", grantedAt: now }
      putWrapIn(batch, record)
    }
    if (body.identity) {
      await putSubmittedIdentity(ctx, batch, tipId, context, signed, body.identity, now)
    }
    const { token } = ctx.sessions.createIn(batch, { kind: "wb", tipId })
    ctx.audit.add(batch, {
      actor: "wb",
      action: "tip.created",
      target: tipId,
      details: {
        contextId: context.id,
        recipients: body.wraps.length,
        ...(body.identity ? { custodians: body.identity.wraps.length } : {}),
      },
    })
    // Refused past the channel's or the node's budget (507 BUDGET_EXCEEDED), with nothing stored.
    await writeWithUsage(ctx, batch, {
      contextId: context.id,
      bytes: body.answers.length,
      tips: 1,
      enforce: true,
    })
    ctx.events.publish({
      type: "tip.created",
      tipId,
      users: body.wraps.map((w) => w.holder),
      wb: false,
    })
    return { tipId, session: token, expiresAt }
  })
}

/**
 * The wraps must be for exactly the directory's recipients, each sealed to that user's key alone.
 * @throws RelayError CONFLICT naming the field (the browser's directory is stale: reload it).
 */
async function checkWraps(
  ctx: RelayContext,
  signed: SignedKeyDirectory,
  wraps: Submission["wraps"],
): Promise<void> {
  const expected = new Set(signed.directory.recipients.map((e) => e.id))
  const given = new Set(wraps.map((w) => w.holder))
  if (given.size !== wraps.length || given.size !== expected.size) {
    throw new RelayError(
      "CONFLICT",
      "the wraps must be one per recipient of the context; reload its key directory",
      "body.wraps",
    )
  }
  for (const [i, { holder, wrap }] of wraps.entries()) {
    if (!expected.has(holder)) {
      const field = `body.wraps.${i}.holder`
      throw new RelayError("CONFLICT", `"${field}" is not a recipient of this context`, field)
    }
    const user = await ctx.store.get<UserRecord>("users", `u/${holder}`)
    if (wrap.to.length !== 1 || !user?.publicKey || wrap.to[0] !== user.publicKey) {
      const field = `body.wraps.${i}.wrap.to`
      throw new RelayError("CONFLICT", `"${field}" must be exactly that user's public key`, field)
    }
  }
}
