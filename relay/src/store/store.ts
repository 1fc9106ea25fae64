import { RelayError } from "../errors.js"
import { GroupCommit } from "./_groupCommit.js"
import type { BatchOp, KeyRange, StoreBackend, Sublevel } from "./backend.js"

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** The range of every key starting with `prefix`. */
export function prefixRange(prefix: string, extra: Omit<KeyRange, "gte" | "lt"> = {}): KeyRange {
  return { ...extra, gte: prefix, lt: `${prefix}\uffff` }
}

/**
 * The relay's storage, as abstract-level does it: public methods validate and encode (JSON records,
 * raw chunk bytes), one small {@link StoreBackend} underneath. Multi-key changes go through one
 * {@link Batch} so they land together or not at all. Concurrent batches share one backend write
 * (group commit), so a burst of submissions costs one synced write, not one each.
 */
export class Store {
  readonly #commits: GroupCommit

  constructor(readonly backend: StoreBackend) {
    this.#commits = new GroupCommit(backend)
  }

  /** Reads a JSON record, or undefined. */
  async get<T>(sublevel: Sublevel, key: string): Promise<T | undefined> {
    const bytes = await this.backend.get(sublevel, checkKey(key))
    return bytes === undefined ? undefined : (JSON.parse(decoder.decode(bytes)) as T)
  }

  /** Reads a JSON record that must exist. @throws RelayError NOT_FOUND naming `what`. */
  async require<T>(sublevel: Sublevel, key: string, what: string): Promise<T> {
    const value = await this.get<T>(sublevel, key)
    if (value === undefined) throw new RelayError("NOT_FOUND", `${what} not found`)
    return value
  }

  /** Reads raw bytes (upload chunks). */
  getBytes(sublevel: Sublevel, key: string): Promise<Uint8Array | undefined> {
    return this.backend.get(sublevel, checkKey(key))
  }

  /** Lists JSON records in key order. */
  async list<T>(sublevel: Sublevel, range: KeyRange = {}): Promise<Array<[string, T]>> {
    const out: Array<[string, T]> = []
    for await (const [key, bytes] of this.backend.entries(sublevel, range)) {
      out.push([key, JSON.parse(decoder.decode(bytes)) as T])
    }
    return out
  }

  /** Lists keys only, in key order. */
  async keys(sublevel: Sublevel, range: KeyRange = {}): Promise<string[]> {
    const out: string[] = []
    for await (const [key] of this.backend.entries(sublevel, range)) out.push(key)
    return out
  }

  /** Starts an atomic batch. */
  batch(): Batch {
    return new Batch(this.#commits)
  }

  /** Writes one JSON record on its own. */
  put(sublevel: Sublevel, key: string, value: unknown): Promise<void> {
    return this.batch().put(sublevel, key, value).write()
  }

  compact(): Promise<void> {
    return this.backend.compact()
  }

  close(): Promise<void> {
    return this.backend.close()
  }
}

/** Collects puts and deletes across sublevels and writes them atomically. */
export class Batch {
  readonly #ops: BatchOp[] = []
  constructor(private readonly commits: GroupCommit) {}

  put(sublevel: Sublevel, key: string, value: unknown): this {
    this.#ops.push({
      type: "put",
      sublevel,
      key: checkKey(key),
      value: encoder.encode(JSON.stringify(value)),
    })
    return this
  }

  putBytes(sublevel: Sublevel, key: string, value: Uint8Array): this {
    this.#ops.push({ type: "put", sublevel, key: checkKey(key), value })
    return this
  }

  del(sublevel: Sublevel, key: string): this {
    this.#ops.push({ type: "del", sublevel, key: checkKey(key) })
    return this
  }

  get size(): number {
    return this.#ops.length
  }

  /** Writes the batch atomically; durable when it resolves. */
  write(): Promise<void> {
    return this.commits.write(this.#ops, true)
  }

  /**
   * Writes the batch atomically without forcing it to disk: it survives the relay being killed,
   * and the next durable write (any {@link write}) makes it durable too, but a power loss before
   * that may drop it. Only for records whose loss is safe (a chunk bit whose bytes are synced).
   */
  writeUnsynced(): Promise<void> {
    return this.commits.write(this.#ops, false)
  }
}

function checkKey(key: string): string {
  if (typeof key !== "string" || key.length === 0 || key.length > 512) {
    throw new Error(`store key must be a non-empty string of at most 512 characters`)
  }
  return key
}
