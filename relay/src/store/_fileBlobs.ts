import { constants } from "node:fs"
import { type FileHandle, mkdir, open, readdir, unlink } from "node:fs/promises"
import { join } from "node:path"
import { type BlobBackend, checkBlobArgs } from "./backend.js"

/**
 * Blobs as plain files in one directory: a piece is one `pwrite` at its offset then `fdatasync`,
 * so a 1 MiB upload chunk costs what the disk costs. A new file's directory entry is synced
 * too, so an acknowledged first piece survives a power loss. Reads never buffer more than asked.
 */
export class FileBlobs implements BlobBackend {
  #ready: Promise<void> | undefined

  constructor(private readonly dir: string) {}

  async writeBlob(id: string, offset: number, bytes: Uint8Array): Promise<void> {
    checkBlobArgs(id, offset)
    await this.#mkdir()
    const path = join(this.dir, id)
    let created = false
    let file: FileHandle
    try {
      file = await open(path, constants.O_WRONLY)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e
      file = await open(path, constants.O_WRONLY | constants.O_CREAT, 0o600)
      created = true
    }
    try {
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
      await file.datasync()
    } finally {
      await file.close()
    }
    if (created) await this.#syncDir()
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
