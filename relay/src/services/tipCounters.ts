import type { RelayContext } from "../context.js"
import { type Batch, prefixRange, type Store } from "../store/store.js"
import { addCount, hasCounters, readCount, readCounts, setCount } from "./counters.js"
import { nextDeadline } from "./deadlines.js"
import { timeKey } from "./ids.js"
import type { ObjectRecord, TipRecord } from "./records.js"

// The counts the admin stats and the context checks read instead of every tip record (issue 11:
// "stats and the context view read every tip record"): tips per context, tips per context per
// week of arrival, tips answered by staff, and a histogram of the time to the first staff comment.
// Each is written in the batch that creates, answers or wipes the tip.

const DAY = 24 * 60 * 60_000
const WEEK = 7 * DAY
// 1970-01-01 was a Thursday: the first Monday 00:00 UTC is 4 days later.
const FIRST_MONDAY = 4 * DAY
/**
 * Width of a waiting-time bucket: 2 % (bucket b > 0 holds [1 s·1.02^(b-1), 1 s·1.02^b)). The median
 * is reported as its bucket's geometric middle, within 1 % of the true value, from at most ~800
 * buckets per context whatever the number of tips.
 */
const BUCKET_RATIO = 1.02

/** Monday 00:00 UTC of the week holding `ms`. */
export function weekStart(ms: number): number {
  return ms - ((((ms - FIRST_MONDAY) % WEEK) + WEEK) % WEEK)
}

/** The histogram bucket of a waiting time in ms (0 for under a second). */
export function waitBucket(ms: number): number {
  return ms < 1000 ? 0 : 1 + Math.floor(Math.log(ms / 1000) / Math.log(BUCKET_RATIO))
}

/** The value a bucket stands for: its geometric middle, in whole ms. */
export function bucketValue(bucket: number): number {
  return bucket === 0 ? 0 : Math.round(1000 * BUCKET_RATIO ** (bucket - 0.5))
}

const names = {
  tips: (contextId: string) => `tips/${contextId}`,
  week: (week: number, contextId: string) => `week/${timeKey(week)}/${contextId}`,
  answered: (contextId: string) => `answered/${contextId}`,
  wait: (contextId: string, bucket: number) => `wait/${contextId}/${pad(bucket)}`,
  acked: (contextId: string) => `acked/${contextId}`,
  ackWait: (contextId: string, bucket: number) => `ackWait/${contextId}/${pad(bucket)}`,
  fed: (contextId: string) => `fed/${contextId}`,
  fedWait: (contextId: string, bucket: number) => `fedWait/${contextId}/${pad(bucket)}`,
}

function pad(bucket: number): string {
  return String(bucket).padStart(4, "0")
}

// The counter names one tip adds 1 to, as it stands.
function contributions(tip: TipRecord): string[] {
  const c = tip.contextId
  const since = (at: number) => waitBucket(Math.max(0, at - tip.createdAt))
  const out = [names.tips(c), names.week(weekStart(tip.createdAt), c)]
  if (tip.firstReplyAt !== undefined) {
    out.push(names.answered(c), names.wait(c, since(tip.firstReplyAt)))
  }
  const d = tip.deadlines
  if (d?.acknowledgedAt !== undefined) {
    out.push(names.acked(c), names.ackWait(c, since(d.acknowledgedAt)))
  }
  if (d?.feedbackAt !== undefined) out.push(names.fed(c), names.fedWait(c, since(d.feedbackAt)))
  return out
}

// `counters/due/<context>/<dueAt>/<tipId>`: the tip's next open deadline, so "overdue" is a range
// scan of the overdue tips' keys, never of every tip.
function dueKey(tip: TipRecord): string | undefined {
  const next = nextDeadline(tip, 0)
  return next ? `due/${tip.contextId}/${timeKey(next.dueAt)}/${tip.id}` : undefined
}

/**
 * Moves every count from the tip as it was (`before`, undefined for a new tip) to the tip as it
 * is written (`after`, undefined for a wipe), in the batch that writes it: only what differs.
 */
export function countTipChange(
  batch: Batch,
  before: TipRecord | undefined,
  after: TipRecord | undefined,
): void {
  const old = before ? contributions(before) : []
  const now = after ? contributions(after) : []
  for (const name of old) if (!now.includes(name)) addCount(batch, name, -1)
  for (const name of now) if (!old.includes(name)) addCount(batch, name, 1)
  const oldDue = before && dueKey(before)
  const newDue = after && dueKey(after)
  if (oldDue === newDue) return
  if (oldDue) batch.del("counters", oldDue)
  if (newDue) batch.put("counters", newDue, 1)
}

/** Counts a new tip, in the batch that stores it. */
export function countTipCreated(batch: Batch, tip: TipRecord): void {
  countTipChange(batch, undefined, tip)
}

/** How many tips a context holds now. */
export function contextTipCount(ctx: RelayContext, contextId: string): Promise<number> {
  return readCount(ctx, names.tips(contextId))
}

/** The stats of `GET /admin/stats`, from the counters only (and the overdue tips' due keys). */
export async function tipStats(ctx: RelayContext, since: number, now: number) {
  const read = (prefix: string) => readCounts(ctx, prefix)
  const [tips, weeks, answered, waits, acked, ackWaits, fed, fedWaits] = [
    await read("tips/"),
    await read("week/"),
    await read("answered/"),
    await read("wait/"),
    await read("acked/"),
    await read("ackWait/"),
    await read("fed/"),
    await read("fedWait/"),
  ]
  const weekly = []
  for (const [name, count] of weeks) {
    const [, week = "", contextId = ""] = name.split("/")
    if (Number(week) >= since) weekly.push({ weekStart: Number(week), contextId, tips: count })
  }
  const contexts = []
  for (const [name, count] of tips) {
    const contextId = name.slice("tips/".length)
    const responded = answered.get(names.answered(contextId)) ?? 0
    const acknowledged = acked.get(names.acked(contextId)) ?? 0
    const feedbackGiven = fed.get(names.fed(contextId)) ?? 0
    const overdue = await ctx.store.keys("counters", {
      gte: `due/${contextId}/`,
      lt: `due/${contextId}/${timeKey(now)}`,
    })
    contexts.push({
      contextId,
      tips: count,
      responded,
      medianFirstResponseMs: median(histogram(waits, contextId), responded),
      acknowledged,
      medianAckMs: median(histogram(ackWaits, contextId), acknowledged),
      feedbackGiven,
      medianFeedbackMs: median(histogram(fedWaits, contextId), feedbackGiven),
      overdue: overdue.length,
    })
  }
  return {
    weeks: weekly.sort(
      (a, b) => a.weekStart - b.weekStart || a.contextId.localeCompare(b.contextId),
    ),
    contexts: contexts.sort((a, b) => a.contextId.localeCompare(b.contextId)),
  }
}

// One context's buckets (`<kind>/<context>/<bucket>` → count), ascending.
function histogram(
  counts: ReadonlyMap<string, number>,
  contextId: string,
): Array<[number, number]> {
  const out: Array<[number, number]> = []
  for (const [name, count] of counts) {
    const [, context = "", bucket = ""] = name.split("/")
    if (context === contextId) out.push([Number(bucket), count])
  }
  return out
}

// The lower middle of a histogram (buckets in key order, so ascending), as a real bucket value.
function median(buckets: ReadonlyArray<[number, number]>, total: number): number | null {
  if (total <= 0) return null
  let seen = 0
  const target = Math.floor((total - 1) / 2)
  for (const [bucket, count] of buckets) {
    seen += count
    if (seen > target) return bucketValue(bucket)
  }
  return null
}

/**
 * Builds the counters from the records when there are none and tips exist (a data dir from a relay
 * older than the counters), setting each tip's `firstReplyAt` from its comments. Runs once at
 * start, before any route; afterwards every write keeps the counters.
 * @returns how many tips were counted.
 */
export async function rebuildTipCounters(store: Store): Promise<number> {
  if (await hasCounters(store)) return 0
  const tips = await store.list<TipRecord>("tips", prefixRange("t/"))
  if (tips.length === 0) return 0
  const counts = new Map<string, number>()
  const batch = store.batch()
  for (const [key, stored] of tips) {
    let tip = stored
    if (tip.firstReplyAt === undefined) {
      const first = await firstStaffComment(store, tip.id)
      if (first !== undefined) {
        tip = { ...tip, firstReplyAt: first }
        batch.put("tips", key, tip)
      }
    }
    for (const name of contributions(tip)) counts.set(name, (counts.get(name) ?? 0) + 1)
    const due = dueKey(tip)
    if (due) batch.put("counters", due, 1)
  }
  for (const [name, n] of counts) setCount(batch, name, n)
  await batch.write()
  return tips.length
}

// The earliest comment authored by staff (the whistleblower's are authored `wb`).
async function firstStaffComment(store: Store, tipId: string): Promise<number | undefined> {
  let first: number | undefined
  for (const [, o] of await store.list<ObjectRecord>("objects", prefixRange(`${tipId}/`))) {
    if (o.kind !== "comment" || o.author === "wb") continue
    if (first === undefined || o.createdAt < first) first = o.createdAt
  }
  return first
}
