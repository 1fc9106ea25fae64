import { resolve } from "node:path"

/** Relay settings, from environment variables with safe defaults. */
export interface RelayConfig {
  readonly port: number
  readonly host: string
  readonly dataDir: string
  /** `smtp://` or `smtps://` URL; undefined disables mail (the console says so). */
  readonly smtpUrl: string | undefined
  readonly logLevel: LogLevel
  /** Where the built PWA lives; served at `/`. */
  readonly staticDir: string
  /** Optional `.onion` address announced in an `Onion-Location` header. */
  readonly onionAddress: string | undefined
  /**
   * The public origin (`https://sotto.example.org`) WebAuthn binds keys to: its host is the RP ID.
   * Undefined: each request's Host and Origin headers decide (fine when nothing rewrites them).
   */
  readonly origin?: string | undefined
  /**
   * Where records live: undefined for embedded LevelDB in `dataDir` (the default), or a
   * `postgres://` URL (`STORE_URL`) for PostgreSQL; `STORE_SCHEMA` names the schema (`sotto`).
   */
  readonly storeUrl?: string | undefined
  readonly storeSchema?: string | undefined
}

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent"
const LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error", "silent"]

/**
 * Reads the configuration from `env`.
 * @throws Error naming the variable when a value is invalid (the process should not start).
 */
export function readConfig(env: NodeJS.ProcessEnv = process.env): RelayConfig {
  const port = Number(env.PORT ?? 8080)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be an integer from 0 to 65535, got "${env.PORT}"`)
  }
  const logLevel = (env.LOG_LEVEL ?? "info") as LogLevel
  if (!LEVELS.includes(logLevel)) {
    throw new Error(`LOG_LEVEL must be one of ${LEVELS.join(", ")}, got "${env.LOG_LEVEL}"`)
  }
  const smtpUrl = env.SMTP_URL?.trim() || undefined
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) {
    throw new Error(`SMTP_URL must start with smtp:// or smtps://`)
  }
  const origin = env.ORIGIN?.trim() || undefined
  if (origin && !/^https?:\/\/[^/]+$/.test(origin)) {
    throw new Error(
      `ORIGIN must be a scheme and host like https://sotto.example.org, got "${origin}"`,
    )
  }
  const storeUrl = env.STORE_URL?.trim() || undefined
  if (storeUrl && !/^postgres(ql)?:\/\//.test(storeUrl)) {
    throw new Error(`STORE_URL must be a postgres:// URL (unset = LevelDB in DATA_DIR)`)
  }
  return {
    port,
    host: env.HOST ?? "0.0.0.0",
    dataDir: resolve(env.DATA_DIR ?? "./data"),
    smtpUrl,
    logLevel,
    staticDir: resolve(env.STATIC_DIR ?? new URL("../../pwa/dist", import.meta.url).pathname),
    onionAddress: env.ONION_ADDRESS?.trim() || undefined,
    origin,
    storeUrl,
    storeSchema: env.STORE_SCHEMA?.trim() || undefined,
  }
}
