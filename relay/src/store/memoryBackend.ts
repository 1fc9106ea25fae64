import {
  type BatchOp,
  checkBlobArgs,
  type KeyRange,
  type StoreBackend,
  SUBLEVELS,
  type Sublevel,
} from "./backend.js"

/**
 * An in-memory engine for tests and for proving the interface is not LevelDB-shaped: a sorted
 * key list per sublevel. Batches are atomic because they are applied synchronously.
 */
export class MemoryBackend implements StoreBackend {
  readonly #data = new Map<Sublevel, Map<string, Uint8Array>>(SUBLEVELS.map((s) => [s, new Map()]))
  readonly #blobs = new Map<string, Uint8Array>()
  #closed = false

  #open(): void {
    if (this.#closed) throw new Error("store is closed")
  }

  #sub(name: Sublevel): Map<string, Uint8Array> {
    this.#open()
    const sub = this.#data.get(name)
    if (!sub) throw new Error(`unknown sublevel ${name}`)
    return sub
  }

  async get(sublevel: Sublevel, key: string): Promise<Uint8Array | undefined> {
    return this.#sub(sublevel).get(key)?.slice()
  }

  async batch(ops: readonly BatchOp[]): Promise<void> {
    for (const op of ops) this.#sub(op.sublevel)
    for (const op of ops) {
      if (op.type === "put") this.#sub(op.sublevel).set(op.key, op.value.slice())
      else this.#sub(op.sublevel).delete(op.key)
    }
  }

  async *entries(
    sublevel: Sublevel,
    range: KeyRange = {},
  ): AsyncIterable<readonly [string, Uint8Array]> {
    const keys = [...this.#sub(sublevel).keys()]
      .filter(
        (k) =>
          (range.gte === undefined || compare(k, range.gte) >= 0) &&
          (range.lt === undefined || compare(k, range.lt) < 0),
      )
      .sort(compare)
    if (range.reverse) keys.reverse()
    const limited = range.limit === undefined || range.limit < 0 ? keys : keys.slice(0, range.limit)
    for (const key of limited) {
      const value = this.#sub(sublevel).get(key)
      if (value) yield [key, value.slice()] as const
    }
  }

  async writeBlob(id: string, offset: number, bytes: Uint8Array): Promise<void> {
    checkBlobArgs(id, offset)
    this.#open()
    const old = this.#blobs.get(id) ?? new Uint8Array(0)
    const end = offset + bytes.byteLength
    const next = end > old.byteLength ? new Uint8Array(end) : old
    if (next !== old) next.set(old)
    next.set(bytes, offset)
    this.#blobs.set(id, next)
  }

  async readBlob(id: string, offset: number, length: number): Promise<Uint8Array | undefined> {
    checkBlobArgs(id, offset)
    this.#open()
    return this.#blobs.get(id)?.slice(offset, offset + Math.max(0, length))
  }

  async deleteBlob(id: string): Promise<void> {
    checkBlobArgs(id)
    this.#open()
    this.#blobs.delete(id)
  }

  async *blobIds(): AsyncIterable<string> {
    this.#open()
    yield* [...this.#blobs.keys()]
  }

  async compact(): Promise<void> {}

  async close(): Promise<void> {
    this.#closed = true
  }
}

// LevelDB orders keys by their UTF-8 bytes; so must any other engine.
const encoder = new TextEncoder()
function compare(a: string, b: string): number {
  const x = encoder.encode(a)
  const y = encoder.encode(b)
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0)
    if (d !== 0) return d
  }
  return x.length - y.length
}
