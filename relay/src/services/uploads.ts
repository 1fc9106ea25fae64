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
import type { ObjectRecord, TipRecord } from "./records.js"
import { countUsage, tipKey, withLock, withTip } from "./tips.js"

// The stored side of resumable uploads. A file is `objects/<tipId>/<fileId>` plus its bytes in a
// blob and, while unfinished, a received-bitmap at `chunks/<fileId>` (chunkStore.ts); the file id
// ends with the tip id, so no index key is needed.
// Every change to one file runs under that file's lock, so concurrent PUTs of the same index,
// finalize, the abandoned-upload wipe and a tip's wipe (withTipUploadsLocked) never interleave.

export { chunkLength, type FileRecord }

const RANDOM_PART = 22

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
    return writeChunk(ctx, file, index, bytes, sha256)
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
        .put("objects", `${file.tipId}/${file.id}`, { ...file, complete: true })
        // The complete-file count beside the tip record (usage.files), in the same batch.
        .put("tips", tipKey(file.tipId), {
          ...tip,
          usage: { ...usage, files: (usage.files ?? 0) + 1 },
        })
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
 * bytes: one batch per file, audited as `upload.abandoned`, then the blob. Also deletes blobs no
 * file record names (a crash between a wipe's batch and its unlink). Run by the wipe sweep (24 h).
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
    const wiped = await withLock(ctx, fileLock(fileId), async () => {
      const file = await ctx.store.get<ObjectRecord>("objects", `${tipOfFile(fileId)}/${fileId}`)
      if (file?.kind !== "file" || file.complete) return false
      const chunks = await storedChunkCount(ctx, file)
      const batch = ctx.store.batch().del("objects", `${file.tipId}/${fileId}`)
      dropChunkStateIn(ctx, batch, fileId)
      ctx.audit.add(batch, {
        actor: "system",
        action: "upload.abandoned",
        target: file.tipId,
        details: { fileId, chunks },
      })
      await batch.write()
      await deleteChunkBytes(ctx, fileId)
      return true
    })
    if (wiped) removed++
  }
  for await (const blobId of ctx.store.backend.blobIds()) {
    await withLock(ctx, fileLock(blobId), async () => {
      const record = await ctx.store.get("objects", `${tipOfFile(blobId)}/${blobId}`)
      if (record === undefined) await deleteChunkBytes(ctx, blobId)
    })
  }
  return removed
}

/** Deletes the bytes of files whose records a wipe's batch just removed (under their locks). */
export async function deleteFilesBytes(
  ctx: RelayContext,
  fileIds: readonly string[],
): Promise<void> {
  for (const fileId of fileIds) await deleteChunkBytes(ctx, fileId)
}
