import type { Batch, Store } from "../store/store.js"
import type { TipRecord, WrapRecord } from "./records.js"

// The holder index: `holders/<userId>/<tipId>` → the tip's `createdAt`, beside every staff wrap
// `wraps/<tipId>/<userId>`, written in the same batch, so a staff inbox reads its own tips only,
// never every wrap of the node (issue 11: CPU amplification), and pages through them in a stable
// newest-first order without reading a tip record it will not show. The whistleblower's wrap
// (`wb`) is not indexed. Entries written before the time was kept hold `1`; their time is read
// from the tip record when they are listed.

/** Puts a wrap and its index entry into `batch`; `tipCreatedAt` orders the holder's inbox. */
export function putWrapIn(batch: Batch, record: WrapRecord, tipCreatedAt: number): void {
  batch.put("wraps", `${record.tipId}/${record.holder}`, record)
  if (record.holder !== "wb") {
    batch.put("holders", `${record.holder}/${record.tipId}`, tipCreatedAt)
  }
}

/** Deletes a wrap and its index entry in `batch`. */
export function delWrapIn(batch: Batch, tipId: string, holder: string): void {
  batch.del("wraps", `${tipId}/${holder}`)
  if (holder !== "wb") batch.del("holders", `${holder}/${tipId}`)
}

/** One tip of a holder's inbox, as the index orders it. */
export interface HeldTip {
  readonly tipId: string
  readonly createdAt: number
}

/** The tips `userId` holds a wrap of, newest first (then by id, descending), from the index. */
export async function heldTips(store: Store, userId: string): Promise<HeldTip[]> {
  const prefix = `${userId}/`
  const entries = await store.list<number>("holders", { gte: prefix, lt: `${prefix}\uffff` })
  const ids = entries.map(([k]) => k.slice(prefix.length))
  const legacy = ids.filter((_, i) => !((entries[i]?.[1] ?? 0) > 1))
  const legacyTimes = new Map<string, number>()
  if (legacy.length > 0) {
    const tips = await store.getMany<TipRecord>(
      "tips",
      legacy.map((id) => `t/${id}`),
    )
    legacy.forEach((id, i) => {
      legacyTimes.set(id, tips[i]?.createdAt ?? 0)
    })
  }
  const held = ids.map((tipId, i) => ({
    tipId,
    createdAt: legacyTimes.get(tipId) ?? entries[i]?.[1] ?? 0,
  }))
  return held.sort((a, b) => compareHeld(b, a))
}

/** Orders two index entries oldest first (the inbox shows the reverse). */
export function compareHeld(a: HeldTip, b: HeldTip): number {
  return a.createdAt - b.createdAt || (a.tipId < b.tipId ? -1 : a.tipId > b.tipId ? 1 : 0)
}

/**
 * Builds the index from the wraps when it is empty and wraps exist (a data dir from a relay
 * older than the index). Runs once at start; afterwards every wrap write keeps it.
 */
export async function rebuildHolderIndex(store: Store): Promise<number> {
  if ((await store.keys("holders", { limit: 1 })).length > 0) return 0
  const batch = store.batch()
  let count = 0
  for (const key of await store.keys("wraps")) {
    const slash = key.indexOf("/")
    const holder = key.slice(slash + 1)
    if (holder === "wb") continue
    // `1`: the time is read from the tip record when listed (see heldTips).
    batch.put("holders", `${holder}/${key.slice(0, slash)}`, 1)
    count++
  }
  if (count > 0) await batch.write()
  return count
}
