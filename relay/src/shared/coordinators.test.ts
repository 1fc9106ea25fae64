import { randomBytes } from "node:crypto"
import pg from "pg"
import { afterAll } from "vitest"
import { runCoordinatorConformance } from "./conformance.js"
import { MemoryCoordinator } from "./memoryCoordinator.js"
import { PgCoordinator } from "./pgCoordinator.js"

// Both coordinators pass one suite; PostgreSQL's also across two "processes" (two pools on one
// schema). Without a server the PostgreSQL half says so and skips locally, and fails under CI=true.
const URL = process.env.SOTTO_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test"
const reachable = await canConnect(URL)
if (!reachable) {
  if (process.env.CI === "true")
    throw new Error(`PostgreSQL is not answering at ${URL} (CI needs it)`)
  console.warn(
    `SKIPPED: the PostgreSQL coordinator tests need a server at ${URL} (SOTTO_TEST_PG_URL)`,
  )
}

runCoordinatorConformance("memory", async () => new MemoryCoordinator())

if (reachable) {
  const schemas: string[] = []
  const secretsKey = randomBytes(32)
  const schemaOf = new WeakMap<object, string>()
  runCoordinatorConformance(
    "PostgreSQL",
    async () => {
      const schema = `sotto_coord_${randomBytes(6).toString("hex")}`
      schemas.push(schema)
      const c = await PgCoordinator.open({ url: URL, schema, secretsKey })
      schemaOf.set(c, schema)
      return c
    },
    (first) => PgCoordinator.open({ url: URL, schema: schemaOf.get(first) ?? "", secretsKey }),
  )
  afterAll(async () => {
    const client = new pg.Client({ connectionString: URL })
    await client.connect()
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    await client.end()
  })
}

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
