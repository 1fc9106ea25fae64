import { execFile } from "node:child_process"
import { randomBytes } from "node:crypto"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"
import pg from "pg"
import { afterAll, describe, expect, it } from "vitest"
import type { StoreBackend } from "./backend.js"
import { copyStore } from "./copyStore.js"
import { LevelBackend } from "./levelBackend.js"
import { PgBackend } from "./pgBackend.js"

// Moving a node between LevelDB and PostgreSQL (npm run store:move) and setting up the schema
// (npm run migrate), on the machine's real PostgreSQL. Without it: SKIPPED locally, an error in CI.
const URL = process.env.SOTTO_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test"
const ROOT = new globalThis.URL("../../../", import.meta.url).pathname
const run = promisify(execFile)
const reachable = await canConnect(URL)
if (!reachable) {
  if (process.env.CI === "true") throw new Error(`PostgreSQL is not answering at ${URL}`)
  console.warn(`SKIPPED: moving a store to PostgreSQL needs a server at ${URL} (SOTTO_TEST_PG_URL)`)
}
const schemas: string[] = []
const dirs: string[] = []
const newSchema = () => {
  const schema = `sotto_move_${randomBytes(5).toString("hex")}`
  schemas.push(schema)
  return schema
}
const newDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), "sotto-move-"))
  dirs.push(dir)
  return dir
}

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true })
  if (!reachable) return
  const client = new pg.Client({ connectionString: URL })
  await client.connect()
  for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  await client.end()
})

async function seed(db: StoreBackend): Promise<void> {
  const enc = new TextEncoder()
  await db.batch([
    { type: "put", sublevel: "users", key: "u/alice", value: enc.encode('{"name":"Alice"}') },
    { type: "put", sublevel: "settings", key: "node", value: enc.encode('{"name":"Desk"}') },
    ...Array.from({ length: 600 }, (_, i) => ({
      type: "put" as const,
      sublevel: "chunks" as const,
      key: `f/${String(i).padStart(6, "0")}`,
      value: new Uint8Array(randomBytes(1 + (i % 97))),
    })),
  ])
  // An upload file larger than one copy step, written in pieces as uploads do.
  await db.writeBlob(BLOB_ID, 0, BLOB.subarray(0, 1 << 20))
  await db.writeBlob(BLOB_ID, 1 << 20, BLOB.subarray(1 << 20))
}

const BLOB_ID = `${"a".repeat(22)}${"b".repeat(22)}`
const BLOB = new Uint8Array(randomBytes((1 << 20) + 4321))

async function dump(db: StoreBackend, sublevel: "users" | "settings" | "chunks") {
  const out: Array<[string, string]> = []
  for await (const [k, v] of db.entries(sublevel)) out.push([k, Buffer.from(v).toString("hex")])
  return out
}

describe.skipIf(!reachable)("moving a node between LevelDB and PostgreSQL", () => {
  it("copies LevelDB into PostgreSQL and back, byte for byte", async () => {
    const level = await LevelBackend.open(await newDir())
    await seed(level)
    const postgres = await PgBackend.open({ url: URL, schema: newSchema() })
    const counts = await copyStore(level, postgres)
    expect([counts.users, counts.settings, counts.chunks, counts.blobs]).toEqual([1, 1, 600, 1])
    const back = await LevelBackend.open(await newDir())
    await copyStore(postgres, back)
    for (const sublevel of ["users", "settings", "chunks"] as const) {
      expect(await dump(back, sublevel)).toEqual(await dump(level, sublevel))
    }
    expect(Buffer.from((await back.readBlob(BLOB_ID, 0, BLOB.byteLength + 1)) ?? [])).toEqual(
      Buffer.from(BLOB),
    )
    await Promise.all([level.close(), postgres.close(), back.close()])
  })

  it("refuses a target that already holds records, and writes nothing to it", async () => {
    const level = await LevelBackend.open(await newDir())
    await seed(level)
    const other = await LevelBackend.open(await newDir())
    const enc = new TextEncoder()
    await other.batch([{ type: "put", sublevel: "tips", key: "t/x", value: enc.encode("{}") }])
    await expect(copyStore(level, other)).rejects.toThrow(/not empty \(sublevel "tips"/)
    expect(await dump(other, "users")).toEqual([])
    await Promise.all([level.close(), other.close()])
  })

  it("sets up a schema with npm run migrate and moves a LevelDB directory with npm run store:move", async () => {
    const schema = newSchema()
    const env = { ...process.env, STORE_URL: URL, STORE_SCHEMA: schema }
    const migrated = await run("npm", ["run", "--silent", "migrate"], { cwd: ROOT, env })
    expect(migrated.stdout).toContain(`schema "${schema}" is ready`)
    const dir = await newDir()
    const level = await LevelBackend.open(dir)
    await seed(level)
    await level.close()
    const moved = await run("npm", ["run", "--silent", "store:move", "--", dir, URL], {
      cwd: ROOT,
      env,
    })
    expect(moved.stdout).toContain("copied 602 records and 1 files and checked them")
    const again = run("npm", ["run", "--silent", "store:move", "--", dir, URL], { cwd: ROOT, env })
    await expect(again).rejects.toMatchObject({ stderr: expect.stringContaining("not empty") })
  })
})

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 })
  try {
    await client.connect()
    await client.end()
    return true
  } catch {
    return false
  }
}
