import type { RelayContext } from "../context.js"
import type { Batch, Store } from "../store/store.js"
import { newId } from "./ids.js"
import { withLock } from "./tips.js"

// Named counters in the `counters` sublevel, written without a read: a writer puts a delta
// (`d/<name>#<id>` → n) into the batch that makes the change, so counters stay exact under
// concurrent and group-committed batches, and the batch needs no lock beyond its own. A reader
// folds the deltas into one base per name (`b/<name>` → total) under one lock, then reads bases:
// its work is the number of names under a prefix plus the changes since the last fold, never the
// number of records counted.

const FOLD_LOCK = "counters"
/** Deltas written since start after which a fold runs on its own (keeps a read short). */
const FOLD_EVERY = 1000

const pending = new WeakMap<Store, number>()

/** Adds `n` (may be negative) to the counter `name` when `batch` is written. */
export function addCount(batch: Batch, name: string, n: number): void {
  if (n === 0) return
  batch.put("counters", `d/${name}#${newId()}`, n)
}

/** Sets the counter `name` to `n` in `batch`, dropping nothing else (used when rebuilding). */
export function setCount(batch: Batch, name: string, n: number): void {
  if (n === 0) batch.del("counters", `b/${name}`)
  else batch.put("counters", `b/${name}`, n)
}

/**
 * Every counter whose name starts with `prefix`, folded: name → total, zero totals left out.
 * Folds the pending deltas under the prefix first (under the counters lock).
 */
export function readCounts(ctx: RelayContext, prefix: string): Promise<Map<string, number>> {
  return withLock(ctx, FOLD_LOCK, async () => {
    await foldDeltas(ctx.store, prefix)
    const out = new Map<string, number>()
    for (const [key, n] of await ctx.store.list<number>("counters", range(`b/${prefix}`))) {
      if (n !== 0) out.set(key.slice(2), n)
    }
    return out
  })
}

/** One counter's total (0 when it was never counted). */
export async function readCount(ctx: RelayContext, name: string): Promise<number> {
  return (await readCounts(ctx, name)).get(name) ?? 0
}

/**
 * Notes that a batch with `deltas` deltas was written; past {@link FOLD_EVERY} a fold of every
 * counter runs in the background, so deltas never pile up between reads.
 */
export function noteDeltas(ctx: RelayContext, deltas = 1): void {
  const count = (pending.get(ctx.store) ?? 0) + deltas
  if (count < FOLD_EVERY) {
    pending.set(ctx.store, count)
    return
  }
  pending.set(ctx.store, 0)
  void withLock(ctx, FOLD_LOCK, () => foldDeltas(ctx.store, "")).catch(() => {
    // a store that is closing: the deltas stay and are folded by the next read
  })
}

// Folds every delta under `prefix` into its base in one batch (deltas deleted, bases rewritten).
async function foldDeltas(store: Store, prefix: string): Promise<void> {
  const deltas = await store.list<number>("counters", range(`d/${prefix}`))
  if (deltas.length === 0) return
  const sums = new Map<string, number>()
  const batch = store.batch()
  for (const [key, n] of deltas) {
    const name = key.slice(2, key.lastIndexOf("#"))
    sums.set(name, (sums.get(name) ?? 0) + n)
    batch.del("counters", key)
  }
  const names = [...sums.keys()]
  const bases = await store.getMany<number>(
    "counters",
    names.map((n) => `b/${n}`),
  )
  names.forEach((name, i) => {
    setCount(batch, name, (bases[i] ?? 0) + (sums.get(name) ?? 0))
  })
  await batch.write()
}

/** Whether any counter (base or delta) exists: false on a data dir from before counters. */
export async function hasCounters(store: Store): Promise<boolean> {
  return (await store.keys("counters", { limit: 1 })).length > 0
}

function range(prefix: string) {
  return { gte: prefix, lt: `${prefix}\uffff` }
}
