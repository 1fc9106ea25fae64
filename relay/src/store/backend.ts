/** The sublevels a Sotto node keeps; every key lives in exactly one. */
export const SUBLEVELS = [
  "users",
  "sessions",
  "contexts",
  "tips",
  "wraps",
  "objects",
  "chunks",
  "timers",
  "audit",
  "settings",
  "guards",
  "holders",
  "counters",
] as const

export type Sublevel = (typeof SUBLEVELS)[number]

/** One write in an atomic batch. */
export type BatchOp =
  | {
      readonly type: "put"
      readonly sublevel: Sublevel
      readonly key: string
      readonly value: Uint8Array
    }
  | { readonly type: "del"; readonly sublevel: Sublevel; readonly key: string }

/** A key range within one sublevel, in byte-wise key order. */
export interface KeyRange {
  readonly gte?: string
  readonly lt?: string
  readonly limit?: number
  readonly reverse?: boolean
}

/**
 * The small interface a storage engine implements (LevelDB here; a distributed engine later).
 * Keys are strings compared byte-wise; values are opaque bytes. `batch` is atomic and durable
 * when it resolves: an acknowledged write survives `kill -9`.
 */
export interface StoreBackend {
  get(sublevel: Sublevel, key: string): Promise<Uint8Array | undefined>
  /** Reads several keys of one sublevel in one round trip; the values in the order of `keys`. */
  getMany(sublevel: Sublevel, keys: readonly string[]): Promise<Array<Uint8Array | undefined>>
  batch(ops: readonly BatchOp[]): Promise<void>
  entries(sublevel: Sublevel, range?: KeyRange): AsyncIterable<readonly [string, Uint8Array]>
  /** Reclaims space after deletions (crypto-shredding is complete only after this). */
  compact(): Promise<void>
  close(): Promise<void>
}
