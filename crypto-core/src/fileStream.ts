import { Encrypter } from "age-encryption"
import { ChunkQueue } from "./_chunkQueue.js"
import {
  CHUNK_SIZE,
  openChunk,
  PAYLOAD_NONCE_SIZE,
  payloadKey,
  payloadSize,
  SEALED_CHUNK_SIZE,
  sealChunk,
} from "./_stream.js"
import { expectBytes } from "./_validate.js"
import {
  type AddressedTo,
  type AgeIdentity,
  type AgeRecipient,
  decryptAgeHeader,
  stanzaRecipient,
} from "./age.js"
import { CryptoError } from "./errors.js"

export { CHUNK_SIZE as FILE_CHUNK_SIZE, SEALED_CHUNK_SIZE as FILE_SEALED_CHUNK_SIZE }

/** An age header longer than this is refused rather than buffered. */
const MAX_HEADER_SIZE = 64 * 1024
const MAC_LINE = new TextEncoder().encode("\n--- ")

/**
 * The secret state that lets an upload resume after a reload: the 16-byte file key and the
 * header. Whoever holds it can read the file, so keep it only encrypted.
 */
export interface FileSealerState {
  readonly fileKey: Uint8Array
  readonly header: Uint8Array
}

/**
 * Encrypts one file as a standard age v1 file, chunk by chunk in any order, so chunks can be
 * encrypted in parallel workers and re-encrypted identically when an upload resumes.
 */
export class FileSealer {
  /** The age header followed by the 16-byte payload nonce: the first bytes of the file. */
  readonly header: Uint8Array
  readonly #fileKey: Uint8Array
  readonly #key: Uint8Array

  /** @throws CryptoError `BAD_INPUT` when the state is malformed. */
  constructor(state: FileSealerState) {
    this.#fileKey = expectBytes("state.fileKey", state.fileKey, 16).slice()
    this.header = expectBytes("state.header", state.header).slice()
    const headerLength = findHeaderLength(this.header)
    if (headerLength !== this.header.length) {
      throw new CryptoError("BAD_INPUT", `"state.header" is not an age header plus payload nonce`)
    }
    this.#key = payloadKey(this.#fileKey, this.header.subarray(-PAYLOAD_NONCE_SIZE))
  }

  /**
   * Seals plaintext chunk `index`: exactly 64 KiB, except the last chunk (1 byte to 64 KiB, or
   * empty when it is the only chunk).
   * @throws CryptoError `BAD_INPUT` on a wrong size.
   */
  sealChunk(index: number, plaintext: Uint8Array, last: boolean): Uint8Array {
    return sealChunk(this.#key, index, plaintext, last)
  }

  /** Byte offset of sealed chunk `index` in the age file. */
  chunkOffset(index: number): number {
    return this.header.length + index * SEALED_CHUNK_SIZE
  }

  /** Total size of the age file for a plaintext of `size` bytes. */
  sealedSize(size: number): number {
    return this.header.length + payloadSize(size)
  }

  /** The resume state; see {@link FileSealerState}. */
  exportState(): FileSealerState {
    return { fileKey: this.#fileKey.slice(), header: this.header.slice() }
  }
}

/**
 * Starts a new file for the given recipients (usually the tip recipient). The header and the file
 * key are made by age-encryption itself; Sotto only keeps the file key to seal chunks by index.
 * @throws CryptoError `BAD_INPUT` on a malformed or empty recipient list.
 */
export async function createFileSealer(recipients: readonly AgeRecipient[]): Promise<FileSealer> {
  if (recipients.length === 0) throw new CryptoError("BAD_INPUT", `"recipients" must not be empty`)
  const e = new Encrypter()
  recipients.forEach((r, i) => {
    e.addRecipient(stanzaRecipient(`recipients[${i}]`, r))
  })
  let fileKey: Uint8Array | undefined
  // A recipient that adds no stanza and only remembers the file key age-encryption drew.
  e.addRecipient({
    wrapFileKey(key: Uint8Array) {
      fileKey = key.slice()
      return []
    },
  })
  const emptyFile = await e.encrypt(new Uint8Array(0))
  const headerLength = findHeaderLength(emptyFile)
  if (fileKey === undefined || headerLength === undefined) {
    throw new Error("age-encryption did not produce a header")
  }
  return new FileSealer({ fileKey, header: emptyFile.slice(0, headerLength) })
}

/**
 * Length of the age header plus payload nonce at the start of `bytes`, or `undefined` when more
 * bytes are needed.
 * @throws CryptoError `TAMPERED` when no header ends within 64 KiB or the file is not age v1.
 */
export function findHeaderLength(bytes: Uint8Array): number | undefined {
  const intro = new TextEncoder().encode("age-encryption.org/v1\n")
  const head = bytes.subarray(0, intro.length)
  if (head.some((b, i) => b !== intro[i])) {
    throw new CryptoError("TAMPERED", "this is not an age v1 file")
  }
  const limit = Math.min(bytes.length, MAX_HEADER_SIZE)
  outer: for (let i = 0; i + MAC_LINE.length <= limit; i++) {
    for (let j = 0; j < MAC_LINE.length; j++) if (bytes[i + j] !== MAC_LINE[j]) continue outer
    const end = bytes.indexOf(0x0a, i + MAC_LINE.length)
    if (end === -1) break
    const total = end + 1 + PAYLOAD_NONCE_SIZE
    return total <= bytes.length ? total : undefined
  }
  if (bytes.length >= MAX_HEADER_SIZE)
    throw new CryptoError("TAMPERED", "the age header is too long")
  return undefined
}

/** Reads a file chunk by chunk once its header is known (for ranged or parallel decryption). */
export interface FileOpener {
  /** Bytes of header plus payload nonce; sealed chunk `i` starts at `headerLength + i * (64 KiB + 16)`. */
  readonly headerLength: number
  /** @throws CryptoError `TAMPERED` when the chunk does not authenticate. */
  openChunk(index: number, sealed: Uint8Array, last: boolean): Uint8Array
}

/**
 * Opens the header at the start of `prefix` (which must hold at least the header and nonce).
 * @throws CryptoError `WRONG_KEY`, `TAMPERED`, or `BAD_INPUT` when `prefix` is too short.
 */
export async function openFileHeader(
  prefix: Uint8Array,
  identity: AgeIdentity,
  addressedTo?: AddressedTo,
): Promise<FileOpener> {
  const headerLength = findHeaderLength(expectBytes("prefix", prefix))
  if (headerLength === undefined) {
    throw new CryptoError("BAD_INPUT", `"prefix" does not yet hold the whole age header`)
  }
  const macEnd = headerLength - PAYLOAD_NONCE_SIZE
  const fileKey = await decryptAgeHeader(prefix.subarray(0, macEnd), identity, addressedTo)
  const key = payloadKey(fileKey, prefix.subarray(macEnd, headerLength))
  return { headerLength, openChunk: (index, sealed, last) => openChunk(key, index, sealed, last) }
}

/** Progress of a streamed encryption or decryption, in plaintext bytes so far. */
export interface FileStreamOptions {
  readonly onProgress?: (plaintextBytes: number) => void
}

/**
 * A TransformStream from plaintext to a complete age file, holding at most one chunk of lookahead:
 * memory stays constant whatever the file size.
 */
export function createEncryptStream(
  sealer: FileSealer,
  options: FileStreamOptions = {},
): TransformStream<Uint8Array, Uint8Array> {
  const queue = new ChunkQueue()
  let index = 0
  let done = 0
  const emit = (
    controller: TransformStreamDefaultController<Uint8Array>,
    size: number,
    last: boolean,
  ) => {
    const plaintext = queue.take(size)
    controller.enqueue(sealer.sealChunk(index++, plaintext, last))
    done += plaintext.length
    options.onProgress?.(done)
  }
  return new TransformStream({
    start(controller) {
      controller.enqueue(sealer.header.slice())
    },
    transform(chunk, controller) {
      queue.push(expectBytes("chunk", chunk))
      // Strictly more than a chunk: the final chunk must be sealed with the last-chunk flag.
      while (queue.length > CHUNK_SIZE) emit(controller, CHUNK_SIZE, false)
    },
    flush(controller) {
      emit(controller, queue.length, true)
    },
  })
}

/**
 * A TransformStream from an age file to its plaintext, verifying every chunk before passing it
 * on; truncation, reordering or any flipped bit fails the stream with `TAMPERED`.
 */
export function createDecryptStream(
  identity: AgeIdentity,
  addressedTo?: AddressedTo,
  options: FileStreamOptions = {},
): TransformStream<Uint8Array, Uint8Array> {
  const queue = new ChunkQueue()
  let opener: FileOpener | undefined
  let index = 0
  let done = 0
  const emit = (
    controller: TransformStreamDefaultController<Uint8Array>,
    size: number,
    last: boolean,
  ) => {
    const plaintext = (opener as FileOpener).openChunk(index++, queue.take(size), last)
    controller.enqueue(plaintext)
    done += plaintext.length
    options.onProgress?.(done)
  }
  return new TransformStream({
    async transform(chunk, controller) {
      queue.push(expectBytes("chunk", chunk))
      if (!opener) {
        const prefix = queue.peek(MAX_HEADER_SIZE + PAYLOAD_NONCE_SIZE)
        if (findHeaderLength(prefix) === undefined) return
        opener = await openFileHeader(prefix, identity, addressedTo)
        queue.take(opener.headerLength)
      }
      while (queue.length > SEALED_CHUNK_SIZE) emit(controller, SEALED_CHUNK_SIZE, false)
    },
    flush(controller) {
      if (!opener) throw new CryptoError("TAMPERED", "the file ends inside its header")
      emit(controller, queue.length, true)
    },
  })
}

/**
 * Encrypts a plaintext stream to `recipients` as a standard age v1 file (the `age` CLI reads it).
 * @throws CryptoError `BAD_INPUT` on bad recipients.
 */
export async function encryptFile(
  source: ReadableStream<Uint8Array>,
  recipients: readonly AgeRecipient[],
  options: FileStreamOptions = {},
): Promise<ReadableStream<Uint8Array>> {
  const sealer = await createFileSealer(recipients)
  return source.pipeThrough(createEncryptStream(sealer, options))
}

/**
 * Decrypts an age file stream. The returned stream errors with `WRONG_KEY` or `TAMPERED`.
 */
export function decryptFile(
  source: ReadableStream<Uint8Array>,
  identity: AgeIdentity,
  addressedTo?: AddressedTo,
  options: FileStreamOptions = {},
): ReadableStream<Uint8Array> {
  return source.pipeThrough(createDecryptStream(identity, addressedTo, options))
}
