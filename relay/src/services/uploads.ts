import { createHash } from "node:crypto"
import type { RelayContext } from "../context.js"
import { RelayError } from "../errors.js"
import { prefixRange } from "../store/store.js"
import { newId } from "./ids.js"
import type { ObjectRecord, TipRecord } from "./records.js"
import { countUsage, tipKey, withLock, withTip } from "./tips.js"
import { tipSummary } from "./tipViews.js"

// The stored side of resumable uploads. A file is `objects/<tipId>/<fileId>` plus its chunks at
// `chunks/<fileId>/<index>`; the file id ends with the tip id, so no index key is needed.
// Every change to one file runs under that file's lock, so concurrent PUTs of the same index,
// finalize, the abandoned-upload wipe and a tip's wipe (withTipUploadsLocked) never interleave.

/** A file's object record. */
export type FileRecord = Extract<ObjectRecord, { kind: "file" }>

const RANDOM_PART = 22

/** Chunks stored per unfinished file, counted once from the store and then kept up to date. */
const counts = new WeakMap<RelayContext, Map<string, number>>()

function receivedCounts(ctx: RelayContext): Map<string, number> {
  let received = counts.get(ctx)
  if (!received) {
    received = new Map()
    counts.set(ctx, received)
  }
  return received
}

// Lock keys (tips.ts `withLock`): one per tip for starting uploads (not `tip:<id>`, which the
// tip's wipe already holds when it takes these), one per file.
const uploadsOf = (tipId: string) => `uploads:${tipId}`
const fileLock = (fileId: string) => `file:${fileId}`

/** A new file id for a tip: 22 random base64url characters, then the tip id. */
export function newFileId(tipId: string): string {
  return `${newId()}${tipId}`
}

/** The tip a file id belongs to (everything after the random part). */
export function tipOfFile(fileId: string): string {
  return fileId.slice(RANDOM_PART)
}

/** The `chunks` key of one chunk. */
export function chunkKey(fileId: string, index: number): string {
  return `${fileId}/${String(index).padStart(6, "0")}`
}

/** How many bytes chunk `index` must hold: `chunkSize`, except the last, which holds the rest. */
export function chunkLength(file: FileRecord, index: number): number {
  return index === file.chunkCount - 1 ? file.size - index * file.chunkSize : file.chunkSize
}

/** Reads a file record. @throws RelayError NOT_FOUND. */
export function requireFile(ctx: RelayContext, fileId: string): Promise<FileRecord> {
  return ctx.store.get<ObjectRecord>("objects", `${tipOfFile(fileId)}/${fileId}`).then((record) => {
    if (record?.kind !== "file") throw new RelayError("NOT_FOUND", "file not found")
    return record
  })
}

/**
 * Runs `fn` while no upload of `tipId` can start and no chunk PUT, finalize or abandoned-upload
 * wipe of its files can run: it takes the tip's upload lock, lists the tip's objects, then takes
 * the lock of each of its files (in id order). `fn` gets the objects as listed under those locks.
 * The files' cached chunk counts are forgotten afterwards, since this is how a wipe removes them.
 */
export function withTipUploadsLocked<T>(
  ctx: RelayContext,
  tipId: string,
  fn: (objects: Array<[string, ObjectRecord]>) => Promise<T>,
): Promise<T> {
  return withLock(ctx, uploadsOf(tipId), async () => {
    const objects = await ctx.store.list<ObjectRecord>("objects", prefixRange(`${tipId}/`))
    const fileIds = objects.flatMap(([, o]) => (o.kind === "file" ? [o.id] : [])).sort()
    const received = receivedCounts(ctx)
    const lockAll = (rest: readonly string[]): Promise<T> => {
      const [first, ...others] = rest
      if (first === undefined) return fn(objects)
      return withLock(ctx, fileLock(first), () => lockAll(others)).finally(() =>
        received.delete(first),
      )
    }
    return lockAll(fileIds)
  })
}

async function receivedCount(ctx: RelayContext, fileId: string): Promise<number> {
  const received = receivedCounts(ctx)
  const known = received.get(fileId)
  if (known !== undefined) return known
  const count = (await ctx.store.keys("chunks", prefixRange(`${fileId}/`))).length
  received.set(fileId, count)
  return count
}

/** Indexes of the chunks stored for a file, ascending. */
export async function receivedChunks(ctx: RelayContext, fileId: string): Promise<number[]> {
  const keys = await ctx.store.keys("chunks", prefixRange(`${fileId}/`))
  return keys.map((key) => Number(key.slice(fileId.length + 1)))
}

/**
 * Records a new, incomplete upload (with its audit entry) and returns its record.
 * @throws RelayError CONFLICT when the tip already has `maxFiles` files (finished or not),
 * NOT_FOUND when the tip is gone (a wipe that ran first).
 */
export function createUpload(
  ctx: RelayContext,
  fields: { tipId: string; author: string; meta: string; size: number; chunkSize: number },
  maxFiles: number,
): Promise<FileRecord> {
  return withLock(ctx, uploadsOf(fields.tipId), async () => {
    // A wipe holds this lock while it deletes the tip; a file created after it would be orphaned.
    await ctx.store.require("tips", `t/${fields.tipId}`, "tip")
    const objects = await ctx.store.list<ObjectRecord>("objects", prefixRange(`${fields.tipId}/`))
    if (objects.filter(([, o]) => o.kind === "file").length >= maxFiles) {
      throw new RelayError(
        "CONFLICT",
        `this tip already has the ${maxFiles} files its context allows`,
      )
    }
    return writeUpload(ctx, fields)
  })
}

async function writeUpload(
  ctx: RelayContext,
  fields: { tipId: string; author: string; meta: string; size: number; chunkSize: number },
): Promise<FileRecord> {
  const file: FileRecord = {
    kind: "file",
    id: newFileId(fields.tipId),
    tipId: fields.tipId,
    author: fields.author,
    createdAt: ctx.clock.now(),
    meta: fields.meta,
    size: fields.size,
    chunkSize: fields.chunkSize,
    chunkCount: Math.ceil(fields.size / fields.chunkSize),
    complete: false,
  }
  const batch = ctx.store.batch().put("objects", `${file.tipId}/${file.id}`, file)
  ctx.audit.add(batch, {
    actor: fields.author,
    action: "upload.started",
    target: file.tipId,
    details: { fileId: file.id, size: file.size, chunks: file.chunkCount },
  })
  await batch.write()
  return file
}

/**
 * Stores chunk `index` durably, or acknowledges it again when the same bytes are already stored.
 * @returns how many chunks of the file are stored.
 * @throws RelayError VALIDATION (index out of range, wrong length), HASH_MISMATCH (the bytes do not
 * match `sha256`), CONFLICT (different bytes already stored at `index`), NOT_FOUND (file gone).
 */
export function storeChunk(
  ctx: RelayContext,
  fileId: string,
  index: number,
  bytes: Uint8Array,
  sha256: string,
): Promise<number> {
  return withLock(ctx, fileLock(fileId), async () => {
    const file = await requireFile(ctx, fileId)
    if (index >= file.chunkCount) {
      throw new RelayError(
        "VALIDATION",
        `"params.index" must be below the file's ${file.chunkCount} chunks`,
        "params.index",
      )
    }
    const expected = chunkLength(file, index)
    if (bytes.byteLength !== expected) {
      throw new RelayError(
        "VALIDATION",
        `"body" of chunk ${index} must be ${expected} bytes, got ${bytes.byteLength}`,
        "body",
      )
    }
    if (createHash("sha256").update(bytes).digest("base64url") !== sha256) {
      throw new RelayError(
        "HASH_MISMATCH",
        "the chunk does not match its X-Chunk-Sha256 header; resend it",
        "headers.x-chunk-sha256",
      )
    }
    const key = chunkKey(fileId, index)
    const stored = await ctx.store.getBytes("chunks", key)
    if (stored) {
      if (!Buffer.from(stored).equals(bytes)) {
        throw new RelayError("CONFLICT", `chunk ${index} is already stored with other bytes`)
      }
      return receivedCount(ctx, fileId)
    }
    const before = await receivedCount(ctx, fileId)
    await ctx.store.batch().putBytes("chunks", key, bytes).write()
    receivedCounts(ctx).set(fileId, before + 1)
    return before + 1
  })
}

/**
 * Marks a file complete once all its chunks are stored, audits it and publishes `file.added` to
 * the tip's holders (and to its whistleblower when staff uploaded). Finalizing twice is a no-op.
 * @throws RelayError INCOMPLETE_UPLOAD naming how many chunks are missing, NOT_FOUND.
 */
export function finalizeUpload(ctx: RelayContext, fileId: string, actor: string): Promise<void> {
  // The tip lock first (it guards the record's usage counts), then the file's: the order a wipe
  // takes them in, so the two never wait on each other.
  return withTip(ctx, tipOfFile(fileId), () =>
    withLock(ctx, fileLock(fileId), async () => {
      const file = await requireFile(ctx, fileId)
      if (file.complete) return
      const missing = file.chunkCount - (await receivedCount(ctx, fileId))
      if (missing > 0) {
        throw new RelayError(
          "INCOMPLETE_UPLOAD",
          `${missing} of ${file.chunkCount} chunks are still missing`,
        )
      }
      const tip = await ctx.store.require<TipRecord>("tips", tipKey(file.tipId), "tip")
      const usage = tip.usage ?? (await countUsage(ctx, file.tipId))
      const next: TipRecord = { ...tip, usage: { ...usage, files: (usage.files ?? 0) + 1 } }
      const batch = ctx.store
        .batch()
        .put("objects", `${file.tipId}/${file.id}`, { ...file, complete: true })
        // The complete-file count beside the tip record (usage.files), in the same batch.
        .put("tips", tipKey(file.tipId), next)
      ctx.audit.add(batch, {
        actor,
        action: "file.added",
        target: file.tipId,
        details: { fileId, size: file.size },
      })
      await batch.write()
      receivedCounts(ctx).delete(fileId)
      const holders = await ctx.store.keys("wraps", prefixRange(`${file.tipId}/`))
      ctx.events.publish({
        type: "file.added",
        tipId: file.tipId,
        users: holders.map((k) => k.slice(file.tipId.length + 1)).filter((h) => h !== "wb"),
        wb: file.author !== "wb",
        tip: await tipSummary(ctx, next),
      })
    }),
  )
}

/**
 * Yields the bytes `start..end` (inclusive) of a complete file, one stored chunk at a time.
 * @throws Error when a chunk vanished mid-read (the tip was wiped); the server then drops the stream.
 */
export async function* readFileRange(
  ctx: RelayContext,
  file: FileRecord,
  start: number,
  end: number,
): AsyncGenerator<Uint8Array> {
  for (let i = Math.floor(start / file.chunkSize); i * file.chunkSize <= end; i++) {
    const chunk = await ctx.store.getBytes("chunks", chunkKey(file.id, i))
    if (!chunk) throw new Error("a chunk of the file is gone")
    const offset = i * file.chunkSize
    yield chunk.subarray(Math.max(0, start - offset), Math.min(chunk.byteLength, end - offset + 1))
  }
}

/**
 * Deletes files whose upload was started before `olderThan` (ms) and never finalised, with their
 * chunks: one batch per file, audited as `upload.abandoned`. Run by the wipe sweep (24 h).
 * @returns how many files were removed.
 */
export async function wipeAbandonedUploads(ctx: RelayContext, olderThan: number): Promise<number> {
  const stale: string[] = []
  // Streams the sublevel so memory stays bounded on a node with many comments.
  for await (const [, bytes] of ctx.store.backend.entries("objects")) {
    const record = JSON.parse(Buffer.from(bytes).toString("utf8")) as ObjectRecord
    if (record.kind === "file" && !record.complete && record.createdAt < olderThan) {
      stale.push(record.id)
    }
  }
  let removed = 0
  for (const fileId of stale) {
    const wiped = await withLock(ctx, fileLock(fileId), async () => {
      const file = await ctx.store.get<ObjectRecord>("objects", `${tipOfFile(fileId)}/${fileId}`)
      if (file?.kind !== "file" || file.complete) return false
      const chunks = await ctx.store.keys("chunks", prefixRange(`${fileId}/`))
      const batch = ctx.store.batch().del("objects", `${file.tipId}/${fileId}`)
      for (const key of chunks) batch.del("chunks", key)
      ctx.audit.add(batch, {
        actor: "system",
        action: "upload.abandoned",
        target: file.tipId,
        details: { fileId, chunks: chunks.length },
      })
      await batch.write()
      receivedCounts(ctx).delete(fileId)
      return true
    })
    if (wiped) removed++
  }
  return removed
}
