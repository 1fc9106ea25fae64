import { CryptoError } from "@sotto/crypto-core"

/** One batch cut from a byte stream. */
export interface ByteBatch {
  /** A fresh copy that owns its whole ArrayBuffer, so it can be transferred to a worker. */
  readonly bytes: Uint8Array
  /** True when the stream ends right after this batch. */
  readonly last: boolean
}

/**
 * Cuts a stream of byte arrays of any sizes into batches of a fixed size, and tells which batch
 * is the last: age needs the last chunk flagged, so a batch is handed out only once the reader
 * knows whether anything follows it. Holds at most one batch plus one incoming piece.
 */
export class BatchReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>
  readonly #parts: Uint8Array[] = []
  #head = 0
  #length = 0
  #ended = false

  /** Locks `source` until the reader is exhausted or cancelled. */
  constructor(source: ReadableStream<Uint8Array>) {
    this.#reader = source.getReader()
  }

  /**
   * The next `size` bytes, or fewer when the stream ends first. After the batch flagged `last`,
   * further calls return empty last batches.
   * @throws CryptoError `BAD_INPUT` when the stream yields something other than bytes.
   */
  async next(size: number): Promise<ByteBatch> {
    await this.#fill(size + 1)
    const bytes = this.#take(Math.min(size, this.#length))
    return { bytes, last: this.#ended && this.#length === 0 }
  }

  /** A copy of the first `size` bytes (fewer when the stream is shorter), left in place. */
  async peek(size: number): Promise<Uint8Array> {
    await this.#fill(size)
    const out = new Uint8Array(Math.min(size, this.#length))
    let filled = 0
    let head = this.#head
    for (const part of this.#parts) {
      if (filled === out.length) break
      const used = Math.min(part.length - head, out.length - filled)
      out.set(part.subarray(head, head + used), filled)
      filled += used
      head = 0
    }
    return out
  }

  /** Drops `size` bytes that {@link BatchReader.peek} already returned. */
  skip(size: number): void {
    this.#take(Math.min(size, this.#length))
  }

  /** Stops reading: cancels the source unless it already ended, and unlocks it. */
  async cancel(reason?: unknown): Promise<void> {
    this.#parts.length = 0
    this.#length = 0
    if (!this.#ended) {
      this.#ended = true
      await this.#reader.cancel(reason).catch(() => undefined)
    }
    this.#reader.releaseLock()
  }

  async #fill(atLeast: number): Promise<void> {
    while (!this.#ended && this.#length < atLeast) {
      const { done, value } = await this.#reader.read()
      if (done) {
        this.#ended = true
      } else if (!(value instanceof Uint8Array)) {
        throw new CryptoError("BAD_INPUT", "a file stream must yield Uint8Array chunks")
      } else if (value.length > 0) {
        this.#parts.push(value)
        this.#length += value.length
      }
    }
  }

  #take(size: number): Uint8Array {
    const out = new Uint8Array(size)
    let filled = 0
    while (filled < size) {
      const part = this.#parts[0]
      if (part === undefined) throw new Error("BatchReader underflow")
      const used = Math.min(part.length - this.#head, size - filled)
      out.set(part.subarray(this.#head, this.#head + used), filled)
      filled += used
      this.#head += used
      if (this.#head === part.length) {
        this.#parts.shift()
        this.#head = 0
      }
    }
    this.#length -= size
    return out
  }
}
