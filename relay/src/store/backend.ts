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

/** How a batch is written. */
export interface BatchOptions {
  /**
   * false: atomic but not forced to stable storage before resolving (it survives the process
   * being killed, not a power loss, and the next synced batch makes it durable). Default true.
   */
  readonly sync?: boolean
}

/** Blob ids: what a file name and a SQL text key can both hold without escaping. */
export const BLOB_ID = /^[A-Za-z0-9_-]{1,200}$/

/**
 * The blob side of a backend: large byte strings written in pieces at their offsets (upload
 * files), beside the keyed records. A blob exists once a piece is written; bytes never written
 * read as zeros. Writers keep pieces of one blob apart or rewrite a piece exactly.
 */
export interface BlobBackend {
  /**
   * Writes `bytes` at `offset` of blob `id`, creating the blob; durable when it resolves.
   * @throws Error for an id outside {@link BLOB_ID} or a negative offset.
   */
  writeBlob(id: string, offset: number, bytes: Uint8Array): Promise<void>
  /**
   * Reads `length` bytes at `offset`, fewer where the blob ends first.
   * @returns undefined when the blob does not exist.
   */
  readBlob(id: string, offset: number, length: number): Promise<Uint8Array | undefined>
  /** Deletes a blob and its bytes (a missing one is not an error); durable when it resolves. */
  deleteBlob(id: string): Promise<void>
  /** The ids of every blob, in no particular order. */
  blobIds(): AsyncIterable<string>
}

/**
 * The small interface a storage engine implements (LevelDB here; a distributed engine later).
 * Keys are strings compared byte-wise; values are opaque bytes. `batch` is atomic and, unless
 * asked otherwise, durable when it resolves: an acknowledged write survives `kill -9` and a
 * power loss. Blobs live beside the records ({@link BlobBackend}).
 */
export interface StoreBackend extends BlobBackend {
  get(sublevel: Sublevel, key: string): Promise<Uint8Array | undefined>
  batch(ops: readonly BatchOp[], options?: BatchOptions): Promise<void>
  entries(sublevel: Sublevel, range?: KeyRange): AsyncIterable<readonly [string, Uint8Array]>
  /** Reclaims space after deletions (crypto-shredding is complete only after this). */
  compact(): Promise<void>
  close(): Promise<void>
}

/**
 * Checks a blob id and offset before any engine touches them.
 * @throws Error naming the argument.
 */
export function checkBlobArgs(id: string, offset = 0): void {
  if (typeof id !== "string" || !BLOB_ID.test(id)) {
    throw new Error(`blob id must match ${BLOB_ID}, got ${JSON.stringify(id)}`)
  }
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new Error(`blob offset must be a non-negative integer, got ${offset}`)
  }
}
