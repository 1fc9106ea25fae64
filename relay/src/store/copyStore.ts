import { type BatchOp, type StoreBackend, SUBLEVELS, type Sublevel } from "./backend.js"

/** Writes per batch while copying: bounded memory whatever the store's size. */
const BATCH = 256

/** Bytes of a blob copied (and compared) per step: bounded memory whatever the file's size. */
const BLOB_STEP = 1024 * 1024

/** What {@link copyStore} copied: records per sublevel, and upload blobs. */
export type CopyCounts = Record<Sublevel, number> & { blobs: number }

/**
 * Copies every record of every sublevel and every blob (upload files) from `from` to `to`
 * (LevelDB to PostgreSQL or back) and checks that each sublevel then holds the same keys and bytes
 * on both sides, and each blob the same bytes. The target must be
 * empty, so a copy never mixes two nodes. Both relays must be stopped while it runs.
 * @throws Error naming the sublevel or blob when the target is not empty or the check finds a
 * difference.
 * @returns the records copied per sublevel, and the blobs copied.
 */
export async function copyStore(from: StoreBackend, to: StoreBackend): Promise<CopyCounts> {
  for (const sublevel of SUBLEVELS) {
    for await (const _ of to.entries(sublevel, { limit: 1 })) {
      throw new Error(`the target store is not empty (sublevel "${sublevel}" has records)`)
    }
  }
  for await (const id of to.blobIds()) {
    throw new Error(`the target store is not empty (it holds blob ${id})`)
  }
  const counts = { blobs: 0 } as CopyCounts
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
  for await (const id of from.blobIds()) {
    await copyBlob(from, to, id)
    counts.blobs++
  }
  return counts
}

// Copies one blob step by step, then reads both sides back step by step and compares them.
async function copyBlob(from: StoreBackend, to: StoreBackend, id: string): Promise<void> {
  for (let at = 0; ; at += BLOB_STEP) {
    const piece = await from.readBlob(id, at, BLOB_STEP)
    if (piece === undefined) throw new Error(`blob ${id} vanished while it was copied`)
    if (piece.byteLength > 0 || at === 0) await to.writeBlob(id, at, piece)
    if (piece.byteLength < BLOB_STEP) break
  }
  for (let at = 0; ; at += BLOB_STEP) {
    const [x, y] = await Promise.all([
      from.readBlob(id, at, BLOB_STEP),
      to.readBlob(id, at, BLOB_STEP),
    ])
    if (!x || !y || !Buffer.from(x).equals(Buffer.from(y))) {
      throw new Error(`the copy differs in blob ${id} at offset ${at}`)
    }
    if (x.byteLength < BLOB_STEP) return
  }
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
