import { type BatchOp, type StoreBackend, SUBLEVELS, type Sublevel } from "./backend.js"

/** Writes per batch while copying: bounded memory whatever the store's size. */
const BATCH = 256

/**
 * Copies every record of every sublevel from `from` to `to` (LevelDB to PostgreSQL or back) and
 * checks that each sublevel then holds the same keys and bytes on both sides. The target must be
 * empty, so a copy never mixes two nodes. Both relays must be stopped while it runs.
 * @throws Error naming the sublevel when the target is not empty or the check finds a difference.
 * @returns the records copied per sublevel.
 */
export async function copyStore(
  from: StoreBackend,
  to: StoreBackend,
): Promise<Record<Sublevel, number>> {
  for (const sublevel of SUBLEVELS) {
    for await (const _ of to.entries(sublevel, { limit: 1 })) {
      throw new Error(`the target store is not empty (sublevel "${sublevel}" has records)`)
    }
  }
  const counts = {} as Record<Sublevel, number>
  for (const sublevel of SUBLEVELS) {
    let ops: BatchOp[] = []
    let n = 0
    for await (const [key, value] of from.entries(sublevel)) {
      ops.push({ type: "put", sublevel, key, value })
      n++
      if (ops.length >= BATCH) {
        await to.batch(ops)
        ops = []
      }
    }
    if (ops.length > 0) await to.batch(ops)
    counts[sublevel] = n
  }
  for (const sublevel of SUBLEVELS) await checkSame(from, to, sublevel)
  return counts
}

// Walks both sides in key order together; any missing, extra or different record fails.
async function checkSame(a: StoreBackend, b: StoreBackend, sublevel: Sublevel): Promise<void> {
  const left = a.entries(sublevel)[Symbol.asyncIterator]()
  const right = b.entries(sublevel)[Symbol.asyncIterator]()
  for (;;) {
    const [x, y] = await Promise.all([left.next(), right.next()])
    if (x.done && y.done) return
    const same =
      !x.done &&
      !y.done &&
      x.value[0] === y.value[0] &&
      Buffer.from(x.value[1]).equals(Buffer.from(y.value[1]))
    if (!same) {
      const key = x.done ? y.value?.[0] : x.value[0]
      throw new Error(`the copy differs in sublevel "${sublevel}" at key ${JSON.stringify(key)}`)
    }
  }
}
