import { randomBytes } from "node:crypto"
import { performance } from "node:perf_hooks"
import { PgBackend } from "@sotto/relay/pgBackend"
import { connect } from "nats"
import pg from "pg"
import { round } from "./_measure.js"

// Where 1 MiB upload chunks live best when relays share a node: the store's blob side on
// PostgreSQL (`bytea` rows through the relay's own PgBackend.writeBlob/readBlob) against the NATS
// JetStream object store (nats.js `js.views.os`, file storage), each chunk written then read back
// and compared, with the same concurrency, in the same run.

/** One backend's numbers. */
export interface PlacementRow {
  readonly backend: string
  readonly chunks: number
  readonly concurrency: number
  readonly writeMBPerSecond: number
  readonly readMBPerSecond: number
  readonly writeP50Ms: number
  readonly readP50Ms: number
}

/** The comparison written into cluster.json. */
export interface ChunkPlacementResults {
  readonly chunkBytes: number
  readonly rows: readonly PlacementRow[]
}

const CHUNK = 1024 * 1024
const CONCURRENCY = 4

/** Runs `count` jobs over `CONCURRENCY` loops; returns seconds and sorted latencies. */
async function timed(count: number, job: (i: number) => Promise<void>) {
  const latencies: number[] = []
  let next = 0
  const started = performance.now()
  const loop = async () => {
    while (next < count) {
      const i = next++
      const t = performance.now()
      await job(i)
      latencies.push(performance.now() - t)
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, loop))
  const seconds = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  return { seconds, p50: latencies[Math.floor(latencies.length / 2)] ?? 0 }
}

function row(
  backend: string,
  count: number,
  write: { seconds: number; p50: number },
  read: { seconds: number; p50: number },
): PlacementRow {
  const mb = (count * CHUNK) / 1e6
  return {
    backend,
    chunks: count,
    concurrency: CONCURRENCY,
    writeMBPerSecond: round(mb / write.seconds, 1),
    readMBPerSecond: round(mb / read.seconds, 1),
    writeP50Ms: round(write.p50, 1),
    readP50Ms: round(read.p50, 1),
  }
}

function checkSame(got: Uint8Array | null | undefined, want: Uint8Array, where: string): void {
  if (!got || Buffer.compare(Buffer.from(got), Buffer.from(want)) !== 0) {
    throw new Error(`${where}: the chunk read back differs from the one written`)
  }
}

/** Writes and reads back `count` random 1 MiB chunks in each backend. */
export async function benchChunkPlacement(
  count: number,
  pgUrl: string,
  natsUrl: string,
): Promise<ChunkPlacementResults> {
  const chunks = Array.from({ length: count }, () => new Uint8Array(randomBytes(CHUNK)))
  const at = (i: number) => chunks[i] ?? new Uint8Array()
  const rows: PlacementRow[] = []

  const schema = `sotto_place_${randomBytes(5).toString("hex")}`
  const store = await PgBackend.open({ url: pgUrl, schema })
  try {
    const write = await timed(count, (i) => store.writeBlob(`chunk-${i}`, 0, at(i)))
    const read = await timed(count, async (i) =>
      checkSame(await store.readBlob(`chunk-${i}`, 0, CHUNK), at(i), "PostgreSQL bytea"),
    )
    rows.push(row("PostgreSQL bytea (PgBackend blobs)", count, write, read))
  } finally {
    await store.close()
    const client = new pg.Client({ connectionString: pgUrl })
    await client.connect()
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    await client.end()
  }

  const nc = await connect({ servers: natsUrl })
  try {
    const os = await nc.jetstream().views.os(`sotto_place_${randomBytes(5).toString("hex")}`)
    try {
      const write = await timed(count, async (i) => {
        await os.putBlob({ name: `chunk-${i}` }, at(i))
      })
      const read = await timed(count, async (i) =>
        checkSame(await os.getBlob(`chunk-${i}`), at(i), "NATS object store"),
      )
      rows.push(row("NATS JetStream object store (file)", count, write, read))
    } finally {
      await os.destroy()
    }
  } finally {
    await nc.close()
  }
  return { chunkBytes: CHUNK, rows }
}
