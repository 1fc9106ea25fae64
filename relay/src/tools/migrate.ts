import { readConfig } from "../config.js"
import { migrateCoordinator } from "../shared/pgCoordinator.js"
import { PgBackend } from "../store/pgBackend.js"

// `npm run migrate`: creates the PostgreSQL schema of STORE_URL / STORE_SCHEMA (the store's table
// and the coordination tables) before N relay processes start on it. Idempotent; relays also
// create what is missing on start, but several starting at once on an empty database should not.

try {
  const config = readConfig()
  if (config.storeUrl === undefined) {
    console.error("npm run migrate needs STORE_URL=postgres://… (LevelDB needs no migration)")
    process.exit(2)
  }
  const schema = config.storeSchema ?? "sotto"
  const backend = await PgBackend.open({ url: config.storeUrl, schema })
  await backend.close()
  const pg = (await import("pg")).default
  const client = new pg.Client({ connectionString: config.storeUrl })
  await client.connect()
  try {
    await migrateCoordinator(client, schema)
  } finally {
    await client.end()
  }
  console.log(`schema "${schema}" is ready`)
} catch (e) {
  console.error(`migrate failed: ${e instanceof Error ? e.message : String(e)}`)
  process.exit(1)
}
