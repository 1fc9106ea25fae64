import { resolve } from "node:path"
import { type AdmissionLimits, DEFAULT_ADMISSION_LIMITS } from "./http/admission.js"
import { DEFAULT_STATIC_MAX_BYTES } from "./http/staticTable.js"
import { DEFAULT_SESSION_LIFETIMES, type SessionLifetimes } from "./services/session.js"

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
  /** Caps on requests, bodies and bytes in flight (see relay/README.md, "Limits"). */
  readonly limits?: AdmissionLimits
  /** Memory budget of the static table, in bytes. */
  readonly staticMaxBytes?: number
  /** WebSocket caps and how often open sockets re-check their session. */
  readonly ws?: WsLimits
  /** Absolute session lifetimes per kind, in milliseconds (besides the idle timeouts). */
  readonly sessionLifetimes?: SessionLifetimes
  /**
   * The key that encrypts relay secrets (the SMTP password) in LevelDB; kept outside the data dir
   * and made on first use (`SECRETS_KEY_FILE`, default `./keys/secrets.key`).
   */
  readonly secretsKeyFile: string
  /**
   * The relay's OPRF keys (SPEC §16), outside the data dir and never in the Store
   * (`OPRF_KEY_FILE`, default `./keys/oprf.key`, mode 0600, made at first start).
   */
  readonly oprfKeyFile: string
  /**
   * Where records live: undefined for embedded LevelDB in `dataDir` (the default), or a
   * `postgres://` URL (`STORE_URL`) for PostgreSQL; `STORE_SCHEMA` names the schema (`sotto`).
   */
  readonly storeUrl?: string | undefined
  readonly storeSchema?: string | undefined
  /**
   * `nats://host:port[,host:port…]` (`BUS_URL`): WebSocket push between the processes of one
   * node on NATS (several servers of a NATS cluster, comma-separated).
   * Undefined: in process. Needs `STORE_URL` (processes that share events share a store).
   */
  readonly busUrl?: string | undefined
  /**
   * `REUSE_PORT=1`: let several processes listen on one port (SO_REUSEPORT). Allowed only with
   * `STORE_URL`, so processes sharing a port always serve one node; exclusive otherwise.
   */
  readonly reusePort?: boolean
}

/** Caps on push sockets. */
export interface WsLimits {
  /** Open sockets node-wide, authenticated or not. */
  readonly maxSockets: number
  /** Open sockets per session. */
  readonly maxPerSession: number
  /** Seconds between checks that each socket's session still lives. */
  readonly sessionCheckSeconds: number
}

export const DEFAULT_WS_LIMITS: WsLimits = {
  maxSockets: 1000,
  maxPerSession: 4,
  sessionCheckSeconds: 30,
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
  const busUrl = env.BUS_URL?.trim() || undefined
  if (busUrl && !/^nats:\/\/[^/]+$/.test(busUrl)) {
    throw new Error(`BUS_URL must be a nats://host:port URL (unset = events in process)`)
  }
  if (busUrl && !storeUrl) {
    throw new Error(`BUS_URL needs STORE_URL: processes that share events must share one store`)
  }
  const reusePort = env.REUSE_PORT === "1"
  if (env.REUSE_PORT !== undefined && !["0", "1", ""].includes(env.REUSE_PORT)) {
    throw new Error(`REUSE_PORT must be 1 or 0, got "${env.REUSE_PORT}"`)
  }
  if (reusePort && !storeUrl) {
    throw new Error(
      `REUSE_PORT=1 needs STORE_URL: only processes sharing one store may share a port (LevelDB is one process)`,
    )
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
    limits: {
      maxRequests: count(env, "MAX_REQUESTS", DEFAULT_ADMISSION_LIMITS.maxRequests),
      maxBodyBytes: count(env, "MAX_BODY_BYTES", DEFAULT_ADMISSION_LIMITS.maxBodyBytes),
      maxAnonBodies: count(env, "MAX_ANON_BODIES", DEFAULT_ADMISSION_LIMITS.maxAnonBodies),
      maxAnonBodyBytes: count(
        env,
        "MAX_ANON_BODY_BYTES",
        DEFAULT_ADMISSION_LIMITS.maxAnonBodyBytes,
      ),
      maxSessionBodies: count(env, "MAX_SESSION_BODIES", DEFAULT_ADMISSION_LIMITS.maxSessionBodies),
      maxSessionBodyBytes: count(
        env,
        "MAX_SESSION_BODY_BYTES",
        DEFAULT_ADMISSION_LIMITS.maxSessionBodyBytes,
      ),
      maxUnidentifiedBodyBytes: count(
        env,
        "MAX_UNIDENTIFIED_BODY_BYTES",
        DEFAULT_ADMISSION_LIMITS.maxUnidentifiedBodyBytes,
      ),
    },
    staticMaxBytes: count(env, "STATIC_MAX_BYTES", DEFAULT_STATIC_MAX_BYTES),
    ws: {
      maxSockets: count(env, "WS_MAX_SOCKETS", DEFAULT_WS_LIMITS.maxSockets),
      maxPerSession: count(env, "WS_MAX_PER_SESSION", DEFAULT_WS_LIMITS.maxPerSession),
      sessionCheckSeconds: count(
        env,
        "WS_SESSION_CHECK_SECONDS",
        DEFAULT_WS_LIMITS.sessionCheckSeconds,
      ),
    },
    sessionLifetimes: {
      admin: minutes(env, "SESSION_LIFETIME_ADMIN_MIN", DEFAULT_SESSION_LIFETIMES.admin),
      recipient: minutes(
        env,
        "SESSION_LIFETIME_RECIPIENT_MIN",
        DEFAULT_SESSION_LIFETIMES.recipient,
      ),
      custodian: minutes(
        env,
        "SESSION_LIFETIME_CUSTODIAN_MIN",
        DEFAULT_SESSION_LIFETIMES.custodian,
      ),
      wb: minutes(env, "SESSION_LIFETIME_WB_MIN", DEFAULT_SESSION_LIFETIMES.wb),
    },
    secretsKeyFile: resolve(env.SECRETS_KEY_FILE ?? "./keys/secrets.key"),
    oprfKeyFile: resolve(env.OPRF_KEY_FILE ?? "./keys/oprf.key"),
    storeUrl,
    storeSchema: env.STORE_SCHEMA?.trim() || undefined,
    busUrl,
    reusePort,
  }
}

/** A positive integer from `env[name]`, or `fallback`. @throws Error naming the variable. */
function count(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim()
  if (!raw) return fallback
  const n = Number(raw)
  if (!Number.isSafeInteger(n) || n < 1)
    throw new Error(`${name} must be a positive integer, got "${raw}"`)
  return n
}

/** A lifetime in minutes from `env[name]`, as milliseconds; `fallback` is in milliseconds. */
function minutes(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  return count(env, name, fallback / 60_000) * 60_000
}

/**
 * The address the relay listens on, for its startup line: `http://127.0.0.1:8080`, `http://[::1]:8080`,
 * and for a wildcard host (0.0.0.0, ::) that address plus the local URL to open. Never throws.
 */
export function listenAddress(host: string, port: number): string {
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`
  if (host !== "0.0.0.0" && host !== "::") return url
  return `${url} (every interface; http://localhost:${port} from this machine)`
}
