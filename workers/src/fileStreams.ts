import {
  type AddressedTo,
  type AgeIdentity,
  type AgeRecipient,
  CryptoError,
  FILE_CHUNK_SIZE,
  FILE_SEALED_CHUNK_SIZE,
  type FileSealerState,
} from "@sotto/crypto-core"
import { transfer } from "comlink"
import { BatchReader } from "./batchReader.js"
import type { FileApi } from "./fileWorker.js"
import type { WorkerPool } from "./pool.js"

// The main-thread side of file encryption: cut the source into batches of whole age chunks, send
// each to a free worker of a pool (buffers transferred, not copied), and emit the results in
// order. At most `maxInFlight` batches exist at once, so memory is bounded whatever the file size.

/** The age header (with its payload nonce) is at most 64 KiB; the prefix that must hold it. */
const HEADER_PREFIX = 64 * 1024 + 16
const TAG_SIZE = FILE_SEALED_CHUNK_SIZE - FILE_CHUNK_SIZE

/** Tuning and progress for {@link encryptWithPool} and {@link decryptWithPool}. */
export interface PoolStreamOptions {
  /** Age chunks per batch sent to a worker; default 16 (1 MiB). */
  readonly batchChunks?: number
  /** Batches in flight at once; default twice the pool size. Memory is about 2 × this × batch. */
  readonly maxInFlight?: number
  /** Plaintext bytes done so far, called in order after each batch leaves the stream. */
  readonly onProgress?: (plaintextBytes: number) => void
  /**
   * When given, the plaintext is hashed inside the pipeline (SHA-256, in order, in one worker of
   * the pool while the others seal or open), and this gets the digest before the stream closes:
   * no second pass over the file. Not for a resumed encryption, which sees only the file's tail.
   */
  readonly onDigest?: (sha256: Uint8Array) => void
}

/** A file being encrypted: what to record before uploading, and the age file's bytes. */
export interface EncryptingFile {
  /** The age header and payload nonce (the file's first bytes). */
  readonly header: Uint8Array
  /** Resume state: secret, store it only encrypted (see {@link resumeEncryptWithPool}). */
  readonly state: FileSealerState
  /** The age file from the resume point on (from byte 0, header included, for a new file). */
  readonly stream: ReadableStream<Uint8Array>
}

/** Where a resumed upload restarts, from {@link resumePoint}. */
export interface ResumePoint {
  /** The age chunk to restart sealing at: pass it to {@link resumeEncryptWithPool}. */
  readonly chunk: number
  /** Where the plaintext source must start (`chunk × 64 KiB`). */
  readonly plaintextOffset: number
  /** Where the resumed stream starts in the age file: 0 (header included) for chunk 0. */
  readonly sealedOffset: number
}

interface Batch {
  readonly index: number
  readonly bytes: Uint8Array
  readonly last: boolean
}

interface Stage {
  readonly prefix?: Uint8Array
  next(): Promise<Batch>
  work(batch: Batch): Promise<Uint8Array>
  /** Called in order with each result before it leaves the stream. */
  emitted?(result: Uint8Array): Promise<void>
  /** Called once after the last result, before the stream closes. */
  finish?(): Promise<void>
  close(reason?: unknown): Promise<void>
}

/**
 * A file's running SHA-256 in one worker of the pool (the last slot: the pool hands work to the
 * first free slot, so the last is the least loaded). Each piece is copied, since the original is
 * transferred to a sealing worker or handed to the reader, and at most two pieces wait in line.
 */
class DigestLane {
  #last: Promise<void> = Promise.resolve()

  private constructor(
    private readonly pool: WorkerPool<FileApi>,
    private readonly slot: number,
    private readonly id: number,
  ) {}

  static async start(pool: WorkerPool<FileApi>): Promise<DigestLane> {
    const slot = pool.size - 1
    return new DigestLane(pool, slot, await pool.on(slot, (remote) => remote.startDigest()))
  }

  /** Queues `bytes` (copied) after the pieces before it; resolves once the previous one is hashed. */
  async push(bytes: Uint8Array): Promise<void> {
    const copy = bytes.slice()
    const previous = this.#last
    this.#last = this.pool.on(this.slot, (remote) =>
      remote.digestUpdate(this.id, transfer(copy, [copy.buffer])),
    )
    this.#last.catch(() => undefined)
    await previous
  }

  async finish(): Promise<Uint8Array> {
    await this.#last
    return this.pool.on(this.slot, (remote) => remote.digestFinish(this.id))
  }

  release(): Promise<unknown> {
    return this.pool.on(this.slot, (remote) => remote.release(this.id)).catch(() => undefined)
  }
}

/** The digest hooks of a stage: hash `pick`ed bytes in order, report the digest at the end. */
async function digestHooks(
  pool: WorkerPool<FileApi>,
  onDigest: ((sha256: Uint8Array) => void) | undefined,
): Promise<{ lane?: DigestLane; finish?: () => Promise<void> }> {
  if (onDigest === undefined) return {}
  const lane = await DigestLane.start(pool)
  return { lane, finish: async () => onDigest(await lane.finish()) }
}

/** Size of the age file for a plaintext of `size` bytes. */
export function sealedSize(headerLength: number, size: number): number {
  return headerLength + size + Math.max(1, Math.ceil(size / FILE_CHUNK_SIZE)) * TAG_SIZE
}

/** Where to restart when the relay already holds the first `uploaded` bytes of the age file. */
export function resumePoint(headerLength: number, uploaded: number): ResumePoint {
  const chunk = Math.max(0, Math.floor((uploaded - headerLength) / FILE_SEALED_CHUNK_SIZE))
  return {
    chunk,
    plaintextOffset: chunk * FILE_CHUNK_SIZE,
    sealedOffset: chunk === 0 ? 0 : headerLength + chunk * FILE_SEALED_CHUNK_SIZE,
  }
}

/**
 * Encrypts `source` to `recipients` as one age file, sealing batches in parallel on the pool.
 * @throws CryptoError `BAD_INPUT` on bad recipients or options; the stream errors as the workers do.
 */
export async function encryptWithPool(
  pool: WorkerPool<FileApi>,
  source: ReadableStream<Uint8Array>,
  recipients: readonly AgeRecipient[],
  options: PoolStreamOptions = {},
): Promise<EncryptingFile> {
  const state = await pool.run((remote) => remote.createSealerState(recipients))
  return resumeEncryptWithPool(pool, source, state, 0, options)
}

/**
 * Continues a file from its saved state at age chunk `fromChunk` (see {@link resumePoint}):
 * `source` must start at plaintext byte `fromChunk × 64 KiB`. The bytes are identical to those
 * of the first attempt, so an upload can resend an overlap safely.
 * @throws CryptoError `BAD_INPUT` when the state or options are malformed.
 */
export async function resumeEncryptWithPool(
  pool: WorkerPool<FileApi>,
  source: ReadableStream<Uint8Array>,
  state: FileSealerState,
  fromChunk: number,
  options: PoolStreamOptions = {},
): Promise<EncryptingFile> {
  const chunks = batchChunksOf(options)
  if (options.onDigest !== undefined && fromChunk !== 0) {
    throw new CryptoError(
      "BAD_INPUT",
      `"onDigest" needs the whole file, not one resumed at a chunk`,
    )
  }
  const ids = await pool.all((remote) => remote.loadSealer(state))
  const { lane, finish } = await digestHooks(pool, options.onDigest)
  const reader = new BatchReader(source)
  let index = fromChunk
  const stage: Stage = {
    ...(fromChunk === 0 ? { prefix: state.header.slice() } : {}),
    async next() {
      const { bytes, last } = await reader.next(chunks * FILE_CHUNK_SIZE)
      // Hashed from a copy before the batch is transferred to a sealing worker.
      await lane?.push(bytes)
      const batch = { index, bytes, last }
      index += chunks
      return batch
    },
    ...(finish ? { finish } : {}),
    work: ({ index, bytes, last }) =>
      pool.run((remote, slot) =>
        remote.sealChunks(idIn(ids, slot), index, transfer(bytes, [bytes.buffer]), last),
      ),
    close: async (reason) => {
      await lane?.release()
      await closeAll(pool, ids, reader, reason)
    },
  }
  const stream = inOrder(
    async () => stage,
    pool.size,
    options,
    (size) => size,
  )
  return { header: state.header.slice(), state, stream }
}

/**
 * Decrypts an age file stream on the pool, verifying every chunk before it is released. The
 * header is read and opened (in every worker) on the first read.
 * The stream errors with CryptoError `WRONG_KEY` or `TAMPERED`.
 * @throws CryptoError `BAD_INPUT` on bad options.
 */
export function decryptWithPool(
  pool: WorkerPool<FileApi>,
  source: ReadableStream<Uint8Array>,
  identity: AgeIdentity,
  options: PoolStreamOptions & { readonly addressedTo?: AddressedTo } = {},
): ReadableStream<Uint8Array> {
  const chunks = batchChunksOf(options)
  const start = async (): Promise<Stage> => {
    const reader = new BatchReader(source)
    const prefix = await reader.peek(HEADER_PREFIX).catch(async (error: unknown) => {
      await reader.cancel(error)
      throw error
    })
    const sessions = await openEverywhere(pool, reader, prefix, identity, options.addressedTo)
    const ids = sessions.map((s) => s.id)
    const { lane, finish } = await digestHooks(pool, options.onDigest)
    reader.skip(sessions[0]?.headerLength ?? 0)
    let index = 0
    return {
      // Hashed in order as each verified batch leaves the stream.
      ...(lane ? { emitted: (plaintext: Uint8Array) => lane.push(plaintext) } : {}),
      ...(finish ? { finish } : {}),
      async next() {
        const { bytes, last } = await reader.next(chunks * FILE_SEALED_CHUNK_SIZE)
        const batch = { index, bytes, last }
        index += chunks
        return batch
      },
      work: ({ index, bytes, last }) =>
        pool.run((remote, slot) =>
          remote.openChunks(idIn(ids, slot), index, transfer(bytes, [bytes.buffer]), last),
        ),
      close: async (reason) => {
        await lane?.release()
        await closeAll(pool, ids, reader, reason)
      },
    }
  }
  return inOrder(start, pool.size, options, (_, plaintext) => plaintext.length)
}

/**
 * Opens the header in every worker (each needs the payload key); on any failure releases the
 * sessions that did open, then throws the first error (`WRONG_KEY`, `TAMPERED`).
 */
async function openEverywhere(
  pool: WorkerPool<FileApi>,
  reader: BatchReader,
  prefix: Uint8Array,
  identity: AgeIdentity,
  addressedTo: AddressedTo,
): Promise<{ readonly id: number; readonly headerLength: number }[]> {
  const settled = await pool.all((remote) =>
    remote.openFile(prefix, identity, addressedTo).then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    ),
  )
  const failure = settled.find((s) => !s.ok)
  if (failure !== undefined && !failure.ok) {
    await closeAll(
      pool,
      settled.map((s) => (s.ok ? s.value.id : undefined)),
      reader,
      failure.error,
    )
    throw failure.error
  }
  return settled.flatMap((s) => (s.ok ? [s.value] : []))
}

function batchChunksOf(options: PoolStreamOptions): number {
  const chunks = options.batchChunks ?? 16
  const inFlight = options.maxInFlight ?? 1
  if (!Number.isInteger(chunks) || chunks < 1 || !Number.isInteger(inFlight) || inFlight < 1) {
    throw new CryptoError("BAD_INPUT", `"batchChunks" and "maxInFlight" must be positive integers`)
  }
  return chunks
}

function idIn(ids: readonly (number | undefined)[], slot: number): number {
  const id = ids[slot]
  if (id === undefined) throw new RangeError(`no file session for worker ${slot}`)
  return id
}

async function closeAll(
  pool: WorkerPool<FileApi>,
  ids: readonly (number | undefined)[],
  reader: BatchReader,
  reason?: unknown,
): Promise<void> {
  await reader.cancel(reason)
  await pool
    .all(async (remote, slot) => {
      const id = ids[slot]
      if (id !== undefined) await remote.release(id)
    })
    .catch(() => undefined)
}

/**
 * The ordered parallel stream both directions share: dispatch up to `maxInFlight` batches to
 * the pool, emit results strictly in order, report progress, clean up on end, error or cancel.
 */
function inOrder(
  start: () => Promise<Stage>,
  poolSize: number,
  options: PoolStreamOptions,
  plaintextOf: (batchSize: number, result: Uint8Array) => number,
): ReadableStream<Uint8Array> {
  const maxInFlight = options.maxInFlight ?? poolSize * 2
  const pending: { readonly result: Promise<Uint8Array>; readonly size: number }[] = []
  let stage: Stage | undefined
  let ended = false
  let closed = false
  let done = 0
  const close = async (reason?: unknown) => {
    if (closed) return
    closed = true
    await stage?.close(reason)
  }
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          if (stage === undefined) {
            stage = await start()
            if (stage.prefix) controller.enqueue(stage.prefix)
          }
          while (!ended && pending.length < maxInFlight) {
            const batch = await stage.next()
            ended = batch.last
            const size = batch.bytes.length
            const result = stage.work(batch)
            result.catch(() => undefined)
            pending.push({ result, size })
          }
          const head = pending.shift()
          if (head !== undefined) {
            const bytes = await head.result
            await stage.emitted?.(bytes)
            controller.enqueue(bytes)
            done += plaintextOf(head.size, bytes)
            options.onProgress?.(done)
          }
          if (ended && pending.length === 0) {
            await stage.finish?.()
            await close()
            controller.close()
          }
        } catch (error) {
          await close(error)
          throw error
        }
      },
      cancel: (reason) => close(reason),
    },
    { highWaterMark: 0 },
  )
}
