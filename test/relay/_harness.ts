import { cp, mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { RelayClient } from "@sotto/protocol"
import { type Clock, type Relay, readConfig, startRelay } from "@sotto/relay"
import { PgBackend } from "@sotto/relay/pgBackend"
import pg from "pg"
import { copyStore } from "../../relay/src/store/copyStore.js"
import { openBackend } from "../../relay/src/store/openBackend.js"
import { Store } from "../../relay/src/store/store.js"

/**
 * A real relay on a loopback port with a real LevelDB in a temp dir, or its own PostgreSQL schema
 * under SOTTO_TEST_STORE_URL.
 */
export interface TestRelay {
  readonly relay: Relay
  readonly client: RelayClient
  readonly baseUrl: string
  readonly dataDir: string
  /** Stops the relay; the data dir survives until `destroy`. */
  stop(): Promise<void>
  /** Starts a new relay process-equivalent on the same data dir and port (restart). */
  restart(): Promise<TestRelay>
  /** Stops and deletes the data dir. */
  destroy(): Promise<void>
}

/** Starts a relay for one test file. `clock` lets tests move time (expiry, idle timeouts). */
export async function startTestRelay(
  options: { clock?: Clock; dataDir?: string; env?: Record<string, string> } = {},
): Promise<TestRelay> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "sotto-relay-")))
  // A new data dir gets an empty schema: a name reused from an earlier run must not carry rows.
  if (options.dataDir === undefined) await dropTestSchema(dataDir)
  const config = readConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    LOG_LEVEL: "silent",
    STATIC_DIR: join(dataDir, "no-static"),
    // Outside the data dir, as in production (relay/README.md "Secrets key").
    SECRETS_KEY_FILE: `${dataDir}.secrets.key`,
    OPRF_KEY_FILE: `${dataDir}.oprf.key`,
    // SOTTO_TEST_STORE_URL=postgres://… runs the relay suite on PostgreSQL, one schema a relay.
    ...testStoreEnv(dataDir),
    ...options.env,
  })
  const relay = await startRelay({ config, ...(options.clock ? { clock: options.clock } : {}) })
  assertTestBackend(relay, config.storeUrl !== undefined)
  const baseUrl = `http://127.0.0.1:${relay.port}`
  let stopped = false
  const self: TestRelay = {
    relay,
    client: new RelayClient(baseUrl),
    baseUrl,
    dataDir,
    stop: async () => {
      if (!stopped) await relay.close()
      stopped = true
    },
    restart: async () => {
      await self.stop()
      // The same port keeps the browser's origin (and its in-flight upload) pointing here. Some
      // kernels refuse it while connections of the old relay linger in TIME_WAIT (uWS sets no
      // SO_REUSEADDR); tests that talk through the returned client then get a free port.
      const again = { ...options, dataDir }
      try {
        return await startTestRelay({ ...again, env: { ...options.env, PORT: String(relay.port) } })
      } catch (e) {
        if (!String(e).includes("cannot listen")) throw e
        return startTestRelay({ ...again, env: { ...options.env, PORT: "0" } })
      }
    },
    destroy: async () => {
      await self.stop()
      await rm(dataDir, { recursive: true, force: true })
      await rm(`${dataDir}.secrets.key`, { force: true })
      await rm(`${dataDir}.oprf.key`, { force: true })
      await dropTestSchema(dataDir)
    },
  }
  return self
}

/**
 * STORE_URL and STORE_SCHEMA of the test relay on `dataDir` when SOTTO_TEST_STORE_URL names a
 * PostgreSQL server (one schema per data dir), else nothing (LevelDB in the data dir).
 */
export function testStoreEnv(dataDir: string): Record<string, string> {
  const url = process.env.SOTTO_TEST_STORE_URL
  if (!url) return {}
  const schema = `sotto_t_${dataDir
    .replace(/[^a-zA-Z0-9]/g, "")
    .slice(-12)
    .toLowerCase()}`
  return { STORE_URL: url, STORE_SCHEMA: schema }
}

/**
 * Throws unless the relay runs on the backend the environment asked for: PostgreSQL store and
 * shared coordinator when SOTTO_TEST_STORE_URL is set (or a test set STORE_URL), LevelDB and the
 * in-process coordinator otherwise. A suite meant for PostgreSQL that silently ran on LevelDB
 * would be a fake pass.
 */
export function assertTestBackend(relay: Relay, configuredPg: boolean): void {
  const wantPg = configuredPg || process.env.SOTTO_TEST_STORE_URL !== undefined
  const onPg = relay.ctx.store.backend instanceof PgBackend
  if (onPg !== wantPg || relay.ctx.coordinator.shared !== wantPg) {
    void relay.close()
    throw new Error(
      `test relay expected ${wantPg ? "PostgreSQL" : "LevelDB"}, got store ${relay.ctx.store.backend.constructor.name} and a ${relay.ctx.coordinator.shared ? "shared" : "per-process"} coordinator`,
    )
  }
}

/**
 * Opens the store of a stopped test relay directly (its LevelDB dir, or its PostgreSQL schema
 * under SOTTO_TEST_STORE_URL), to read what it left or plant what another version would have.
 */
export async function openTestStore(dataDir: string): Promise<Store> {
  const config = readConfig({
    DATA_DIR: dataDir,
    OPRF_KEY_FILE: `${dataDir}.oprf.key`,
    ...testStoreEnv(dataDir),
  })
  return new Store(await openBackend(config))
}

/**
 * Copies a stopped test relay's data dir to `toDir` and, under SOTTO_TEST_STORE_URL, its
 * PostgreSQL schema to the schema of `toDir`: what a seized or stolen server holds.
 */
export async function copyTestStore(fromDir: string, toDir: string): Promise<void> {
  await cp(fromDir, toDir, { recursive: true })
  if (!testStoreEnv(fromDir).STORE_URL) return
  await dropTestSchema(toDir)
  const from = await openTestStore(fromDir)
  const to = await openTestStore(toDir)
  try {
    await copyStore(from.backend, to.backend)
  } finally {
    await from.close()
    await to.close()
  }
}

/** Drops the PostgreSQL schema of the test relay on `dataDir` (nothing on LevelDB). */
export async function dropTestSchema(dataDir: string): Promise<void> {
  const env = testStoreEnv(dataDir)
  if (!env.STORE_URL || !env.STORE_SCHEMA) return
  const client = new pg.Client({ connectionString: env.STORE_URL })
  await client.connect()
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${env.STORE_SCHEMA}" CASCADE`)
  } finally {
    await client.end()
  }
}
