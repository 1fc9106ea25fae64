import type { RelayContext } from "../context.js"
import { RelayError } from "../errors.js"
import { type Batch, prefixRange } from "../store/store.js"
import {
  chunkLength,
  deleteChunkBytes,
  dropChunkStateIn,
  type FileRecord,
  forgetChunkState,
  readChunkBytes,
  storedChunkCount,
  storedChunkIndexes,
  writeChunk,
} from "./chunkStore.js"
import { newId } from "./ids.js"
import type { NodeSettings, ObjectRecord, TipRecord } from "./records.js"
import { formatBytes, objectBytes, quotasOf, writeWithUsage } from "./storageUsage.js"
import { timers } from "./timers.js"
import { countUsage, fullUsage, tipKey, withLock, withTip } from "./tips.js"

// The stored side of resumable uploads. A file is `objects/<tipId>/<fileId>` plus its bytes in a
// blob and, while unfinished, a received-bitmap at `chunks/<fileId>` (chunkStore.ts); the file id
// ends with the tip id, so no index key is needed.
// Every change to one file runs under that file's lock, so concurrent PUTs of the same index,
// finalize, the abandoned-upload wipe and a tip's wipe (withTipUploadsLocked) never interleave.

export { chunkLength, type FileRecord }

const RANDOM_PART = 22

/**
 * How long an unfinished upload may go without a new chunk before it is collected with its
 * chunks, and its bytes leave the tip's, channel's and node's counts: 6 hours (README "Quotas and
 * disk": a resumed upload must come back within that; the outbox then starts the file again).
 */
export const UPLOAD_IDLE_MS = 6 * 60 * 60_000

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
 * The files' cached chunk states are forgotten afterwards, since this is how a wipe removes them.
 */
export function withTipUploadsLocked<T>(
  ctx: RelayContext,
  tipId: string,
  fn: (objects: Array<[string, ObjectRecord]>) => Promise<T>,
): Promise<T> {
  return withLock(ctx, uploadsOf(tipId), async () => {
    const objects = await ctx.store.list<ObjectRecord>("objects", prefixRange(`${tipId}/`))
    const fileIds = objects.flatMap(([, o]) => (o.kind === "file" ? [o.id] : [])).sort()
    const lockAll = (rest: readonly string[]): Promise<T> => {
      const [first, ...others] = rest
      if (first === undefined) return fn(objects)
      return withLock(ctx, fileLock(first), () => lockAll(others)).finally(() =>
        forgetChunkState(ctx, first),
      )
    }
    return lockAll(fileIds)
  })
}

/**
 * How many chunks each file holds, and adds the deletion of their bitmaps to `batch` (a wipe).
 * Callers hold the files' locks ({@link withTipUploadsLocked}).
 */
export async function dropFilesChunksIn(
  ctx: RelayContext,
  batch: Batch,
  files: readonly FileRecord[],
): Promise<number> {
  let chunks = 0
  for (const file of files) {
    chunks += await storedChunkCount(ctx, file)
    dropChunkStateIn(ctx, batch, file.id)
  }
  return chunks
}

/** Indexes of the chunks stored for a file, ascending. @throws RelayError NOT_FOUND. */
export function receivedChunks(ctx: RelayContext, fileId: string): Promise<number[]> {
  return withLock(ctx, fileLock(fileId), async () =>
    storedChunkIndexes(ctx, await requireFile(ctx, fileId)),
  )
}

/**
 * Records a new, incomplete upload (with its audit entry) and returns its record. The file's
 * declared size and metadata count against the tip's file quota and, in the same batch, against
 * the channel's and node's usage from the start, so unfinished uploads cannot bypass either.
 * @throws RelayError CONFLICT when the tip already has `maxFiles` files (finished or not),
 * QUOTA_EXCEEDED (`body.size`) past the tip's file bytes, BUDGET_EXCEEDED (whistleblower only)
 * past the channel's or node's budget, NOT_FOUND when the tip is gone (a wipe that ran first).
 */
export function createUpload(
  ctx: RelayContext,
  fields: { tipId: string; author: string; meta: string; size: number; chunkSize: number },
  maxFiles: number,
): Promise<FileRecord> {
  // The tip lock guards the usage counts; the upload lock keeps a wipe from orphaning the file.
  return withTip(ctx, fields.tipId, () =>
    withLock(ctx, uploadsOf(fields.tipId), async () => {
      const tip = await ctx.store.require<TipRecord>("tips", tipKey(fields.tipId), "tip")
      const usage = await fullUsage(ctx, tip)
      if (usage.fileSlots >= maxFiles) {
        throw new RelayError(
          "CONFLICT",
          `this tip already has the ${maxFiles} files its context allows`,
        )
      }
      const bytes = fields.size + fields.meta.length
      const { tipFileBytes } = quotasOf(await ctx.store.get<NodeSettings>("settings", "node"))
      if (usage.fileBytes + bytes > tipFileBytes) {
        throw new RelayError(
          "QUOTA_EXCEEDED",
          `this tip's files may hold ${formatBytes(tipFileBytes)} in all; ${formatBytes(Math.max(0, tipFileBytes - usage.fileBytes))} are left`,
          "body.size",
        )
      }
      const next = { ...usage, fileSlots: usage.fileSlots + 1, fileBytes: usage.fileBytes + bytes }
      return writeUpload(ctx, fields, (batch) =>
        writeWithUsage(ctx, batch.put("tips", tipKey(tip.id), { ...tip, usage: next }), {
          contextId: tip.contextId,
          bytes,
          enforce: fields.author === "wb",
        }),
      )
    }),
  )
}

async function writeUpload(
  ctx: RelayContext,
  fields: { tipId: string; author: string; meta: string; size: number; chunkSize: number },
  write: (batch: Batch) => Promise<void>,
): Promise<FileRecord> {
  const batch = ctx.store.batch()
  const createdAt = ctx.clock.now()
  const fileId = newFileId(fields.tipId)
  const idleTimer = timers.add(batch, createdAt + UPLOAD_IDLE_MS, { kind: "upload.idle", fileId })
  const file: FileRecord = {
    kind: "file",
    id: fileId,
    tipId: fields.tipId,
    author: fields.author,
    createdAt,
    meta: fields.meta,
    size: fields.size,
    chunkSize: fields.chunkSize,
    chunkCount: Math.ceil(fields.size / fields.chunkSize),
    complete: false,
    idleTimer,
  }
  batch.put("objects", `${file.tipId}/${file.id}`, file)
  ctx.audit.add(batch, {
    actor: fields.author,
    action: "upload.started",
    target: file.tipId,
    details: { fileId: file.id, size: file.size, chunks: file.chunkCount },
  })
  await write(batch)
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
    // The file's last activity goes with the chunk, so an upload in progress is never idle.
    return writeChunk(ctx, file, index, bytes, sha256, ctx.clock.now())
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
      const missing = file.chunkCount - (await storedChunkCount(ctx, file))
      if (missing > 0) {
        throw new RelayError(
          "INCOMPLETE_UPLOAD",
          `${missing} of ${file.chunkCount} chunks are still missing`,
        )
      }
      const tip = await ctx.store.require<TipRecord>("tips", tipKey(file.tipId), "tip")
      const usage = tip.usage ?? (await countUsage(ctx, file.tipId))
      const batch = ctx.store
        .batch()
        .put("objects", `${file.tipId}/${file.id}`, { ...withoutTimer(file), complete: true })
        // The complete-file count beside the tip record (usage.files), in the same batch.
        .put("tips", tipKey(file.tipId), {
          ...tip,
          usage: { ...usage, files: (usage.files ?? 0) + 1 },
        })
      if (file.idleTimer) timers.remove(batch, file.idleTimer)
      ctx.audit.add(batch, {
        actor,
        action: "file.added",
        target: file.tipId,
        details: { fileId, size: file.size },
      })
      // A complete file needs no bitmap: every chunk is there.
      dropChunkStateIn(ctx, batch, fileId)
      await batch.write()
      const holders = await ctx.store.keys("wraps", prefixRange(`${file.tipId}/`))
      ctx.events.publish({
        type: "file.added",
        tipId: file.tipId,
        users: holders.map((k) => k.slice(file.tipId.length + 1)).filter((h) => h !== "wb"),
        wb: file.author !== "wb",
      })
    }),
  )
}

/**
 * Yields the bytes `start..end` (inclusive) of a complete file, at most 1 MiB at a time.
 * @throws Error when the bytes vanished mid-read (the tip was wiped); the server then drops the stream.
 */
export const readFileRange = readChunkBytes

/**
 * Deletes files whose upload was started before `olderThan` (ms) and never finalised, with their
 * bytes (see {@link collectUpload}), then deletes blobs no file record names (a crash between a
 * wipe's batch and its unlink). The daily sweep runs it for uploads started before the idle
 * timers existed; newer uploads are collected by their own `upload.idle` timer.
 * @returns how many files were removed (orphan blobs not counted).
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
    if (await collectUpload(ctx, fileId, (file) => file.createdAt < olderThan)) removed++
  }
  for await (const blobId of ctx.store.backend.blobIds()) {
    await withLock(ctx, fileLock(blobId), async () => {
      const record = await ctx.store.get("objects", `${tipOfFile(blobId)}/${blobId}`)
      if (record === undefined) await deleteChunkBytes(ctx, blobId)
    })
  }
  return removed
}

/**
 * Deletes an unfinished upload and its chunks when `isStale(file)` says so (see
 * {@link removeUpload}). Runs under the tip's and the file's locks (the order finalize takes).
 * @returns whether the file was removed.
 */
export function collectUpload(
  ctx: RelayContext,
  fileId: string,
  isStale: (file: FileRecord) => boolean,
): Promise<boolean> {
  return withUploadLocked(ctx, fileId, async (file) => {
    if (!file || !isStale(file)) return false
    await removeUpload(ctx, ctx.store.batch(), file)
    return true
  })
}

/**
 * The `upload.idle` timer: collects the file when no chunk arrived for {@link UPLOAD_IDLE_MS},
 * else moves the timer to when it would have been idle that long.
 */
export function runUploadIdle(ctx: RelayContext, key: string, fileId: string): Promise<void> {
  return withUploadLocked(ctx, fileId, async (file) => {
    const batch = ctx.store.batch()
    timers.remove(batch, key)
    if (!file) return batch.write()
    const idleUntil = (file.touchedAt ?? file.createdAt) + UPLOAD_IDLE_MS
    if (ctx.clock.now() >= idleUntil) return removeUpload(ctx, batch, file)
    const idleTimer = timers.add(batch, idleUntil, { kind: "upload.idle", fileId })
    return batch.put("objects", `${file.tipId}/${fileId}`, { ...file, idleTimer }).write()
  })
}

/** Runs `fn` with the unfinished upload `fileId` (undefined when gone or complete) under its tip's and its own lock. */
function withUploadLocked<T>(
  ctx: RelayContext,
  fileId: string,
  fn: (file: FileRecord | undefined) => Promise<T>,
): Promise<T> {
  const tipId = tipOfFile(fileId)
  return withTip(ctx, tipId, () =>
    withLock(ctx, fileLock(fileId), async () => {
      const file = await ctx.store.get<ObjectRecord>("objects", `${tipId}/${fileId}`)
      return fn(file?.kind === "file" && !file.complete ? file : undefined)
    }),
  )
}

/**
 * Deletes an unfinished upload, its chunks and its idle timer in `batch`, gives its bytes back to
 * the tip's, channel's and node's counts in the same batch, audits `upload.abandoned`, writes.
 */
async function removeUpload(ctx: RelayContext, batch: Batch, file: FileRecord): Promise<void> {
  const { tipId, id: fileId } = file
  const chunks = await storedChunkCount(ctx, file)
  batch.del("objects", `${tipId}/${fileId}`)
  dropChunkStateIn(ctx, batch, fileId)
  if (file.idleTimer) timers.remove(batch, file.idleTimer)
  ctx.audit.add(batch, {
    actor: "system",
    action: "upload.abandoned",
    target: tipId,
    details: { fileId, chunks },
  })
  const tip = await ctx.store.get<TipRecord>("tips", tipKey(tipId))
  if (tip) {
    const usage = await fullUsage(ctx, tip)
    const bytes = objectBytes(file)
    const next = {
      ...usage,
      fileSlots: Math.max(0, usage.fileSlots - 1),
      fileBytes: Math.max(0, usage.fileBytes - bytes),
    }
    batch.put("tips", tipKey(tipId), { ...tip, usage: next })
    await writeWithUsage(ctx, batch, { contextId: tip.contextId, bytes: -bytes, enforce: false })
  } else {
    await batch.write()
  }
  // Records first: a crash before the unlink leaves an orphan blob the daily sweep deletes.
  await deleteChunkBytes(ctx, fileId)
}

/** A file record without its idle timer's key (once complete). */
function withoutTimer(file: FileRecord): FileRecord {
  const { idleTimer: _, ...rest } = file
  return rest
}

/** Deletes the bytes of files whose records a wipe's batch just removed (under their locks). */
export async function deleteFilesBytes(
  ctx: RelayContext,
  fileIds: readonly string[],
): Promise<void> {
  for (const fileId of fileIds) await deleteChunkBytes(ctx, fileId)
}
