import { mkdir, writeFile } from "node:fs/promises"
import { join } from "node:path"
import pg from "pg"
import { type TestRelay, testStoreEnv } from "./_harness.js"

/**
 * The directory holding what the test relay's store keeps, for scanning: the data dir on LevelDB;
 * on PostgreSQL (SOTTO_TEST_STORE_URL) every row of the relay's schema, each table's values written
 * into one file under `<dataDir>/pg-rows`. On PostgreSQL this is the logical content (what any
 * reader of the database gets); dead tuples and WAL are the server's (relay/README.md).
 */
export async function storedBytesDir(t: TestRelay): Promise<string> {
  const env = testStoreEnv(t.dataDir)
  if (!env.STORE_URL || !env.STORE_SCHEMA) return t.dataDir
  const dir = join(t.dataDir, "pg-rows")
  await mkdir(dir, { recursive: true })
  const client = new pg.Client({ connectionString: env.STORE_URL })
  await client.connect()
  try {
    const { rows: tables } = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = $1",
      [env.STORE_SCHEMA],
    )
    for (const { table_name } of tables) {
      const { rows } = await client.query<Record<string, unknown>>(
        `SELECT * FROM "${env.STORE_SCHEMA}"."${table_name}"`,
      )
      const parts = rows.flatMap((row) =>
        Object.values(row).map((v) => (Buffer.isBuffer(v) ? v : Buffer.from(`${String(v)}\n`))),
      )
      await writeFile(join(dir, `${table_name}.rows`), Buffer.concat(parts))
    }
  } finally {
    await client.end()
  }
  return dir
}
