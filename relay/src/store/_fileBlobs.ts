import { constants } from "node:fs"
import { type FileHandle, mkdir, open, readdir, unlink } from "node:fs/promises"
import { join } from "node:path"
import { type BlobBackend, checkBlobArgs } from "./backend.js"

/** Every write is durable when it returns (synchronized data integrity, like `fdatasync`). */
const WRITE_FLAGS = constants.O_WRONLY | constants.O_DSYNC

/** Write handles kept open at most (uploads in progress); the least recently used closes first. */
const MAX_OPEN_WRITERS = 64

interface Writer {
  readonly file: Promise<FileHandle>
  /** Writes using the handle now; it closes only at 0. */
  users: number
  /** Dropped from the table (evicted or deleted): close when the last user is done. */
  retired: boolean
}

/**
 * Blobs as plain files in one directory: a piece is one `pwrite` at its offset on a file opened
 * with `O_DSYNC` (the write returns once its data is on disk, as `fdatasync` after it would), so
 * a 1 MiB upload chunk costs what the disk costs. A new file's directory entry is synced too, so
 * an acknowledged first piece survives a power loss. A file being written stays open between
 * pieces (at most {@link MAX_OPEN_WRITERS}), so a piece is one trip to the thread pool, not four
 * (open, write, sync, close) queued behind other uploads' syncs. Reads never buffer more than
 * asked.
 */
export class FileBlobs implements BlobBackend {
  #ready: Promise<void> | undefined
  /** Open write handles by blob id, least recently used first (Map order). */
  readonly #writers = new Map<string, Writer>()

  constructor(private readonly dir: string) {}

  async writeBlob(id: string, offset: number, bytes: Uint8Array): Promise<void> {
    checkBlobArgs(id, offset)
    await this.#mkdir()
    const writer = this.#writer(id)
    writer.users++
    try {
      const file = await writer.file
      let done = 0
      while (done < bytes.byteLength) {
        const { bytesWritten } = await file.write(
          bytes,
          done,
          bytes.byteLength - done,
          offset + done,
        )
        done += bytesWritten
      }
    } finally {
      writer.users--
      if (writer.retired && writer.users === 0) void closeQuietly(writer.file)
    }
  }

  /** The open write handle of `id` (opened, or created with its directory entry synced). */
  #writer(id: string): Writer {
    const known = this.#writers.get(id)
    if (known) {
      // Most recently used goes last.
      this.#writers.delete(id)
      this.#writers.set(id, known)
      return known
    }
    const writer: Writer = { file: this.#openForWrite(id), users: 0, retired: false }
    // A failed open is not kept: the next piece tries again.
    writer.file.catch(() => {
      if (this.#writers.get(id) === writer) this.#writers.delete(id)
    })
    this.#writers.set(id, writer)
    for (const [oldId, old] of this.#writers) {
      if (this.#writers.size <= MAX_OPEN_WRITERS) break
      this.#retire(oldId, old)
    }
    return writer
  }

  async #openForWrite(id: string): Promise<FileHandle> {
    const path = join(this.dir, id)
    try {
      return await open(path, WRITE_FLAGS)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e
    }
    const file = await open(path, WRITE_FLAGS | constants.O_CREAT, 0o600)
    try {
      await this.#syncDir()
    } catch (e) {
      await closeQuietly(Promise.resolve(file))
      throw e
    }
    return file
  }

  // Takes a handle out of the table; it closes now or when its last write is done.
  #retire(id: string, writer: Writer): void {
    this.#writers.delete(id)
    writer.retired = true
    if (writer.users === 0) void closeQuietly(writer.file)
  }

  /** Closes every write handle (the store is closing; writes in flight finish first). */
  async close(): Promise<void> {
    const writers = [...this.#writers]
    for (const [id, writer] of writers) this.#retire(id, writer)
    await Promise.all(writers.map(([, w]) => w.file.catch(() => undefined)))
  }

  async readBlob(id: string, offset: number, length: number): Promise<Uint8Array | undefined> {
    checkBlobArgs(id, offset)
    let file: FileHandle
    try {
      file = await open(join(this.dir, id), constants.O_RDONLY)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined
      throw e
    }
    try {
      const out = new Uint8Array(Math.max(0, length))
      let done = 0
      while (done < out.byteLength) {
        const { bytesRead } = await file.read(out, done, out.byteLength - done, offset + done)
        if (bytesRead === 0) break
        done += bytesRead
      }
      return done === out.byteLength ? out : out.subarray(0, done)
    } finally {
      await file.close()
    }
  }

  async deleteBlob(id: string): Promise<void> {
    checkBlobArgs(id)
    const writer = this.#writers.get(id)
    if (writer) this.#retire(id, writer)
    try {
      await unlink(join(this.dir, id))
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return
      throw e
    }
    await this.#syncDir()
  }

  async *blobIds(): AsyncIterable<string> {
    let names: string[]
    try {
      names = await readdir(this.dir)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return
      throw e
    }
    yield* names
  }

  #mkdir(): Promise<void> {
    this.#ready ??= mkdir(this.dir, { recursive: true, mode: 0o700 })
      .then(() => this.#syncDir())
      .catch((e: unknown) => {
        this.#ready = undefined
        throw e
      })
    return this.#ready
  }

  // fsync on the directory makes a created or removed entry durable.
  async #syncDir(): Promise<void> {
    const dir = await open(this.dir, constants.O_RDONLY | constants.O_DIRECTORY)
    try {
      await dir.sync()
    } finally {
      await dir.close()
    }
  }
}

async function closeQuietly(file: Promise<FileHandle>): Promise<void> {
  try {
    await (await file).close()
  } catch {
    // never opened, or closed already: nothing to release
  }
}
