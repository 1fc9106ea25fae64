import type { RelayContext } from "../context.js"
import { prefixRange } from "../store/store.js"
import { removeDeadlineTimers } from "./deadlines.js"
import { delWrapIn } from "./holderIndex.js"
import { wipeIdentityIn } from "./identity.js"
import type { ObjectRecord, TipRecord } from "./records.js"
import type { Session } from "./session.js"
import { tipBytes, writeWithUsage } from "./storageUsage.js"
import { timers } from "./timers.js"
import { staffHolders, tipKey, withTip } from "./tips.js"
import { deleteFilesBytes, dropFilesChunksIn, withTipUploadsLocked } from "./uploads.js"

/**
 * Crypto-shreds a tip: deletes its record, receipt index, wraps, objects, chunk bitmaps, timers and
 * the whistleblower sessions of it in one batch, then its files' bytes (blobs), audits it as `actor` (`tip.wiped`, with counts
 * only), and publishes `tip.deleted` to the staff holders and the whistleblower. The same batch
 * queues a `store.compact` timer due now, so the timer runner compacts the store within one poll.
 * Runs under the tip's lock, so no comment or postpone lands half-way, and under its upload locks,
 * so no file or chunk is added while it runs.
 * @returns false when the tip did not exist.
 */
export function wipeTip(ctx: RelayContext, tipId: string, actor: string): Promise<boolean> {
  return withTip(ctx, tipId, async () => {
    const { store } = ctx
    const tip = await store.get<TipRecord>("tips", tipKey(tipId))
    if (!tip) return false
    const holders = await staffHolders(ctx, tipId)
    // Under the upload locks, so a chunk PUT racing the wipe cannot leave an orphan chunk behind.
    await withTipUploadsLocked(ctx, tipId, (objects) => wipeRecords(ctx, tip, objects, actor))
    ctx.events.publish({ type: "tip.deleted", tipId, users: holders, wb: true })
    return true
  })
}

async function wipeRecords(
  ctx: RelayContext,
  tip: TipRecord,
  objects: ReadonlyArray<[string, ObjectRecord]>,
  actor: string,
): Promise<void> {
  const { store } = ctx
  const tipId = tip.id
  const batch = store.batch().del("tips", tipKey(tipId)).del("tips", `r/${tip.wbAuthVerifier}`)
  const wraps = await store.keys("wraps", prefixRange(`${tipId}/`))
  for (const key of wraps) delWrapIn(batch, tipId, key.slice(tipId.length + 1))
  for (const [key] of objects) batch.del("objects", key)
  const files = objects.flatMap(([, o]) => (o.kind === "file" ? [o] : []))
  for (const file of files) if (file.idleTimer) timers.remove(batch, file.idleTimer)
  const chunks = await dropFilesChunksIn(ctx, batch, files)
  for (const key of tip.timerKeys) batch.del("timers", key)
  removeDeadlineTimers(batch, tip)
  await wipeIdentityIn(ctx, batch, tipId)
  // Deleted bytes stay in LevelDB's files until compaction; the task survives a crash.
  timers.add(batch, ctx.clock.now(), { kind: "store.compact" })
  let sessions = 0
  for (const [key, session] of await store.list<Session>("sessions")) {
    if (session.kind === "wb" && session.tipId === tipId) {
      batch.del("sessions", key)
      sessions++
    }
  }
  ctx.audit.add(batch, {
    actor,
    action: "tip.wiped",
    target: tipId,
    details: { wraps: wraps.length, objects: objects.length, chunks, sessions },
  })
  await writeWithUsage(ctx, batch, {
    contextId: tip.contextId,
    bytes: -tipBytes(tip, objects),
    tips: -1,
    enforce: false,
  })
  // Records first: a crash before the unlink leaves an orphan blob the daily sweep deletes.
  await deleteFilesBytes(
    ctx,
    files.map((f) => f.id),
  )
}
