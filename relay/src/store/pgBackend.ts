import pg from "pg"
import {
  type BatchOp,
  type BatchOptions,
  checkBlobArgs,
  type KeyRange,
  type StoreBackend,
  type Sublevel,
} from "./backend.js"

// PostgreSQL behind the same small interface as LevelDB: one table of (sublevel, key, value) with
// keys stored as their UTF-8 bytes, so `bytea` ordering (memcmp) is LevelDB's byte-wise order.
// A batch is one transaction; PostgreSQL's default `synchronous_commit = on` makes a resolved
// batch durable, as LevelDB's `sync: true` does. Blobs are rows of `<schema>.blobs`, one per piece
// written (its offset and `bytea`), so a piece is one INSERT and a range read touches only the
// pieces it overlaps.

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
  readonly #blobs: string

  private constructor(pool: pg.Pool, schema: string) {
    this.#pool = pool
    this.#table = `"${schema}".kv`
    this.#blobs = `"${schema}".blobs`
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
        `CREATE TABLE IF NOT EXISTS "${schema}".blobs (
          id text NOT NULL,
          "offset" bigint NOT NULL,
          bytes bytea NOT NULL,
          PRIMARY KEY (id, "offset")
        )`,
      )
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
    return new PgBackend(pool, schema)
  }

  async get(sublevel: Sublevel, key: string): Promise<Uint8Array | undefined> {
    const { rows } = await this.#pool.query<{ value: Buffer }>(
      `SELECT value FROM ${this.#table} WHERE sublevel = $1 AND key = $2`,
      [sublevel, keyBytes(key)],
    )
    const value = rows[0]?.value
    return value === undefined ? undefined : plain(value)
  }

  async batch(ops: readonly BatchOp[], options: BatchOptions = {}): Promise<void> {
    if (ops.length === 0) return
    const client = await this.#pool.connect()
    try {
      await client.query("BEGIN")
      // The commit then returns before the WAL is flushed, as LevelDB's `sync: false` does.
      if (options.sync === false) await client.query("SET LOCAL synchronous_commit = off")
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

  async writeBlob(id: string, offset: number, bytes: Uint8Array): Promise<void> {
    checkBlobArgs(id, offset)
    await this.#pool.query(
      `INSERT INTO ${this.#blobs} (id, "offset", bytes) VALUES ($1, $2, $3)
       ON CONFLICT (id, "offset") DO UPDATE SET bytes = EXCLUDED.bytes`,
      [id, offset, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)],
    )
  }

  async readBlob(id: string, offset: number, length: number): Promise<Uint8Array | undefined> {
    checkBlobArgs(id, offset)
    const end = offset + Math.max(0, length)
    // The pieces overlapping the range, and where the blob ends (none: it does not exist).
    const { rows } = await this.#pool.query<{ offset: string; bytes: Buffer | null; size: string }>(
      `SELECT p."offset", p.bytes, s.size FROM
         (SELECT max("offset" + octet_length(bytes)) AS size FROM ${this.#blobs} WHERE id = $1) s
         LEFT JOIN ${this.#blobs} p
           ON p.id = $1 AND p."offset" < $3 AND p."offset" + octet_length(p.bytes) > $2
       WHERE s.size IS NOT NULL ORDER BY p."offset"`,
      [id, offset, end],
    )
    const first = rows[0]
    if (first === undefined) return undefined
    const out = new Uint8Array(Math.max(0, Math.min(end, Number(first.size)) - offset))
    for (const row of rows) {
      if (row.bytes === null) continue
      const at = Number(row.offset) - offset
      const from = Math.max(0, -at)
      out.set(row.bytes.subarray(from, from + out.byteLength - Math.max(0, at)), Math.max(0, at))
    }
    return out
  }

  async deleteBlob(id: string): Promise<void> {
    checkBlobArgs(id)
    await this.#pool.query(`DELETE FROM ${this.#blobs} WHERE id = $1`, [id])
  }

  async *blobIds(): AsyncIterable<string> {
    const { rows } = await this.#pool.query<{ id: string }>(
      `SELECT DISTINCT id FROM ${this.#blobs}`,
    )
    for (const row of rows) yield row.id
  }

  /**
   * Returns dead rows' space to PostgreSQL. `VACUUM` makes deleted values unreachable and their
   * space reusable; only `VACUUM FULL` rewrites the files, and it locks the table, so it is left
   * to the operator (see relay/README.md on crypto-shredding with PostgreSQL).
   */
  async compact(): Promise<void> {
    await this.#pool.query(`VACUUM ${this.#table}`)
    await this.#pool.query(`VACUUM ${this.#blobs}`)
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
