import type { WrappedKey } from "@sotto/crypto-core"
import type { RelayContext } from "../context.js"
import { RelayError } from "../errors.js"
import { delWrapIn, putWrapIn } from "./holderIndex.js"
import type { TipRecord, UserRecord, WrapRecord } from "./records.js"
import { timers } from "./timers.js"
import { DAY, scheduleTipTimers, staffHolders, tipKey, withTip } from "./tips.js"
import { tipSummary } from "./tipViews.js"

// Who may read a tip (adding and deleting wraps) and how long it lives (postponing its expiry).
// The caller has already been checked to hold a wrap of the tip.

/**
 * Adds `userId`'s wrap, made in the granting holder's browser, audited in the same batch; notifies
 * every staff holder, the new one included (`access.changed`).
 * @returns the new holder and when access was granted.
 * @throws RelayError NOT_FOUND (`params.userId`) for an unknown or disabled user, VALIDATION
 * (`body.wrap.to`) unless the wrap is sealed to exactly that user's public key, CONFLICT when they
 * already hold a wrap.
 */
export function grantWrap(
  ctx: RelayContext,
  tipId: string,
  userId: string,
  wrap: WrappedKey,
  actor: string,
): Promise<{ userId: string; grantedAt: number }> {
  return withTip(ctx, tipId, async () => {
    const user = await ctx.store.get<UserRecord>("users", `u/${userId}`)
    if (!user || user.disabled) {
      throw new RelayError("NOT_FOUND", "no such active user", "params.userId")
    }
    if (!user.publicKey || wrap.to.length !== 1 || wrap.to[0] !== user.publicKey) {
      throw new RelayError(
        "VALIDATION",
        `"body.wrap.to" must be exactly that user's public key`,
        "body.wrap.to",
      )
    }
    const tip = await ctx.store.require<TipRecord>("tips", tipKey(tipId), "tip")
    if (await ctx.store.get("wraps", `${tipId}/${userId}`)) {
      throw new RelayError("CONFLICT", "this user already has access", "params.userId")
    }
    const grantedAt = ctx.clock.now()
    const record: WrapRecord = { tipId, holder: userId, wrap, grantedBy: actor, grantedAt }
    const batch = ctx.store.batch()
    putWrapIn(batch, record, tip.createdAt)
    ctx.audit.add(batch, {
      actor,
      action: "tip.access.granted",
      target: tipId,
      details: { userId },
    })
    await batch.write()
    ctx.events.publish({
      type: "access.changed",
      tipId,
      users: await staffHolders(ctx, tipId),
      wb: false,
      tip: await tipSummary(ctx, tip),
    })
    return { userId, grantedAt }
  })
}

/**
 * Deletes `userId`'s wrap, audited; notifies the remaining holders and the revoked one.
 * @throws RelayError CONFLICT for the whistleblower's wrap or the last staff holder's, NOT_FOUND
 * (`params.userId`) when the user holds no wrap.
 */
export function revokeWrap(
  ctx: RelayContext,
  tipId: string,
  userId: string,
  actor: string,
): Promise<void> {
  return withTip(ctx, tipId, async () => {
    if (userId === "wb") {
      throw new RelayError(
        "CONFLICT",
        "the whistleblower's access cannot be revoked",
        "params.userId",
      )
    }
    const holders = await staffHolders(ctx, tipId)
    if (!holders.includes(userId)) {
      throw new RelayError("NOT_FOUND", "this user has no access to the tip", "params.userId")
    }
    if (holders.length === 1) {
      throw new RelayError("CONFLICT", "the last staff holder's access cannot be revoked")
    }
    const tip = await ctx.store.require<TipRecord>("tips", tipKey(tipId), "tip")
    const batch = ctx.store.batch()
    delWrapIn(batch, tipId, userId, tip.createdAt)
    ctx.audit.add(batch, {
      actor,
      action: "tip.access.revoked",
      target: tipId,
      details: { userId },
    })
    await batch.write()
    ctx.events.publish({
      type: "access.changed",
      tipId,
      users: holders,
      wb: false,
      removed: [userId],
      tip: await tipSummary(ctx, tip),
    })
  })
}

/**
 * Moves the expiry `days` later, counted from the later of the current expiry and now, and moves
 * the expiry and reminder timers with it, audited, in one batch.
 * @returns the new expiry time and the tip record as written.
 * @throws RelayError NOT_FOUND when the tip is gone.
 */
export function postpone(
  ctx: RelayContext,
  tipId: string,
  days: number,
  actor: string,
): Promise<{ expiresAt: number; tip: TipRecord }> {
  return withTip(ctx, tipId, async () => {
    const tip = await ctx.store.require<TipRecord>("tips", tipKey(tipId), "tip")
    const now = ctx.clock.now()
    const expiresAt = Math.max(tip.expiresAt, now) + days * DAY
    const batch = ctx.store.batch()
    for (const key of tip.timerKeys) timers.remove(batch, key)
    const timerKeys = scheduleTipTimers(batch, tipId, expiresAt, now)
    const next: TipRecord = { ...tip, expiresAt, timerKeys, updatedAt: now }
    batch.put("tips", tipKey(tipId), next)
    ctx.audit.add(batch, {
      actor,
      action: "tip.postponed",
      target: tipId,
      details: { days, expiresAt },
    })
    await batch.write()
    return { expiresAt, tip: next }
  })
}
