import type { Json } from "@sotto/crypto-core"
import { encryptWithPool, sealedSize } from "@sotto/workers"
import { crypto } from "./crypto.js"
import {
  deleteSubmission,
  newOutboxId,
  type OutboxFile,
  putChunk,
  putSubmission,
} from "./outboxDb.js"
import { type FileMeta, forEachChunk, UPLOAD_CHUNK } from "./upload.js"
import type { SealedTip } from "./wbSubmit.js"
import { wbMetaSealer } from "./wbTip.js"

// Putting a sealed tip into the outbox. The tip was sealed by lib/wbSubmit.ts `sealTip` (no
// network needed); here each attachment is sealed in the file workers to the tip's public key,
// exactly as an online upload would seal it, and written as 1 MiB upload chunks. The receipt
// and the tip's private key are never written: the caller shows the receipt right away.

/** A file to keep: its bytes and what the recipients will learn about it (sealed here). */
export interface OutboxAttachment {
  readonly file: Blob
  readonly meta: FileMeta
}

/**
 * Seals every attachment and writes the submission to the outbox.
 * @returns the outbox id of the submission.
 * @throws DOMException when IndexedDB refuses (private mode, quota), CryptoError from the
 * workers, whatever reading a file throws. Nothing half-written is left behind.
 */
export async function saveToOutbox(request: {
  readonly sealed: SealedTip
  readonly contextName: string
  readonly files: readonly OutboxAttachment[]
  /** Sealed bytes written so far for file `index`, out of `total`. */
  readonly onProgress?: (index: number, done: number, total: number) => void
}): Promise<string> {
  const { sealed } = request
  const id = newOutboxId()
  const sealedFiles: OutboxFile[] = []
  // File records chain after the binding, in order, as an online submission's uploads would.
  const sealMeta = wbMetaSealer(sealed, sealed.head)
  try {
    for (const [index, { file, meta }] of request.files.entries()) {
      sealedFiles.push(
        await sealFile(id, index, sealed.tipRecipient, file, meta, sealMeta, request.onProgress),
      )
    }
    // The record goes in last: a submission is listed only once all of its chunks are stored.
    await putSubmission({
      id,
      contextId: sealed.body.contextId,
      contextName: request.contextName,
      createdAt: Date.now(),
      body: sealed.body,
      files: sealedFiles,
    })
  } catch (error) {
    await deleteSubmission(id).catch(() => undefined)
    throw error
  }
  return id
}

async function sealFile(
  id: string,
  index: number,
  tipRecipient: string,
  file: Blob,
  meta: FileMeta,
  sealMeta: (meta: Json) => Promise<string>,
  onProgress?: (index: number, done: number, total: number) => void,
): Promise<OutboxFile> {
  const sealedMeta = await sealMeta({ ...meta })
  const pool = crypto().filePool()
  try {
    const sealing = await encryptWithPool(pool, file.stream(), [tipRecipient])
    const total = sealedSize(sealing.header.length, file.size)
    let done = 0
    let count = 0
    onProgress?.(index, 0, total)
    await forEachChunk(sealing.stream, UPLOAD_CHUNK, async (chunk, bytes) => {
      await putChunk(id, index, chunk, bytes)
      count = chunk + 1
      done += bytes.length
      onProgress?.(index, done, total)
    })
    return { meta: sealedMeta, size: total, chunkCount: count }
  } finally {
    pool.terminate()
  }
}
