import { randomBytes } from "node:crypto"
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { SUBLEVELS } from "./backend.js"
import { runBackendConformance } from "./conformance.js"
import { LevelBackend } from "./levelBackend.js"
import { MemoryBackend } from "./memoryBackend.js"

const dirs: string[] = []
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })))
})

const levelDirs = new WeakMap<object, string>()
runBackendConformance(
  "LevelDB",
  async () => {
    const dir = await mkdtemp(join(tmpdir(), "sotto-level-"))
    dirs.push(dir)
    const db = await LevelBackend.open(dir)
    levelDirs.set(db, dir)
    return db
  },
  async (db) => {
    const dir = levelDirs.get(db)
    if (!dir) throw new Error("unknown backend")
    await db.close()
    return LevelBackend.open(dir)
  },
)

runBackendConformance("memory", async () => new MemoryBackend())

describe("LevelDB compaction after deletes", () => {
  /** Whether any file in `dir` holds `needle`; a background compaction may remove files meanwhile. */
  const onDisk = async (dir: string, needle: Buffer) => {
    for (const name of await readdir(dir)) {
      const file = await readFile(join(dir, name)).catch(() => undefined)
      if (file?.includes(needle)) return true
    }
    return false
  }
  const opened = async () => {
    const dir = await mkdtemp(join(tmpdir(), "sotto-level-"))
    dirs.push(dir)
    return { dir, db: await LevelBackend.open(dir) }
  }

  it.each([
    ["still in the memtable", false],
    ["already compacted into a table", true],
  ])("removes a deleted value %s from the files", async (_, compactedFirst) => {
    const { dir, db } = await opened()
    const secret = randomBytes(48)
    const kept = new Uint8Array(randomBytes(48))
    await db.batch([
      { type: "put", sublevel: "chunks", key: "f/000000", value: secret },
      { type: "put", sublevel: "chunks", key: "g/000000", value: kept },
    ])
    if (compactedFirst) await db.compact()
    await db.batch([{ type: "del", sublevel: "chunks", key: "f/000000" }])
    expect(await onDisk(dir, secret)).toBe(true)
    await db.compact()
    expect(await onDisk(dir, secret)).toBe(false)
    expect(await db.get("chunks", "g/000000")).toEqual(kept)
    await db.close()
  })

  it("leaves no key of its own in any sublevel", async () => {
    const { db } = await opened()
    await db.compact()
    for (const sublevel of SUBLEVELS) {
      for await (const [key] of db.entries(sublevel)) expect.unreachable(`${sublevel}/${key}`)
    }
    await db.close()
  })
})
