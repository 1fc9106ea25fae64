import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { RelayClient } from "@sotto/protocol"
import { type Clock, type Relay, readConfig, startRelay } from "@sotto/relay"

/** A real relay on a loopback port with a real LevelDB in a temp dir. */
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
    ...storeEnv(dataDir),
    ...options.env,
  })
  const relay = await startRelay({ config, ...(options.clock ? { clock: options.clock } : {}) })
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
    },
  }
  return self
}

function storeEnv(dataDir: string): Record<string, string> {
  const url = process.env.SOTTO_TEST_STORE_URL
  if (!url) return {}
  const schema = `sotto_t_${dataDir
    .replace(/[^a-zA-Z0-9]/g, "")
    .slice(-12)
    .toLowerCase()}`
  return { STORE_URL: url, STORE_SCHEMA: schema }
}
