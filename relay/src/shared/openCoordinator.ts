import type { RelayConfig } from "../config.js"
import { loadSecretsKey } from "../services/secretBox.js"
import type { Coordinator } from "./coordinator.js"
import { MemoryCoordinator } from "./memoryCoordinator.js"

/**
 * The coordinator the configuration names: in process for LevelDB, shared on the store's
 * PostgreSQL (same URL and schema) when `STORE_URL` is set. The PostgreSQL driver loads only then.
 * @throws Error when PostgreSQL cannot be reached or the secrets key file is unreadable.
 */
export async function openCoordinator(config: RelayConfig): Promise<Coordinator> {
  if (config.storeUrl === undefined) return new MemoryCoordinator()
  const { PgCoordinator } = await import("./pgCoordinator.js")
  return PgCoordinator.open({
    url: config.storeUrl,
    ...(config.storeSchema === undefined ? {} : { schema: config.storeSchema }),
    secretsKey: loadSecretsKey(config.secretsKeyFile),
  })
}
