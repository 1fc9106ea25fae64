import type { RelayContext } from "../context.js"
import { type Batch, prefixRange, type Store } from "../store/store.js"
import { addCount, hasCounters, readCount, readCounts, setCount } from "./counters.js"
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
  wait: (contextId: string, bucket: number) =>
    `wait/${contextId}/${String(bucket).padStart(4, "0")}`,
}

/** Counts a new tip, in the batch that stores it. */
export function countTipCreated(batch: Batch, tip: TipRecord): void {
  addCount(batch, names.tips(tip.contextId), 1)
  addCount(batch, names.week(weekStart(tip.createdAt), tip.contextId), 1)
}

/** Counts a tip's first staff comment at `at`, in the batch that sets `firstReplyAt`. */
export function countFirstReply(batch: Batch, tip: TipRecord, at: number): void {
  addCount(batch, names.answered(tip.contextId), 1)
  addCount(batch, names.wait(tip.contextId, waitBucket(Math.max(0, at - tip.createdAt))), 1)
}

/** Takes a wiped tip out of every count, in the wipe's batch. */
export function countTipWiped(batch: Batch, tip: TipRecord): void {
  addCount(batch, names.tips(tip.contextId), -1)
  addCount(batch, names.week(weekStart(tip.createdAt), tip.contextId), -1)
  if (tip.firstReplyAt === undefined) return
  addCount(batch, names.answered(tip.contextId), -1)
  const wait = Math.max(0, tip.firstReplyAt - tip.createdAt)
  addCount(batch, names.wait(tip.contextId, waitBucket(wait)), -1)
}

/** How many tips a context holds now. */
export function contextTipCount(ctx: RelayContext, contextId: string): Promise<number> {
  return readCount(ctx, names.tips(contextId))
}

/** The stats of `GET /admin/stats`, from the counters only. */
export async function tipStats(ctx: RelayContext, since: number) {
  const [tips, weeks, answered, waits] = [
    await readCounts(ctx, "tips/"),
    await readCounts(ctx, "week/"),
    await readCounts(ctx, "answered/"),
    await readCounts(ctx, "wait/"),
  ]
  const weekly = []
  for (const [name, count] of weeks) {
    const [, week = "", contextId = ""] = name.split("/")
    if (Number(week) >= since) weekly.push({ weekStart: Number(week), contextId, tips: count })
  }
  const histograms = new Map<string, Array<[number, number]>>()
  for (const [name, count] of waits) {
    const [, contextId = "", bucket = ""] = name.split("/")
    const list = histograms.get(contextId) ?? []
    list.push([Number(bucket), count])
    histograms.set(contextId, list)
  }
  const contexts = [...tips].map(([name, count]) => {
    const contextId = name.slice("tips/".length)
    const responded = answered.get(names.answered(contextId)) ?? 0
    return {
      contextId,
      tips: count,
      responded,
      medianFirstResponseMs: median(histograms.get(contextId) ?? [], responded),
    }
  })
  return {
    weeks: weekly.sort(
      (a, b) => a.weekStart - b.weekStart || a.contextId.localeCompare(b.contextId),
    ),
    contexts: contexts.sort((a, b) => a.contextId.localeCompare(b.contextId)),
  }
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
  const add = (name: string) => counts.set(name, (counts.get(name) ?? 0) + 1)
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
    add(names.tips(tip.contextId))
    add(names.week(weekStart(tip.createdAt), tip.contextId))
    if (tip.firstReplyAt !== undefined) {
      add(names.answered(tip.contextId))
      add(names.wait(tip.contextId, waitBucket(Math.max(0, tip.firstReplyAt - tip.createdAt))))
    }
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
