import type { Batch, Store } from "../store/store.js"
import { timeKey } from "./ids.js"
import type { TipRecord, WrapRecord } from "./records.js"

// The holder index: `holders/<userId>/<13-digit createdAt>/<tipId>` beside every staff wrap
// `wraps/<tipId>/<userId>`, written in the same batch, so a staff inbox reads its own tips only,
// never every wrap of the node (issue 11: CPU amplification), and a page of it is one reverse
// range scan of `limit` keys in a stable newest-first order (then by id, descending). The
// whistleblower's wrap (`wb`) is not indexed.

/** Settings key marking the index format (an older one keyed `<userId>/<tipId>` only). */
const FORMAT_KEY = "holderIndex"
const FORMAT = 2

/** One tip of a holder's inbox, as the index orders it. */
export interface HeldTip {
  readonly tipId: string
  readonly createdAt: number
}

const indexKey = (userId: string, createdAt: number, tipId: string) =>
  `${userId}/${timeKey(createdAt)}/${tipId}`

/** Puts a wrap and its index entry into `batch`; `tipCreatedAt` orders the holder's inbox. */
export function putWrapIn(batch: Batch, record: WrapRecord, tipCreatedAt: number): void {
  batch.put("wraps", `${record.tipId}/${record.holder}`, record)
  if (record.holder !== "wb") {
    batch.put("holders", indexKey(record.holder, tipCreatedAt, record.tipId), 1)
  }
}

/** Deletes a wrap and its index entry in `batch` (`tipCreatedAt`: the tip's `createdAt`). */
export function delWrapIn(batch: Batch, tipId: string, holder: string, tipCreatedAt: number): void {
  batch.del("wraps", `${tipId}/${holder}`)
  if (holder !== "wb") batch.del("holders", indexKey(holder, tipCreatedAt, tipId))
}

/**
 * One page of the tips `userId` holds, newest first: up to `limit` entries strictly after
 * `after` (in that order), and whether more follow. Reads `limit + 1` index keys, nothing else.
 */
export async function heldTipsPage(
  store: Store,
  userId: string,
  limit: number,
  after?: HeldTip,
): Promise<{ page: HeldTip[]; more: boolean }> {
  const prefix = `${userId}/`
  const keys = await store.keys("holders", {
    gte: prefix,
    lt: after ? indexKey(userId, after.createdAt, after.tipId) : `${prefix}\uffff`,
    reverse: true,
    limit: limit + 1,
  })
  const page = keys.slice(0, limit).map((key) => {
    const [time = "", tipId = ""] = key.slice(prefix.length).split("/")
    return { tipId, createdAt: Number(time) }
  })
  return { page, more: keys.length > limit }
}

/**
 * Builds the index from the wraps and the tips' times, once per data dir: when it was never
 * built, or built in the older `<userId>/<tipId>` format (then rewritten). Runs at start;
 * afterwards every wrap write keeps it.
 * @returns how many entries were written.
 */
export async function rebuildHolderIndex(store: Store): Promise<number> {
  if ((await store.get<number>("settings", FORMAT_KEY)) === FORMAT) return 0
  const batch = store.batch()
  for (const key of await store.keys("holders")) batch.del("holders", key)
  const wraps = (await store.keys("wraps"))
    .map((key) => ({
      tipId: key.slice(0, key.indexOf("/")),
      holder: key.slice(key.indexOf("/") + 1),
    }))
    .filter((w) => w.holder !== "wb")
  const tips = await store.getMany<TipRecord>(
    "tips",
    wraps.map((w) => `t/${w.tipId}`),
  )
  let count = 0
  wraps.forEach((w, i) => {
    const tip = tips[i]
    if (!tip) return
    batch.put("holders", indexKey(w.holder, tip.createdAt, w.tipId), 1)
    count++
  })
  batch.put("settings", FORMAT_KEY, FORMAT)
  await batch.write()
  return count
}
