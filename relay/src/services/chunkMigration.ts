import type { Logger } from "../log.js"
import type { Store } from "../store/store.js"
import { chunkBitsRecord, type FileRecord, setChunkBit } from "./chunkStore.js"
import type { ObjectRecord } from "./records.js"
import { tipOfFile } from "./uploads.js"

// Data format 2 kept every upload chunk as a LevelDB value at `chunks/<fileId>/<index>`; format 3
// keeps a file's bytes in one blob and a received-bitmap at `chunks/<fileId>` (chunkStore.ts).
// The migration runs at start, before any route, one file at a time: the file's chunks are written
// to its blob (each synced), then one synced batch swaps the chunk keys for the bitmap. A crash
// midway leaves whole files in either form, and the next start carries on where it stopped.

/** What the migration moved. */
export interface ChunkMigration {
  readonly files: number
  readonly chunks: number
}

interface Pending {
  readonly fileId: string
  readonly file: FileRecord | undefined
  readonly keys: string[]
  readonly bits: Uint8Array
  received: number
  bytes: number
}

/**
 * Moves format-2 chunk values into blobs and bitmaps, then compacts so the old values leave the
 * LevelDB files. Chunks of a file that no longer exists are dropped.
 * @throws Error from the store (the start fails; rerunning resumes the migration).
 */
export async function migrateChunksToBlobs(store: Store, log: Logger): Promise<ChunkMigration> {
  let files = 0
  let chunks = 0
  let pending: Pending | undefined
  const flush = async () => {
    if (!pending) return
    const batch = store.batch()
    for (const key of pending.keys) batch.del("chunks", key)
    const { file } = pending
    if (file && !file.complete) {
      batch.put("chunks", file.id, chunkBitsRecord(pending.bits, pending.received, pending.bytes))
    }
    await batch.write()
    files++
    pending = undefined
  }
  for await (const [key, value] of store.backend.entries("chunks")) {
    const slash = key.indexOf("/")
    if (slash < 0) continue // already a bitmap
    const fileId = key.slice(0, slash)
    const index = Number(key.slice(slash + 1))
    if (pending?.fileId !== fileId) {
      await flush()
      const record = await store.get<ObjectRecord>("objects", `${tipOfFile(fileId)}/${fileId}`)
      const file = record?.kind === "file" ? record : undefined
      const bits = new Uint8Array(Math.ceil((file?.chunkCount ?? 0) / 8))
      pending = { fileId, file, keys: [], bits, received: 0, bytes: 0 }
    }
    pending.keys.push(key)
    const { file } = pending
    if (!file || !Number.isSafeInteger(index) || index < 0 || index >= file.chunkCount) continue
    await store.backend.writeBlob(fileId, index * file.chunkSize, value)
    setChunkBit(pending.bits, index)
    pending.received++
    pending.bytes += value.byteLength
    chunks++
  }
  await flush()
  if (files > 0) await store.compact()
  log.info("data_dir_migrated", { to: "blobs", files, chunks })
  return { files, chunks }
}
