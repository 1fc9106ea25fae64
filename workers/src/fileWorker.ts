/**
 * The file worker: age STREAM sealing and opening of attachments, batch by batch. The worker is
 * stateless apart from small sessions (a sealer or an opener, by id); plaintext and ciphertext
 * only pass through, transferred rather than copied, so memory stays bounded whatever the file
 * size. Several file workers form a pool: age chunks are independent, so batches of one file can
 * be sealed or opened on different workers and reassembled in order (see `fileStreams.ts`).
 */

import {
  type AddressedTo,
  type AgeIdentity,
  type AgeRecipient,
  activeChunkAead,
  CryptoError,
  createFileSealer,
  FILE_CHUNK_SIZE,
  FILE_SEALED_CHUNK_SIZE,
  type FileOpener,
  FileSealer,
  type FileSealerState,
  findHeaderLength,
  openFileHeader,
  useChunkAead,
} from "@sotto/crypto-core"
import { loadSodiumChunkAead } from "@sotto/crypto-core/aead-sodium"
import { transfer } from "comlink"
import { type Sha256Stream, sha256Once, sha256Stream } from "./_sha256.js"
import { exposeApi, type ProgressCallback, withProgress } from "./workerRuntime.js"

const TAG_SIZE = FILE_SEALED_CHUNK_SIZE - FILE_CHUNK_SIZE
const sealers = new Map<number, FileSealer>()
const openers = new Map<number, FileOpener>()
const digests = new Map<number, Sha256Stream>()
let nextId = 1

// libsodium's WebAssembly AEAD once it has loaded (about 2.4× the pure-JS rate), noble until then
// and wherever WebAssembly is refused. Both give the same bytes, so chunks never wait for the
// ~120 KB download (seconds on Tor) and may switch paths mid-file.
const aeadChosen: Promise<string> = loadSodiumChunkAead().then((aead) => {
  if (aead) useChunkAead(aead)
  return activeChunkAead().name
})

function session<T>(sessions: Map<number, T>, id: number): T {
  const found = sessions.get(id)
  if (found === undefined)
    throw new CryptoError("BAD_INPUT", `no file session ${id} in this worker`)
  return found
}

/**
 * How many chunks a batch of `length` bytes holds, for chunks of `size` bytes: whole chunks
 * unless it is the file's last batch, which ends with a shorter (or, alone, empty) chunk.
 */
function chunkCount(length: number, size: number, last: boolean, what: string): number {
  if (last) return Math.max(1, Math.ceil(length / size))
  if (length === 0 || length % size !== 0) {
    throw new CryptoError("BAD_INPUT", `"${what}" of a batch that is not last must be whole chunks`)
  }
  return length / size
}

/** The bytes of a result handed to the main thread without a copy. */
function handOver(bytes: Uint8Array): Uint8Array {
  return transfer(bytes, [bytes.buffer])
}

/**
 * What the file worker exposes. Sealing: `createSealerState` once per file, `loadSealer` in each
 * worker that will seal batches, `sealChunks` per batch, `release` at the end. Opening: `openFile`
 * in each worker with the file's first bytes, `openChunks` per batch, `release`.
 */
export const fileApi = {
  /**
   * Starts a new file for the recipients (usually the tip recipient): the age header and file key.
   * Keep the state to resume an upload; it is secret, so store it only encrypted.
   * @throws CryptoError `BAD_INPUT` on bad recipients.
   */
  async createSealerState(recipients: readonly AgeRecipient[]): Promise<FileSealerState> {
    return (await createFileSealer(recipients)).exportState()
  },

  /**
   * Loads a sealer from its state into this worker. @returns the session id for `sealChunks`.
   * @throws CryptoError `BAD_INPUT` when the state is malformed.
   */
  loadSealer(state: FileSealerState): number {
    const id = nextId++
    sealers.set(id, new FileSealer(state))
    return id
  },

  /**
   * Seals consecutive plaintext chunks starting at chunk `firstIndex`. `plaintext` is whole
   * 64 KiB chunks, except in the file's last batch (`last`), whose final chunk is shorter.
   * Transfer `plaintext`'s buffer in; the sealed batch comes back transferred.
   * @throws CryptoError `BAD_INPUT` on a wrong size or unknown session.
   */
  sealChunks(id: number, firstIndex: number, plaintext: Uint8Array, last: boolean): Uint8Array {
    const sealer = session(sealers, id)
    const count = chunkCount(plaintext.length, FILE_CHUNK_SIZE, last, "plaintext")
    const out = new Uint8Array(plaintext.length + count * TAG_SIZE)
    for (let i = 0; i < count; i++) {
      const piece = plaintext.subarray(i * FILE_CHUNK_SIZE, (i + 1) * FILE_CHUNK_SIZE)
      out.set(
        sealer.sealChunk(firstIndex + i, piece, last && i === count - 1),
        i * FILE_SEALED_CHUNK_SIZE,
      )
    }
    return handOver(out)
  },

  /**
   * Opens a file's header from its first bytes (at least the header and 16-byte nonce: the
   * first 64 KiB + 16 bytes, or the whole file when shorter).
   * @returns the session id for `openChunks` and where the first sealed chunk starts.
   * @throws CryptoError `WRONG_KEY`, `TAMPERED`.
   */
  async openFile(
    prefix: Uint8Array,
    identity: AgeIdentity,
    addressedTo?: AddressedTo,
  ): Promise<{ readonly id: number; readonly headerLength: number }> {
    // The caller hands over 64 KiB + 16 bytes or the whole file, so a header that has not ended
    // by then never will.
    if (findHeaderLength(prefix) === undefined) {
      throw new CryptoError("TAMPERED", "the file ends inside its header")
    }
    const opener = await openFileHeader(prefix, identity, addressedTo)
    const id = nextId++
    openers.set(id, opener)
    return { id, headerLength: opener.headerLength }
  },

  /**
   * Opens consecutive sealed chunks starting at chunk `firstIndex`, verifying each. `sealed` is
   * whole sealed chunks (64 KiB + 16), except in the file's last batch (`last`).
   * @throws CryptoError `TAMPERED` when any chunk does not authenticate or has an impossible size.
   */
  openChunks(id: number, firstIndex: number, sealed: Uint8Array, last: boolean): Uint8Array {
    const opener = session(openers, id)
    const count = chunkCount(sealed.length, FILE_SEALED_CHUNK_SIZE, last, "sealed")
    const pieces: Uint8Array[] = []
    let size = 0
    for (let i = 0; i < count; i++) {
      const piece = sealed.subarray(i * FILE_SEALED_CHUNK_SIZE, (i + 1) * FILE_SEALED_CHUNK_SIZE)
      const plaintext = opener.openChunk(firstIndex + i, piece, last && i === count - 1)
      pieces.push(plaintext)
      size += plaintext.length
    }
    const out = new Uint8Array(size)
    let offset = 0
    for (const piece of pieces) {
      out.set(piece, offset)
      offset += piece.length
    }
    return handOver(out)
  },

  /**
   * The SHA-256 of a whole file (a Blob or File), read as a stream with an incremental hash, so
   * memory stays bounded whatever its size. Progress is the fraction read, ending with 1.
   * @throws whatever reading the Blob throws (e.g. the file changed on disk).
   */
  digestBlob(blob: Blob, onProgress?: ProgressCallback): Promise<Uint8Array> {
    return withProgress(
      onProgress,
      async (report) => {
        const hash = await sha256Stream()
        let done = 0
        for await (const piece of blob.stream() as unknown as AsyncIterable<Uint8Array>) {
          hash.update(piece)
          done += piece.length
          report(blob.size > 0 ? done / blob.size : 1)
        }
        return hash.digest()
      },
      () => 1,
    )
  },

  /**
   * Starts a running SHA-256 of a file's plaintext, fed in order by the encrypt or decrypt
   * pipeline (`onDigest` in `fileStreams.ts`) while other workers seal or open its batches.
   * @returns the session id for `digestUpdate` and `digestFinish`.
   */
  async startDigest(): Promise<number> {
    const id = nextId++
    digests.set(id, await sha256Stream())
    return id
  },

  /** Hashes the next piece of the file (transfer it in). @throws CryptoError `BAD_INPUT` when unknown. */
  digestUpdate(id: number, piece: Uint8Array): void {
    session(digests, id).update(piece)
  },

  /** The SHA-256 of everything fed so far; ends the session. @throws CryptoError `BAD_INPUT` when unknown. */
  digestFinish(id: number): Uint8Array {
    const digest = session(digests, id).digest()
    digests.delete(id)
    return digest
  },

  /** The SHA-256 of some bytes (an upload chunk, for its `X-Chunk-Sha256` header). */
  async sha256(bytes: Uint8Array): Promise<Uint8Array> {
    return (await sha256Once(bytes)).digest
  },

  /** Which SHA-256 this worker uses for one-shot and incremental hashes (tests, bench). */
  async sha256Paths(): Promise<{ readonly once: string; readonly stream: string }> {
    return { once: (await sha256Once(new Uint8Array(1))).by, stream: (await sha256Stream()).by }
  },

  /** Which ChaCha20-Poly1305 this worker settles on: `libsodium-wasm`, or `noble` without WASM. */
  aead(): Promise<string> {
    return aeadChosen
  },

  /** Forgets a sealer or opener session (its keys are dropped). @returns false when unknown. */
  release(id: number): boolean {
    return sealers.delete(id) || openers.delete(id) || digests.delete(id)
  },
}

/** The file worker's API; the main thread holds `Remote<FileApi>`s, usually in a `WorkerPool`. */
export type FileApi = typeof fileApi

void exposeApi(fileApi)
