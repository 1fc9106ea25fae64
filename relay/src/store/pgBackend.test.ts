import { randomBytes } from "node:crypto"
import pg from "pg"
import { afterAll, describe, expect, it } from "vitest"
import { runBackendConformance } from "./conformance.js"
import { PgBackend } from "./pgBackend.js"

// The same conformance suite as LevelDB, on the machine's real PostgreSQL (.ci/run starts it when
// it is not answering). Each backend gets its own schema. Without a server this file says so
// loudly and skips on a developer's machine, and fails under CI=true: never a silent pass.
const URL = process.env.SOTTO_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test"
const reachable = await canConnect(URL)
if (!reachable) {
  if (process.env.CI === "true")
    throw new Error(`PostgreSQL is not answering at ${URL} (CI needs it)`)
  console.warn(`SKIPPED: the PostgreSQL backend tests need a server at ${URL} (SOTTO_TEST_PG_URL)`)
}
const schemas: string[] = []
const schemaOf = new WeakMap<object, string>()

const open = async (schema = `sotto_test_${randomBytes(6).toString("hex")}`) => {
  schemas.push(schema)
  const db = await PgBackend.open({ url: URL, schema, poolSize: 2 })
  schemaOf.set(db, schema)
  return db
}

afterAll(async () => {
  if (!reachable) return
  const client = new pg.Client({ connectionString: URL })
  await client.connect()
  for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  await client.end()
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

if (reachable)
  runBackendConformance(
    "PostgreSQL",
    () => open(),
    async (db) => {
      const schema = schemaOf.get(db)
      if (!schema) throw new Error("unknown backend")
      await db.close()
      return open(schema)
    },
  )

describe.skipIf(!reachable)("the PostgreSQL backend", () => {
  it("pages through a range longer than one round trip, in order and in reverse", async () => {
    const db = await open()
    const keys = Array.from({ length: 1300 }, (_, i) => `k/${String(i).padStart(5, "0")}`)
    await db.batch(
      keys.map((key) => ({ type: "put", sublevel: "audit", key, value: new Uint8Array([1]) })),
    )
    const forward: string[] = []
    for await (const [k] of db.entries("audit", { gte: "k/", lt: "k/\uffff" })) forward.push(k)
    expect(forward).toEqual(keys)
    const backward: string[] = []
    for await (const [k] of db.entries("audit", { reverse: true, limit: 700 })) backward.push(k)
    expect(backward).toEqual(keys.slice(-700).reverse())
    await db.close()
  })

  it("applies a batch all or nothing", async () => {
    const db = await open()
    await db.batch([{ type: "put", sublevel: "tips", key: "t1", value: new Uint8Array([1]) }])
    const bad = { type: "put", sublevel: "tips", key: "t2", value: "not bytes" } as never
    await expect(db.batch([{ type: "del", sublevel: "tips", key: "t1" }, bad])).rejects.toThrow()
    expect(await db.get("tips", "t1")).toEqual(new Uint8Array([1]))
    expect(await db.get("tips", "t2")).toBeUndefined()
    await db.close()
  })

  it("refuses a schema name that is not a plain identifier", async () => {
    await expect(PgBackend.open({ url: URL, schema: 'x"; drop table y; --' })).rejects.toThrow(
      /schema/,
    )
  })
})
