import pg from "pg"
import type { BatchOp, KeyRange, StoreBackend, Sublevel } from "./backend.js"

// PostgreSQL behind the same small interface as LevelDB: one table of (sublevel, key, value) with
// keys stored as their UTF-8 bytes, so `bytea` ordering (memcmp) is LevelDB's byte-wise order.
// A batch is one transaction; PostgreSQL's default `synchronous_commit = on` makes a resolved
// batch durable, as LevelDB's `sync: true` does.

/** Rows read per round trip while iterating a range (keyset pagination, constant memory). */
const PAGE = 512

/** Options of {@link PgBackend.open}. */
export interface PgBackendOptions {
  /** A `postgres://` connection string (`STORE_URL`). */
  readonly url: string
  /** The schema holding the table; one node per schema (default `sotto`). */
  readonly schema?: string
  /** Connections in the pool (default 8). */
  readonly poolSize?: number
}

/** A {@link StoreBackend} on PostgreSQL (node-postgres); creates its schema and table on open. */
export class PgBackend implements StoreBackend {
  readonly #pool: pg.Pool
  readonly #table: string

  private constructor(pool: pg.Pool, table: string) {
    this.#pool = pool
    this.#table = table
  }

  /**
   * Connects and creates `<schema>.kv` if it is missing.
   * @throws Error when the server cannot be reached or the schema name is not a plain identifier.
   */
  static async open(options: PgBackendOptions): Promise<PgBackend> {
    const schema = options.schema ?? "sotto"
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
      throw new Error(
        `"schema" expected a lower-case SQL identifier, got ${JSON.stringify(schema)}`,
      )
    }
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 8 })
    // An idle client that loses its server must not crash the relay; the next query reports it.
    pool.on("error", () => {})
    const table = `"${schema}".kv`
    try {
      await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`)
      await pool.query(
        `CREATE TABLE IF NOT EXISTS ${table} (
          sublevel text NOT NULL,
          key bytea NOT NULL,
          value bytea NOT NULL,
          PRIMARY KEY (sublevel, key)
        )`,
      )
    } catch (error) {
      await pool.end()
      throw error
    }
    return new PgBackend(pool, table)
  }

  async get(sublevel: Sublevel, key: string): Promise<Uint8Array | undefined> {
    const { rows } = await this.#pool.query<{ value: Buffer }>(
      `SELECT value FROM ${this.#table} WHERE sublevel = $1 AND key = $2`,
      [sublevel, keyBytes(key)],
    )
    const value = rows[0]?.value
    return value === undefined ? undefined : plain(value)
  }

  async getMany(
    sublevel: Sublevel,
    keys: readonly string[],
  ): Promise<Array<Uint8Array | undefined>> {
    if (keys.length === 0) return []
    const { rows } = await this.#pool.query<{ key: Buffer; value: Buffer }>(
      `SELECT key, value FROM ${this.#table} WHERE sublevel = $1 AND key = ANY($2::bytea[])`,
      [sublevel, keys.map(keyBytes)],
    )
    const found = new Map(rows.map((r) => [r.key.toString("utf8"), plain(r.value)]))
    return keys.map((k) => found.get(k))
  }

  async batch(ops: readonly BatchOp[]): Promise<void> {
    if (ops.length === 0) return
    const client = await this.#pool.connect()
    try {
      await client.query("BEGIN")
      // Applied in order, so a put then a del of one key within a batch ends deleted, as in LevelDB.
      for (const op of ops) {
        if (op.type === "put") {
          await client.query(
            `INSERT INTO ${this.#table} (sublevel, key, value) VALUES ($1, $2, $3)
             ON CONFLICT (sublevel, key) DO UPDATE SET value = EXCLUDED.value`,
            [
              op.sublevel,
              keyBytes(op.key),
              Buffer.from(op.value.buffer, op.value.byteOffset, op.value.byteLength),
            ],
          )
        } else {
          await client.query(`DELETE FROM ${this.#table} WHERE sublevel = $1 AND key = $2`, [
            op.sublevel,
            keyBytes(op.key),
          ])
        }
      }
      await client.query("COMMIT")
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {})
      throw error
    } finally {
      client.release()
    }
  }

  async *entries(
    sublevel: Sublevel,
    range: KeyRange = {},
  ): AsyncIterable<readonly [string, Uint8Array]> {
    const reverse = range.reverse ?? false
    let remaining =
      range.limit === undefined || range.limit < 0 ? Number.POSITIVE_INFINITY : range.limit
    let low = range.gte === undefined ? undefined : { key: keyBytes(range.gte), inclusive: true }
    let high = range.lt === undefined ? undefined : { key: keyBytes(range.lt), inclusive: false }
    while (remaining > 0) {
      const params: unknown[] = [sublevel]
      const where = ["sublevel = $1"]
      if (low) {
        params.push(low.key)
        where.push(`key ${low.inclusive ? ">=" : ">"} $${params.length}`)
      }
      if (high) {
        params.push(high.key)
        where.push(`key ${high.inclusive ? "<=" : "<"} $${params.length}`)
      }
      const take = Math.min(PAGE, remaining)
      params.push(take)
      const { rows } = await this.#pool.query<{ key: Buffer; value: Buffer }>(
        `SELECT key, value FROM ${this.#table} WHERE ${where.join(" AND ")}
         ORDER BY key ${reverse ? "DESC" : "ASC"} LIMIT $${params.length}`,
        params,
      )
      for (const row of rows) yield [row.key.toString("utf8"), plain(row.value)] as const
      remaining -= rows.length
      const last = rows.at(-1)
      if (rows.length < take || last === undefined) return
      // Keyset pagination: the next page starts strictly after the last key seen.
      if (reverse) high = { key: last.key, inclusive: false }
      else low = { key: last.key, inclusive: false }
    }
  }

  /**
   * Returns dead rows' space to PostgreSQL. `VACUUM` makes deleted values unreachable and their
   * space reusable; only `VACUUM FULL` rewrites the files, and it locks the table, so it is left
   * to the operator (see relay/README.md on crypto-shredding with PostgreSQL).
   */
  async compact(): Promise<void> {
    await this.#pool.query(`VACUUM ${this.#table}`)
  }

  async close(): Promise<void> {
    await this.#pool.end()
  }
}

function keyBytes(key: string): Buffer {
  return Buffer.from(key, "utf8")
}

// node-postgres hands out Buffers; callers get plain Uint8Array views of the same memory.
function plain(value: Buffer): Uint8Array {
  return new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
}
