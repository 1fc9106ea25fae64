import { join } from "node:path"
import { Level } from "level"
import { FileBlobs } from "./_fileBlobs.js"
import {
  type BatchOp,
  type BatchOptions,
  type KeyRange,
  type StoreBackend,
  SUBLEVELS,
  type Sublevel,
} from "./backend.js"

type Db = Level<string, Uint8Array>
type Sub = ReturnType<Db["sublevel"]>

// Sort below and above every sublevel key; see compact().
const MARKER_LOW = "\u0000compaction"
const MARKER_HIGH = "\u007fcompaction"

/** The folder of the data dir holding blobs (upload files), one file each. */
export const BLOB_DIR = "blobs"

/**
 * LevelDB through `level`: one sublevel per kind of record, atomic multi-sublevel batches written
 * with `sync: true`, so an acknowledged write survives a crash. Blobs are files in
 * `<dir>/blobs/` (LevelDB ignores names it did not make).
 */
export class LevelBackend implements StoreBackend {
  readonly #db: Db
  readonly #subs: Map<Sublevel, Sub>
  readonly #blobs: FileBlobs

  private constructor(db: Db, dir: string) {
    this.#db = db
    this.#blobs = new FileBlobs(join(dir, BLOB_DIR))
    this.#subs = new Map(
      SUBLEVELS.map((name) => [
        name,
        db.sublevel<string, Uint8Array>(name, {
          keyEncoding: "utf8",
          valueEncoding: "view",
        }) as unknown as Sub,
      ]),
    )
  }

  /** Opens (creating if needed) the database in `dir`. */
  static async open(dir: string): Promise<LevelBackend> {
    const db = new Level<string, Uint8Array>(dir, { keyEncoding: "utf8", valueEncoding: "view" })
    await db.open()
    return new LevelBackend(db, dir)
  }

  #sub(name: Sublevel): Sub {
    const sub = this.#subs.get(name)
    if (!sub) throw new Error(`unknown sublevel ${name}`)
    return sub
  }

  async get(sublevel: Sublevel, key: string): Promise<Uint8Array | undefined> {
    const value = (await this.#sub(sublevel).get(key)) as Uint8Array | undefined
    return value === undefined ? undefined : plain(value)
  }

  async getMany(
    sublevel: Sublevel,
    keys: readonly string[],
  ): Promise<Array<Uint8Array | undefined>> {
    if (keys.length === 0) return []
    const values = (await this.#sub(sublevel).getMany([...keys])) as Array<Uint8Array | undefined>
    return values.map((v) => (v === undefined ? undefined : plain(v)))
  }

  async batch(ops: readonly BatchOp[], options: BatchOptions = {}): Promise<void> {
    if (ops.length === 0) return
    const mapped = ops.map((op) =>
      op.type === "put"
        ? { type: "put" as const, sublevel: this.#sub(op.sublevel), key: op.key, value: op.value }
        : { type: "del" as const, sublevel: this.#sub(op.sublevel), key: op.key },
    )
    // biome-ignore lint/suspicious/noExplicitAny: abstract-level's sublevel batch typing is not expressible here
    await this.#db.batch(mapped as any, { sync: options.sync ?? true } as never)
  }

  async *entries(
    sublevel: Sublevel,
    range: KeyRange = {},
  ): AsyncIterable<readonly [string, Uint8Array]> {
    const options = {
      ...(range.gte === undefined ? {} : { gte: range.gte }),
      ...(range.lt === undefined ? {} : { lt: range.lt }),
      limit: range.limit ?? -1,
      reverse: range.reverse ?? false,
    }
    for await (const [key, value] of this.#sub(sublevel).iterator(options)) {
      yield [key as string, plain(value as Uint8Array)] as const
    }
  }

  writeBlob(id: string, offset: number, bytes: Uint8Array): Promise<void> {
    return this.#blobs.writeBlob(id, offset, bytes)
  }

  readBlob(id: string, offset: number, length: number): Promise<Uint8Array | undefined> {
    return this.#blobs.readBlob(id, offset, length)
  }

  deleteBlob(id: string): Promise<void> {
    return this.#blobs.deleteBlob(id)
  }

  blobIds(): AsyncIterable<string> {
    return this.#blobs.blobIds()
  }

  /**
   * Compacts the whole keyspace so deleted and overwritten values leave the files. LevelDB's
   * manual compaction never rewrites the last level holding files, and a memtable flush keeps
   * shadowed values, so a value deleted while still in the memtable would survive one pass. The
   * second pass first writes (and deletes) markers at both ends of the keyspace: their table
   * overlaps every level, so the compaction merges every file down into the last level. Values an
   * open iterator (a snapshot) still sees survive until a later compaction.
   */
  async compact(): Promise<void> {
    // classic-level compacts a key range; every key lies between "" and "\uffff".
    const db = this.#db as unknown as { compactRange?: (a: string, b: string) => Promise<void> }
    if (!db.compactRange) return
    await db.compactRange("", "\uffff")
    // Root keys outside every sublevel ("!<name>!…"), so no reader ever sees them.
    const ends = [MARKER_LOW, MARKER_HIGH]
    await this.#db.batch([
      ...ends.map((key) => ({ type: "put" as const, key, value: new Uint8Array(0) })),
      ...ends.map((key) => ({ type: "del" as const, key })),
    ])
    await db.compactRange("", "\uffff")
  }

  async close(): Promise<void> {
    await this.#blobs.close()
    await this.#db.close()
  }
}

// classic-level hands out Buffers; callers get plain Uint8Array views of the same memory.
function plain(value: Uint8Array): Uint8Array {
  return Buffer.isBuffer(value)
    ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
    : value
}
