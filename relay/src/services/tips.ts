import type { RelayContext } from "../context.js"
import { RelayError } from "../errors.js"
import { type Batch, prefixRange } from "../store/store.js"
import { applyStaffAction, contextOf } from "./deadlines.js"
import { newId } from "./ids.js"
import type { ObjectRecord, TipRecord, WrapRecord } from "./records.js"
import type { Session } from "./session.js"
import { objectBytes, writeWithUsage } from "./storageUsage.js"
import { timers } from "./timers.js"

// The stored side of tips shared by the whistleblower and staff routes and the wipe: per-tip
// serialisation, holder checks, comments and files, expiry timers.

export const DAY = 24 * 60 * 60_000
/** The expiry reminder goes out this long before a tip expires (if the tip lives that long). */
export const REMIND_BEFORE = 7 * DAY

export type CommentRecord = Extract<ObjectRecord, { kind: "comment" }>
export type FileRecord = Extract<ObjectRecord, { kind: "file" }>

const locks = new WeakMap<RelayContext, Map<string, Promise<unknown>>>()

/**
 * Runs `fn` after every earlier task under the same key has settled. Every read-modify-write of a
 * tip record (and the wipe) runs under `tip:<id>`, so a read's access count cannot undo a postpone.
 */
export async function withLock<T>(
  ctx: RelayContext,
  key: string,
  fn: () => Promise<T>,
): Promise<T> {
  let map = locks.get(ctx)
  if (!map) {
    map = new Map()
    locks.set(ctx, map)
  }
  const previous = map.get(key) ?? Promise.resolve()
  const run = previous.then(fn, fn)
  const settled = run.then(
    () => {},
    () => {},
  )
  map.set(key, settled)
  try {
    return await run
  } finally {
    if (map.get(key) === settled) map.delete(key)
  }
}

/** {@link withLock} on one tip. */
export function withTip<T>(ctx: RelayContext, tipId: string, fn: () => Promise<T>): Promise<T> {
  return withLock(ctx, `tip:${tipId}`, fn)
}

/** The `tips` key of a tip record. */
export const tipKey = (tipId: string): string => `t/${tipId}`

/**
 * The tip and the caller's wrap, for a staff user who holds one.
 * @throws RelayError NOT_FOUND for anyone else (and for a missing tip), so existence does not leak.
 */
export async function requireHeldTip(
  ctx: RelayContext,
  session: Session | undefined,
  tipId: string,
): Promise<{ tip: TipRecord; wrap: WrapRecord; userId: string }> {
  if (session?.kind === "staff") {
    const wrap = await ctx.store.get<WrapRecord>("wraps", `${tipId}/${session.userId}`)
    const tip = wrap && (await ctx.store.get<TipRecord>("tips", tipKey(tipId)))
    if (wrap && tip) return { tip, wrap, userId: session.userId }
  }
  throw new RelayError("NOT_FOUND", "tip not found")
}

/**
 * The tip of a whistleblower session.
 * @throws RelayError NOT_FOUND when the tip is gone.
 */
export async function requireWbTip(ctx: RelayContext, session: Session | undefined) {
  const tip =
    session?.kind === "wb"
      ? await ctx.store.get<TipRecord>("tips", tipKey(session.tipId))
      : undefined
  if (!tip) throw new RelayError("NOT_FOUND", "tip not found")
  return tip
}

/** Every wrap of a tip, the whistleblower's included. */
export async function wrapsOf(ctx: RelayContext, tipId: string): Promise<WrapRecord[]> {
  return (await ctx.store.list<WrapRecord>("wraps", prefixRange(`${tipId}/`))).map(([, w]) => w)
}

/** The staff user ids holding a wrap of a tip. */
export async function staffHolders(ctx: RelayContext, tipId: string): Promise<string[]> {
  const keys = await ctx.store.keys("wraps", prefixRange(`${tipId}/`))
  return keys.map((k) => k.slice(tipId.length + 1)).filter((h) => h !== "wb")
}

/** A tip's comments (in the order they were added) and files (oldest first). */
export async function objectsOf(
  ctx: RelayContext,
  tipId: string,
): Promise<{ comments: CommentRecord[]; files: FileRecord[] }> {
  const comments: CommentRecord[] = []
  const files: FileRecord[] = []
  for (const [, o] of await ctx.store.list<ObjectRecord>("objects", prefixRange(`${tipId}/`))) {
    if (o.kind === "comment") comments.push(o)
    else files.push(o)
  }
  const byId = (a: ObjectRecord, b: ObjectRecord) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  const byTime = (a: ObjectRecord, b: ObjectRecord) => a.createdAt - b.createdAt || byId(a, b)
  return { comments: comments.sort(byId), files: files.sort(byTime) }
}

/**
 * Adds a sealed comment to a tip (and bumps its `updatedAt`), audited, in one batch with the
 * channel's and node's usage.
 * @throws RelayError NOT_FOUND when the tip is gone, CONFLICT when it holds MAX comments,
 *   QUOTA_EXCEEDED past the tip's comment bytes, BUDGET_EXCEEDED (whistleblower only) past the
 *   channel's or node's budget.
 */
export function addComment(
  ctx: RelayContext,
  tipId: string,
  author: string,
  age: string,
  max: number,
): Promise<CommentRecord> {
  return withTip(ctx, tipId, async () => {
    const tip = await ctx.store.require<TipRecord>("tips", tipKey(tipId), "tip")
    const usage = tip.usage ?? (await countUsage(ctx, tipId))
    if (usage.comments >= max) {
      throw new RelayError("CONFLICT", `this tip already holds the ${max} comments it may have`)
    }
    if (usage.commentBytes + age.length > MAX_COMMENT_BYTES_PER_TIP) {
      throw new RelayError(
        "QUOTA_EXCEEDED",
        `this tip's comments may hold ${MAX_COMMENT_BYTES_PER_TIP / (1024 * 1024)} MiB in all; it is full`,
        "body.age",
      )
    }
    const now = ctx.clock.now()
    const batch = ctx.store.batch()
    // A staff comment can acknowledge the tip or give it feedback (services/deadlines.ts).
    const met =
      author === "wb"
        ? tip
        : applyStaffAction(batch, tip, await contextOf(ctx, tip), { kind: "comment" }, now)
    const comment: CommentRecord = {
      kind: "comment",
      // A sequence number first, so comments keep their order even within one millisecond.
      id: `${String(usage.comments).padStart(4, "0")}${newId()}`,
      tipId,
      author,
      createdAt: now,
      age,
    }
    batch.put("objects", `${tipId}/${comment.id}`, comment).put("tips", tipKey(tipId), {
      ...met,
      updatedAt: now,
      usage: {
        ...usage,
        comments: usage.comments + 1,
        commentBytes: usage.commentBytes + age.length,
      },
    })
    ctx.audit.add(batch, { actor: author, action: "comment.added", target: tipId })
    await writeWithUsage(ctx, batch, {
      contextId: tip.contextId,
      bytes: age.length,
      enforce: author === "wb",
    })
    return comment
  })
}

/** Schedules a tip's expiry and, when it lives long enough, its reminder; returns the timer keys. */
export function scheduleTipTimers(
  batch: Batch,
  tipId: string,
  expiresAt: number,
  now: number,
): string[] {
  const keys = [timers.add(batch, expiresAt, { kind: "tip.expire", tipId })]
  if (expiresAt - REMIND_BEFORE > now) {
    keys.push(timers.add(batch, expiresAt - REMIND_BEFORE, { kind: "tip.remind", tipId }))
  }
  return keys
}

/** Sealed comment bytes one tip may hold in all (both sides): 8 MiB, 128 full-size comments. */
export const MAX_COMMENT_BYTES_PER_TIP = 8 * 1024 * 1024

/**
 * Counts a tip's comments and complete files from its objects: once, for a tip made before
 * `usage` was kept beside the record (afterwards every write keeps it).
 */
export async function countUsage(ctx: RelayContext, tipId: string) {
  const { comments, files } = await objectsOf(ctx, tipId)
  return {
    comments: comments.length,
    commentBytes: comments.reduce((sum, c) => sum + c.age.length, 0),
    files: files.filter((f) => f.complete).length,
    fileSlots: files.length,
    fileBytes: files.reduce((sum, f) => sum + objectBytes(f), 0),
  }
}

/**
 * A tip's usage with every field present: the record's, with what an older relay did not keep
 * counted from the tip's objects once (the caller writes it back).
 */
export async function fullUsage(ctx: RelayContext, tip: TipRecord) {
  const kept = tip.usage
  if (kept?.files !== undefined && kept.fileSlots !== undefined && kept.fileBytes !== undefined) {
    return { ...kept, files: kept.files, fileSlots: kept.fileSlots, fileBytes: kept.fileBytes }
  }
  return countUsage(ctx, tip.id)
}
