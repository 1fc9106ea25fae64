import { mkdir } from "node:fs/promises"
import type { RelayConfig } from "../config.js"
import type { StoreBackend } from "./backend.js"
import { LevelBackend } from "./levelBackend.js"

/**
 * Opens the store backend the configuration names: embedded LevelDB in `dataDir` unless
 * `STORE_URL` is a PostgreSQL URL. The PostgreSQL driver loads only when asked for, so a
 * LevelDB node never touches it.
 * @throws Error when the database cannot be opened or reached.
 */
export async function openBackend(config: RelayConfig): Promise<StoreBackend> {
  // On PostgreSQL too: the disk watermark (diskGuard.ts) reads the free space of this directory.
  await mkdir(config.dataDir, { recursive: true })
  if (config.storeUrl !== undefined) {
    const { PgBackend } = await import("./pgBackend.js")
    return PgBackend.open({
      url: config.storeUrl,
      ...(config.storeSchema === undefined ? {} : { schema: config.storeSchema }),
    })
  }
  return LevelBackend.open(config.dataDir)
}
