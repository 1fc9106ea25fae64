import { createHash } from "node:crypto"
import type { RelayContext } from "../context.js"
import { RelayError } from "../errors.js"
import type { Batch } from "../store/store.js"
import type { ObjectRecord } from "./records.js"

// Where an upload's bytes live: one blob per file (a plain file in the data dir on LevelDB, bytea
// pieces on PostgreSQL), chunk i at offset i × chunkSize, written once with pwrite + fdatasync.
// Which chunks arrived is a bitmap record, `chunks/<fileId>`, beside the file record. The chunk's
// bytes are synced before its bit is written, so a bit never claims bytes the disk lacks; the bit
// itself is written without its own sync (a power loss can only drop it, and the client then
// resends the chunk). Callers hold the file's lock (uploads.ts) around every function here.

/** A file's object record. */
export type FileRecord = Extract<ObjectRecord, { kind: "file" }>

/** The `chunks` record of an unfinished upload. */
export interface ChunkBits {
  /** One bit per chunk, chunk i at byte i >> 3, bit i & 7 (base64url). */
  readonly bits: string
  /** How many bits are set. */
  readonly received: number
  /** How many bytes the set chunks hold. */
  readonly bytes: number
}

interface ChunkState {
  bits: Uint8Array
  received: number
  bytes: number
}

/** Chunk states of unfinished uploads, read once from the store and then kept up to date. */
const states = new WeakMap<RelayContext, Map<string, ChunkState>>()

function cache(ctx: RelayContext): Map<string, ChunkState> {
  let map = states.get(ctx)
  if (!map) {
    map = new Map()
    states.set(ctx, map)
  }
  return map
}

/** How many bytes chunk `index` must hold: `chunkSize`, except the last, which holds the rest. */
export function chunkLength(file: FileRecord, index: number): number {
  return index === file.chunkCount - 1 ? file.size - index * file.chunkSize : file.chunkSize
}

async function stateOf(ctx: RelayContext, file: FileRecord): Promise<ChunkState> {
  const known = cache(ctx).get(file.id)
  if (known) return known
  const stored = await ctx.store.get<ChunkBits>("chunks", file.id)
  const state: ChunkState = stored
    ? {
        bits: Buffer.from(stored.bits, "base64url"),
        received: stored.received,
        bytes: stored.bytes,
      }
    : { bits: new Uint8Array(Math.ceil(file.chunkCount / 8)), received: 0, bytes: 0 }
  cache(ctx).set(file.id, state)
  return state
}

const has = (bits: Uint8Array, i: number) => ((bits[i >> 3] ?? 0) & (1 << (i & 7))) !== 0

/** Sets bit `i` of `bits` in place. */
export function setChunkBit(bits: Uint8Array, i: number): void {
  bits[i >> 3] = (bits[i >> 3] ?? 0) | (1 << (i & 7))
}

/** The stored form of a chunk state. */
export function chunkBitsRecord(bits: Uint8Array, received: number, bytes: number): ChunkBits {
  return { bits: Buffer.from(bits).toString("base64url"), received, bytes }
}

/** How many chunks of a file are stored (all of them once it is complete). */
export async function storedChunkCount(ctx: RelayContext, file: FileRecord): Promise<number> {
  return file.complete ? file.chunkCount : (await stateOf(ctx, file)).received
}

/** Indexes of the chunks stored for a file, ascending. */
export async function storedChunkIndexes(ctx: RelayContext, file: FileRecord): Promise<number[]> {
  if (file.complete) return Array.from({ length: file.chunkCount }, (_, i) => i)
  const { bits } = await stateOf(ctx, file)
  const out: number[] = []
  for (let i = 0; i < file.chunkCount; i++) if (has(bits, i)) out.push(i)
  return out
}

/**
 * Writes chunk `index` (length already checked) at its offset, durably, then records its bit and,
 * with `touchedAt`, the file's last activity (the idle-upload timer reads it) in the same batch.
 * A chunk already stored is only compared: the same bytes are acknowledged again.
 * @returns how many chunks of the file are stored.
 * @throws RelayError HASH_MISMATCH (the bytes do not match `sha256`), CONFLICT (other bytes are
 * stored at `index`).
 */
export async function writeChunk(
  ctx: RelayContext,
  file: FileRecord,
  index: number,
  bytes: Uint8Array,
  sha256: string,
  touchedAt?: number,
): Promise<number> {
  const offset = index * file.chunkSize
  // A complete file has no bitmap: every chunk is stored, and none may change.
  const state = file.complete ? undefined : await stateOf(ctx, file)
  if (state === undefined || has(state.bits, index)) {
    checkHash(bytes, sha256)
    const stored = await ctx.store.backend.readBlob(file.id, offset, bytes.byteLength)
    if (!stored || !Buffer.from(stored).equals(bytes)) {
      throw new RelayError("CONFLICT", `chunk ${index} is already stored with other bytes`)
    }
    return state?.received ?? file.chunkCount
  }
  // The disk write runs in the thread pool while the hash runs here. Bytes that fail the hash
  // stay unmarked, so nothing reads them and the next PUT of this index overwrites them.
  const written = ctx.store.backend.writeBlob(file.id, offset, bytes)
  let mismatch: unknown
  try {
    checkHash(bytes, sha256)
  } catch (e) {
    mismatch = e
  }
  await written
  if (mismatch) throw mismatch
  const bits = state.bits.slice()
  setChunkBit(bits, index)
  const next = { bits, received: state.received + 1, bytes: state.bytes + bytes.byteLength }
  const record = chunkBitsRecord(next.bits, next.received, next.bytes)
  const batch = ctx.store.batch().put("chunks", file.id, record)
  if (touchedAt !== undefined)
    batch.put("objects", `${file.tipId}/${file.id}`, { ...file, touchedAt })
  await batch.writeUnsynced()
  cache(ctx).set(file.id, next)
  return next.received
}

function checkHash(bytes: Uint8Array, sha256: string): void {
  if (createHash("sha256").update(bytes).digest("base64url") !== sha256) {
    throw new RelayError(
      "HASH_MISMATCH",
      "the chunk does not match its X-Chunk-Sha256 header; resend it",
      "headers.x-chunk-sha256",
    )
  }
}

/**
 * Adds the deletion of a file's chunk bitmap to `batch` and forgets its cached state. Once the
 * batch is written, {@link deleteChunkBytes} removes the bytes (records first: a crash between
 * the two leaves an orphan blob for {@link sweepOrphanBlobs}, never a bitmap without bytes).
 */
export function dropChunkStateIn(ctx: RelayContext, batch: Batch, fileId: string): void {
  batch.del("chunks", fileId)
  cache(ctx).delete(fileId)
}

/** Forgets a file's cached chunk state (after its records changed under the file's lock). */
export function forgetChunkState(ctx: RelayContext, fileId: string): void {
  cache(ctx).delete(fileId)
}

/** Deletes a file's bytes. */
export function deleteChunkBytes(ctx: RelayContext, fileId: string): Promise<void> {
  return ctx.store.backend.deleteBlob(fileId)
}

/** Bytes read per step of a download. */
const READ_STEP = 1024 * 1024

/**
 * Yields the bytes `start..end` (inclusive) of a complete file, at most 1 MiB at a time.
 * @throws Error when the bytes vanished mid-read (the tip was wiped); the server then drops the stream.
 */
export async function* readChunkBytes(
  ctx: RelayContext,
  file: FileRecord,
  start: number,
  end: number,
): AsyncGenerator<Uint8Array> {
  for (let at = start; at <= end; at += READ_STEP) {
    const length = Math.min(READ_STEP, end - at + 1)
    const bytes = await ctx.store.backend.readBlob(file.id, at, length)
    if (!bytes || bytes.byteLength !== length) throw new Error("a chunk of the file is gone")
    yield bytes
  }
}
