import type { Batch, Store } from "../store/store.js"
import type { WrapRecord } from "./records.js"

// The holder index: `holders/<userId>/<tipId>` beside every staff wrap `wraps/<tipId>/<userId>`,
// written in the same batch, so a staff inbox reads its own tips only, never every wrap of the
// node (issue 11: CPU amplification). The whistleblower's wrap (`wb`) is not indexed.

/** Puts a wrap and its index entry into `batch`. */
export function putWrapIn(batch: Batch, record: WrapRecord): void {
  batch.put("wraps", `${record.tipId}/${record.holder}`, record)
  if (record.holder !== "wb") batch.put("holders", `${record.holder}/${record.tipId}`, 1)
}

/** Deletes a wrap and its index entry in `batch`. */
export function delWrapIn(batch: Batch, tipId: string, holder: string): void {
  batch.del("wraps", `${tipId}/${holder}`)
  if (holder !== "wb") batch.del("holders", `${holder}/${tipId}`)
}

/** The ids of the tips `userId` holds a wrap of, from the index. */
export async function heldTipIds(store: Store, userId: string): Promise<string[]> {
  const prefix = `${userId}/`
  const keys = await store.keys("holders", { gte: prefix, lt: `${prefix}\uffff` })
  return keys.map((k) => k.slice(prefix.length))
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
    batch.put("holders", `${holder}/${key.slice(0, slash)}`, 1)
    count++
  }
  if (count > 0) await batch.write()
  return count
}
