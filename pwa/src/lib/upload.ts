import type { AgeRecipient, Json } from "@sotto/crypto-core"
import { files, RelayClientError } from "@sotto/protocol"
import { encryptWithPool, sealedSize } from "@sotto/workers"
import { relay } from "./api.js"
import { crypto } from "./crypto.js"
import { fileSlices } from "./fileSlices.js"
import { toHex } from "./format.js"
import { uploadChunkSize } from "./linkSpeed.js"
import { toBase64url } from "./wbBytes.js"

// One attachment from the person's disk to the relay: metadata sealed as a tip part, contents
// sealed as an age file by a pool of file workers, sent in 1 MiB chunks each carrying its
// SHA-256 (hashed in a worker). A chunk that fails on the network or with a 5xx is sent again
// after a growing pause (0.5 s, 1 s, 2 s … at most 5 s), asking the relay first what it already
// holds, so a relay restart mid-upload costs a few seconds and never the file. Memory stays
// bounded: the file is read in slices (lib/fileSlices.ts) and at most one chunk plus the pool's
// batches are held.

/**
 * Chunk size of uploads sealed ahead of time (the offline outbox), when the link they will travel
 * is unknown: the relay's smallest, which a 100 kbit/s uplink still carries (lib/linkSpeed.ts).
 */
export const UPLOAD_CHUNK = files.MIN_CHUNK_SIZE

/** What the recipients learn about a file, sealed to the tip ("metadata" part). */
export interface FileMeta {
  readonly name: string
  readonly type: string
  readonly size: number
  /** Lowercase hex SHA-256 of the plain file, as shown to the sender. */
  readonly sha256: string
  /** The questionnaire field the file was attached to, when any. */
  readonly field?: string
}

/** What {@link uploadFile} needs. */
export interface UploadRequest {
  readonly session: string
  readonly tipId: string
  /** The tip's public key: metadata and contents are sealed to it. */
  readonly tipRecipient: AgeRecipient
  readonly file: Blob
  readonly meta: FileMeta
  /**
   * Seals the metadata as the sender's next transcript entry (lib/wbTip.ts `wbMetaSealer`), so
   * the file record carries its author, place and signature inside the ciphertext.
   */
  readonly sealMeta: (meta: Json) => Promise<string>
  /** Sealed bytes the relay acknowledged so far, out of `total`. */
  readonly onProgress?: (sent: number, total: number) => void
  /** True while the connection is lost and a send is being retried, false once it works again. */
  readonly onRetrying?: (retrying: boolean) => void
  readonly signal?: AbortSignal
}

/** The file's bytes are not those fingerprinted when it was attached (edited or replaced on disk). */
export class FileChangedError extends Error {
  readonly code = "FILE_CHANGED"
  constructor(name: string) {
    super(`"${name}" changed after it was attached`)
    this.name = "FileChangedError"
  }
}

/** The pause before retry number `attempt` (0-based): 0.5 s doubling, at most 5 s. */
export function retryDelay(attempt: number): number {
  return Math.min(5000, 500 * 2 ** attempt)
}

/** Whether an error is worth retrying: no answer at all (network), 5xx, 429 or a damaged chunk. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof RelayClientError) {
    return error.status >= 500 || error.status === 429 || error.code === "HASH_MISMATCH"
  }
  return error instanceof TypeError
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer)
        reject(signal.reason)
      },
      { once: true },
    )
  })
}

/**
 * Runs `send` until it succeeds, pausing by {@link retryDelay} after each retryable failure
 * and calling `before(attempt)` ahead of each retry. It never gives up on a lost connection;
 * the caller's signal ends it.
 * @throws the first error that is not retryable, or the abort reason.
 */
export async function withRetry<T>(
  send: () => Promise<T>,
  options: {
    readonly onRetrying?: ((retrying: boolean) => void) | undefined
    readonly signal?: AbortSignal | undefined
    readonly before?: (attempt: number) => Promise<T | undefined>
  } = {},
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      const early = attempt > 0 ? await options.before?.(attempt) : undefined
      const result = early ?? (await send())
      if (attempt > 0) options.onRetrying?.(false)
      return result
    } catch (error) {
      if (options.signal?.aborted || !isRetryable(error)) throw error
      options.onRetrying?.(true)
      await sleep(retryDelay(attempt), options.signal)
    }
  }
}

/**
 * Encrypts and uploads one file to a tip, then finalizes it.
 * @returns the relay's file id.
 * @throws RelayClientError for refusals (VALIDATION for a file over the context's limit,
 * CONFLICT when the tip has its maximum of files), CryptoError from the workers, the abort reason.
 */
export async function uploadFile(request: UploadRequest): Promise<string> {
  const { session, tipId, tipRecipient, file, signal, onRetrying } = request
  const retry = { onRetrying, signal }
  const meta = await request.sealMeta({ ...request.meta })
  const pool = crypto().filePool()
  try {
    let sentDigest: string | undefined
    // Hashed inside the encrypt pipeline: the fingerprint sealed in the metadata (computed when
    // the file was attached) must be the one of the bytes actually sent.
    // Read in 1 MiB slices as the workers ask for them, never the whole File.
    const sealing = await encryptWithPool(pool, fileSlices(file), [tipRecipient], {
      onDigest: (sha256) => {
        sentDigest = toHex(sha256)
      },
    })
    const total = sealedSize(sealing.header.length, file.size)
    const chunkSize = uploadChunkSize()
    const { fileId } = await withRetry(
      () =>
        relay.call(files.createFile, {
          session,
          params: { tipId },
          body: { meta, size: total, chunkSize },
        }),
      retry,
    )
    let sent = 0
    request.onProgress?.(0, total)
    const send = async (index: number, chunk: Uint8Array) => {
      const hash = toBase64url(await pool.run((remote) => remote.sha256(chunk)))
      await withRetry(
        () =>
          relay.call(files.putFileChunk, {
            session,
            params: { fileId, index: String(index) },
            body: chunk,
            headers: { [files.CHUNK_HASH_HEADER]: hash },
            ...(signal ? { signal } : {}),
          }),
        {
          ...retry,
          // After a lost connection, ask what the relay already holds before sending again.
          before: async () => {
            const status = await relay.call(files.getFileStatus, { session, params: { fileId } })
            return status.received.includes(index) ? { index, received: 0 } : undefined
          },
        },
      )
      sent += chunk.length
      request.onProgress?.(sent, total)
    }
    await forEachChunk(sealing.stream, chunkSize, send)
    if (sentDigest !== request.meta.sha256.toLowerCase()) {
      // Left unfinalised: the relay wipes an upload that is never finalised.
      throw new FileChangedError(request.meta.name)
    }
    await withRetry(() => relay.call(files.finalizeFile, { session, params: { fileId } }), retry)
    return fileId
  } finally {
    pool.terminate()
  }
}

/**
 * Regroups a stream into chunks of exactly `size` bytes (the last one shorter) and hands each to
 * `send` in order (a fresh buffer each, except that the last may be a view of a larger one).
 * @throws whatever reading the stream or `send` throws.
 */
export async function forEachChunk(
  stream: ReadableStream<Uint8Array>,
  size: number,
  send: (index: number, chunk: Uint8Array) => Promise<void>,
): Promise<void> {
  let buffer = new Uint8Array(size)
  let filled = 0
  let index = 0
  for await (const piece of stream as unknown as AsyncIterable<Uint8Array>) {
    let offset = 0
    while (offset < piece.length) {
      const take = Math.min(size - filled, piece.length - offset)
      buffer.set(piece.subarray(offset, offset + take), filled)
      filled += take
      offset += take
      if (filled === size) {
        await send(index++, buffer)
        buffer = new Uint8Array(size)
        filled = 0
      }
    }
  }
  if (filled > 0) await send(index, buffer.subarray(0, filled))
}
