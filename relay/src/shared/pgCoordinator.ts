import { createHmac, randomBytes } from "node:crypto"
import pg from "pg"
import type { Coordinator } from "./coordinator.js"

// The shared Coordinator on the node's PostgreSQL (the same database and schema as the Store):
// - locks are session advisory locks taken with pg_try_advisory_lock on one connection the process
//   keeps for them, polled while held elsewhere. PostgreSQL releases a dead process's locks when its
//   connection drops, which is the lease: a job killed half-way falls to another process at once.
//   Within the process a promise queue per key comes first, so the process never asks twice.
// - spent tickets are rows inserted ON CONFLICT DO NOTHING: exactly one process wins a ticket.
// - windowed counters are rows of (name, time), pruned past their window and their cap.
// - ticket keys are HMAC(secrets key, purpose ‖ salt); the salt is in the database, the secrets key
//   file is on each machine and never in the database, so reading the database forges nothing.

/** Lock polling: first retry after this many ms, doubling up to {@link POLL_MAX}. */
const POLL_MIN = 5
const POLL_MAX = 100

/** Options of {@link PgCoordinator.open}. */
export interface PgCoordinatorOptions {
  readonly url: string
  /** The node's schema, as the Store's (default `sotto`). */
  readonly schema?: string
  /** The 32-byte secrets key (SECRETS_KEY_FILE), the same file on every process. */
  readonly secretsKey: Uint8Array
}

/** The {@link Coordinator} every process of one node shares, on PostgreSQL. */
export class PgCoordinator implements Coordinator {
  readonly shared = true
  readonly #pool: pg.Pool
  readonly #schema: string
  readonly #secretsKey: Buffer
  readonly #local = new Map<string, Promise<unknown>>()
  readonly #keys = new Map<string, Promise<Uint8Array>>()
  #lockClient: Promise<pg.PoolClient> | undefined
  #hitsSinceSweep = 0

  private constructor(pool: pg.Pool, schema: string, secretsKey: Uint8Array) {
    this.#pool = pool
    this.#schema = schema
    this.#secretsKey = Buffer.from(secretsKey)
  }

  /**
   * Connects and creates the coordination tables if missing (`npm run migrate` does the same).
   * @throws Error when PostgreSQL cannot be reached or the schema is not a plain identifier.
   */
  static async open(options: PgCoordinatorOptions): Promise<PgCoordinator> {
    const schema = options.schema ?? "sotto"
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
      throw new Error(
        `"schema" expected a lower-case SQL identifier, got ${JSON.stringify(schema)}`,
      )
    }
    if (options.secretsKey.length !== 32) throw new Error("the secrets key must be 32 bytes")
    const pool = new pg.Pool({ connectionString: options.url, max: 4 })
    pool.on("error", () => {})
    try {
      await migrateCoordinator(pool, schema)
    } catch (error) {
      await pool.end()
      throw error
    }
    return new PgCoordinator(pool, schema, options.secretsKey)
  }

  withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.#queued(key, async () => {
      await this.#acquire(key, true)
      try {
        return await fn()
      } finally {
        await this.#release(key)
      }
    })
  }

  async tryLock<T>(
    key: string,
    fn: () => Promise<T>,
  ): Promise<{ ran: true; value: T } | { ran: false }> {
    if (this.#local.has(key)) return { ran: false }
    return this.#queued(key, async () => {
      if (!(await this.#acquire(key, false))) return { ran: false as const }
      try {
        return { ran: true as const, value: await fn() }
      } finally {
        await this.#release(key)
      }
    })
  }

  async spendOnce(id: string, expiresAt: number, now: number): Promise<boolean> {
    const { rowCount } = await this.#pool.query(
      `WITH gone AS (DELETE FROM ${this.#t("spent")} WHERE expires_at <= $3)
       INSERT INTO ${this.#t("spent")} (id, expires_at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING`,
      [id, expiresAt, now],
    )
    return rowCount === 1
  }

  async spentCount(prefix: string, now: number): Promise<number> {
    const { rows } = await this.#pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${this.#t("spent")} WHERE starts_with(id, $1) AND expires_at > $2`,
      [prefix, now],
    )
    return Number(rows[0]?.n ?? 0)
  }

  async hit(name: string, now: number, windowMs: number, cap: number): Promise<number> {
    // One statement: the count is read from the snapshot before the insert, hence the + 1.
    const { rows } = await this.#pool.query<{ n: string }>(
      `WITH ins AS (INSERT INTO ${this.#t("hits")} (name, at) VALUES ($1, $2))
       SELECT count(*) AS n FROM ${this.#t("hits")} WHERE name = $1 AND at > $3`,
      [name, now, now - windowMs],
    )
    if (++this.#hitsSinceSweep >= 64) {
      this.#hitsSinceSweep = 0
      await this.#prune(name, now - windowMs, cap)
    }
    return Math.min(cap, Number(rows[0]?.n ?? 0) + 1)
  }

  async count(name: string, now: number, windowMs: number, cap: number): Promise<number> {
    const { rows } = await this.#pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM (SELECT 1 FROM ${this.#t("hits")}
       WHERE name = $1 AND at > $2 LIMIT $3) AS recent`,
      [name, now - windowMs, cap],
    )
    return Number(rows[0]?.n ?? 0)
  }

  key(purpose: string): Promise<Uint8Array> {
    let key = this.#keys.get(purpose)
    if (!key) {
      key = this.#deriveKey(purpose)
      this.#keys.set(purpose, key)
      key.catch(() => this.#keys.delete(purpose))
    }
    return key
  }

  async close(): Promise<void> {
    const client = await this.#lockClient?.catch(() => undefined)
    client?.release()
    await this.#pool.end()
  }

  async #deriveKey(purpose: string): Promise<Uint8Array> {
    // The first process to ask draws the salt; every other one reads the same row.
    await this.#pool.query(
      `INSERT INTO ${this.#t("salts")} (purpose, salt) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
      [purpose, randomBytes(32)],
    )
    const { rows } = await this.#pool.query<{ salt: Buffer }>(
      `SELECT salt FROM ${this.#t("salts")} WHERE purpose = $1`,
      [purpose],
    )
    const salt = rows[0]?.salt
    if (!salt) throw new Error(`no salt for ${purpose}`)
    return createHmac("sha256", this.#secretsKey)
      .update("sotto/v1/shared-ticket-key")
      .update(Buffer.of(0))
      .update(purpose)
      .update(Buffer.of(0))
      .update(salt)
      .digest()
  }

  async #prune(name: string, before: number, cap: number): Promise<void> {
    await this.#pool.query(
      `DELETE FROM ${this.#t("hits")} WHERE name = $1 AND (at <= $2 OR id <= (
         SELECT id FROM ${this.#t("hits")} WHERE name = $1 ORDER BY id DESC OFFSET $3 LIMIT 1))`,
      [name, before, cap],
    )
    await this.#pool.query(`DELETE FROM ${this.#t("hits")} WHERE at <= $1::bigint - 86400000`, [
      before,
    ])
  }

  // One holder per key inside the process, so the advisory lock is never taken twice by it.
  async #queued<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#local.get(key) ?? Promise.resolve()
    const run = previous.then(fn, fn)
    const settled = run.then(
      () => {},
      () => {},
    )
    this.#local.set(key, settled)
    try {
      return await run
    } finally {
      if (this.#local.get(key) === settled) this.#local.delete(key)
    }
  }

  async #acquire(key: string, wait: boolean): Promise<boolean> {
    let delay = POLL_MIN
    for (;;) {
      const client = await this.#client()
      const { rows } = await client.query<{ ok: boolean }>(
        "SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok",
        [this.#lockName(key)],
      )
      if (rows[0]?.ok) return true
      if (!wait) return false
      await new Promise((resolve) => setTimeout(resolve, delay))
      delay = Math.min(POLL_MAX, delay * 2)
    }
  }

  async #release(key: string): Promise<void> {
    const client = await this.#client()
    await client.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [this.#lockName(key)])
  }

  // Locks of different nodes (schemas) on one server never collide.
  #lockName(key: string): string {
    return `${this.#schema}/${key}`
  }

  #client(): Promise<pg.PoolClient> {
    if (!this.#lockClient) {
      const connecting = this.#pool.connect()
      this.#lockClient = connecting
      connecting.then(
        (client) =>
          client.on("error", () => {
            // Its locks died with the session; the next lock opens a new one.
            if (this.#lockClient === connecting) this.#lockClient = undefined
          }),
        () => {
          if (this.#lockClient === connecting) this.#lockClient = undefined
        },
      )
    }
    return this.#lockClient
  }

  #t(table: string): string {
    return `"${this.#schema}".${table}`
  }
}

/** Creates the coordination tables in `schema` if missing (idempotent). */
export async function migrateCoordinator(
  db: Pick<pg.Pool, "query">,
  schema: string,
): Promise<void> {
  const t = (table: string) => `"${schema}".${table}`
  await db.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`)
  await db.query(
    `CREATE TABLE IF NOT EXISTS ${t("spent")} (id text PRIMARY KEY, expires_at bigint NOT NULL)`,
  )
  await db.query(
    `CREATE TABLE IF NOT EXISTS ${t("hits")} (
       id bigserial PRIMARY KEY, name text NOT NULL, at bigint NOT NULL)`,
  )
  await db.query(`CREATE INDEX IF NOT EXISTS hits_name_at ON ${t("hits")} (name, at)`)
  await db.query(
    `CREATE TABLE IF NOT EXISTS ${t("salts")} (purpose text PRIMARY KEY, salt bytea NOT NULL)`,
  )
}
