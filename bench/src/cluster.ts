import { createHash, randomBytes } from "node:crypto"
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { performance } from "node:perf_hooks"
import { fileURLToPath } from "node:url"
import { powBinding, solvePow, toBase64url } from "@sotto/crypto-core"
import pg from "pg"
import {
  type ChildServer,
  call,
  prepareNode,
  type SubmissionTemplate,
  startRelayProcess,
} from "./_loadRig.js"
import { progress, round } from "./_measure.js"
import { machineInfo, renderTable, writeResults } from "./_report.js"
import { renderChart } from "./_svg.js"
import { benchChunkPlacement, type ChunkPlacementResults } from "./chunkPlacement.js"
import { submitOnce } from "./load.js"

// `npm run bench -- cluster`: the whole whistleblower path (GET /pow, POST /tips, POST files, PUT
// chunks, finalize) against one relay process on embedded LevelDB, then one and two relay processes
// on PostgreSQL (STORE_URL) with push on NATS (BUS_URL), all in the same run with the same clients.
// Clients are spread round-robin over the processes of a setup, so with two processes every tip is
// written through both. Two phases per setup: small submissions (submissions/s) and multi-chunk
// uploads (upload MB/s of ciphertext). Then the chunk placement comparison (chunkPlacement.ts).

/** Sizes of the run. */
export interface ClusterOptions {
  readonly submissions: number
  readonly uploads: number
  readonly clients: number
  /** Plaintext bytes of each upload's file; sent in `chunkBytes` chunks. */
  readonly uploadBytes: number
  readonly chunkBytes: number
  readonly placementChunks: number
  readonly pgUrl: string
  readonly natsUrl: string
}

/** One setup's measurements. */
export interface ClusterRow {
  readonly setup: string
  readonly processes: number
  readonly store: "leveldb" | "postgresql"
  readonly submissions: number
  readonly submissionFailures: number
  readonly submissionsPerSecond: number
  readonly submissionP50Ms: number
  readonly submissionP99Ms: number
  readonly uploads: number
  readonly uploadFailures: number
  readonly uploadMB: number
  readonly uploadMBPerSecond: number
  readonly firstFailures: readonly string[]
}

/** Everything written to `bench/results/cluster.json`. */
export interface ClusterResults {
  readonly machine: Awaited<ReturnType<typeof machineInfo>>
  readonly options: Omit<ClusterOptions, "pgUrl" | "natsUrl">
  readonly notes: readonly string[]
  readonly durationSeconds: number
  readonly rows: readonly ClusterRow[]
  readonly chunkPlacement: ChunkPlacementResults
}

const quantile = (sorted: readonly number[], q: number) =>
  sorted.length === 0
    ? 0
    : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0)

/** A sealed multi-chunk file: its chunks and their SHA-256s. */
interface UploadFile {
  readonly size: number
  readonly chunks: readonly Uint8Array[]
  readonly sha256: readonly string[]
}

function splitFile(file: Uint8Array, chunkBytes: number): UploadFile {
  const chunks: Uint8Array[] = []
  for (let at = 0; at < file.byteLength; at += chunkBytes)
    chunks.push(file.subarray(at, at + chunkBytes))
  return {
    size: file.byteLength,
    chunks,
    sha256: chunks.map((c) => createHash("sha256").update(c).digest("base64url")),
  }
}

/** A submission with one multi-chunk file; returns the ciphertext bytes sent. */
async function uploadOnce(
  baseUrl: string,
  template: SubmissionTemplate,
  file: UploadFile,
  chunkBytes: number,
): Promise<number> {
  const paidFor = { ...template.body, wbAuthVerifier: toBase64url(randomBytes(32)) }
  const challenge = await call<{ challenge: string; difficulty: number }>(
    baseUrl,
    "GET",
    "/api/v1/pow?for=submitTip",
  )
  const nonce = await solvePow({ ...challenge, binding: powBinding("submitTip", paidFor) })
  const tip = await call<{ tipId: string; session: string }>(baseUrl, "POST", "/api/v1/tips", {
    body: { pow: { challenge: challenge.challenge, nonce }, ...paidFor },
  })
  const { fileId } = await call<{ fileId: string }>(
    baseUrl,
    "POST",
    `/api/v1/tips/${tip.tipId}/files`,
    {
      session: tip.session,
      body: { meta: template.fileMeta, size: file.size, chunkSize: chunkBytes },
    },
  )
  for (const [i, chunk] of file.chunks.entries()) {
    await call(baseUrl, "PUT", `/api/v1/files/${fileId}/chunks/${i}`, {
      session: tip.session,
      raw: chunk,
      headers: { "X-Chunk-Sha256": file.sha256[i] ?? "" },
    })
  }
  await call(baseUrl, "POST", `/api/v1/files/${fileId}/finalize`, { session: tip.session })
  return file.size
}

/** Runs `count` tasks over `clients` loops; client k talks to process k mod n. */
async function drive(
  count: number,
  clients: number,
  task: (i: number, client: number) => Promise<unknown>,
): Promise<{ latencies: number[]; failures: string[]; seconds: number }> {
  const latencies: number[] = []
  const failures: string[] = []
  let next = 0
  const started = performance.now()
  const loop = async (client: number) => {
    while (next < count) {
      const i = next++
      const t = performance.now()
      try {
        await task(i, client)
        latencies.push(performance.now() - t)
      } catch (e) {
        failures.push(e instanceof Error ? e.message : String(e))
      }
    }
  }
  await Promise.all(Array.from({ length: clients }, (_, k) => loop(k)))
  return { latencies, failures, seconds: (performance.now() - started) / 1000 }
}

/** Measures one setup: its processes already run and share one node. */
async function measureSetup(
  setup: string,
  store: ClusterRow["store"],
  servers: readonly ChildServer[],
  options: ClusterOptions,
): Promise<ClusterRow> {
  const first = servers[0]
  if (!first) throw new Error("no process")
  const sealed = await prepareNode(first.baseUrl, options.uploadBytes, options.uploadBytes)
  // The small submissions send the first 1 KiB of the sealed file: opaque bytes to the relay,
  // like the ~1.2 KB age file of the load bench.
  const small = sealed.file.subarray(0, 1024)
  const template: SubmissionTemplate = {
    ...sealed,
    file: small,
    fileSha256: createHash("sha256").update(small).digest("base64url"),
  }
  const file = splitFile(sealed.file, options.chunkBytes)
  const url = (client: number) => servers[client % servers.length]?.baseUrl ?? first.baseUrl
  progress(`cluster: ${setup}: ${options.submissions} submissions`)
  const subs = await drive(options.submissions, options.clients, (_, c) =>
    submitOnce(url(c), template),
  )
  progress(`cluster: ${setup}: ${options.uploads} uploads of ${file.chunks.length} chunks`)
  const ups = await drive(options.uploads, options.clients, (_, c) =>
    uploadOnce(url(c), sealed, file, options.chunkBytes),
  )
  const sorted = subs.latencies.sort((a, b) => a - b)
  const uploadMB = (ups.latencies.length * file.size) / 1e6
  return {
    setup,
    processes: servers.length,
    store,
    submissions: subs.latencies.length,
    submissionFailures: subs.failures.length,
    submissionsPerSecond: round(subs.latencies.length / subs.seconds, 1),
    submissionP50Ms: round(quantile(sorted, 0.5), 1),
    submissionP99Ms: round(quantile(sorted, 0.99), 1),
    uploads: ups.latencies.length,
    uploadFailures: ups.failures.length,
    uploadMB: round(uploadMB, 1),
    uploadMBPerSecond: round(uploadMB / ups.seconds, 1),
    firstFailures: [...subs.failures, ...ups.failures].slice(0, 5),
  }
}

/** Starts `count` relay processes on one fresh PostgreSQL schema and NATS, sharing key files. */
async function withPgCluster<T>(
  count: number,
  options: ClusterOptions,
  run: (servers: ChildServer[]) => Promise<T>,
): Promise<T> {
  const schema = `sotto_bench_${randomBytes(5).toString("hex")}`
  const keysDir = await mkdtemp(join(tmpdir(), "sotto-cluster-keys-"))
  const env = { STORE_URL: options.pgUrl, STORE_SCHEMA: schema, BUS_URL: options.natsUrl }
  const servers: ChildServer[] = []
  try {
    // One at a time: the first one creates the schema and the key files the others read.
    for (let i = 0; i < count; i++) servers.push(await startRelayProcess(env, keysDir))
    return await run(servers)
  } finally {
    for (const s of servers) await s.stop()
    await rm(keysDir, { recursive: true, force: true })
    const client = new pg.Client({ connectionString: options.pgUrl })
    await client.connect()
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    await client.end()
  }
}

const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "results")

/** Runs the three setups and the chunk placement comparison; writes cluster.json and cluster.svg. */
export async function benchCluster(options: ClusterOptions): Promise<ClusterResults> {
  const started = performance.now()
  const machine = await machineInfo()
  const rows: ClusterRow[] = []
  const leveldb = await startRelayProcess()
  try {
    rows.push(await measureSetup("1 process, LevelDB", "leveldb", [leveldb], options))
  } finally {
    await leveldb.stop()
  }
  for (const count of [1, 2]) {
    const label = `${count} process${count > 1 ? "es" : ""}, PostgreSQL + NATS`
    rows.push(
      await withPgCluster(count, options, (servers) =>
        measureSetup(label, "postgresql", servers, options),
      ),
    )
  }
  progress(`cluster: chunk placement, ${options.placementChunks} chunks of 1 MiB`)
  const chunkPlacement = await benchChunkPlacement(
    options.placementChunks,
    options.pgUrl,
    options.natsUrl,
  )
  const { pgUrl: _p, natsUrl: _n, ...sizes } = options
  const results: ClusterResults = {
    machine,
    options: sizes,
    notes: [
      "All processes, PostgreSQL, NATS and the clients share the same 2 cores: a second process adds no CPU, so the 2-process row shows coordination cost, not scale-out headroom.",
      "Proof of work is at its minimum (4 bits); clients are spread round-robin over a setup's processes.",
      "upload MB = ciphertext bytes of finalized files / 1e6.",
    ],
    durationSeconds: round((performance.now() - started) / 1000, 1),
    rows,
    chunkPlacement,
  }
  progress(`wrote ${await writeResults("cluster", results)}`)
  const svg = join(RESULTS_DIR, "cluster.svg")
  await writeFile(svg, clusterChart(results))
  progress(`wrote ${svg}`)
  return results
}

/** Bars drawn as flat lines over x = setup index (the shared chart draws lines only). */
function clusterChart(r: ClusterResults): string {
  const colors = ["#1f77b4", "#d62728", "#2ca02c"]
  const bar = (pick: (row: ClusterRow) => number) =>
    r.rows.map((row, i) => ({
      label: row.setup,
      color: colors[i] ?? "#333",
      points: [
        [i + 0.1, pick(row)],
        [i + 0.9, pick(row)],
      ] as [number, number][],
    }))
  return renderChart(
    "Relay setups on one 2-core machine (same run)",
    [
      {
        title: "Submissions per second",
        unit: "tips/s",
        lines: bar((x) => x.submissionsPerSecond),
      },
      { title: "Upload throughput", unit: "MB/s", lines: bar((x) => x.uploadMBPerSecond) },
    ],
    "setup (0 = LevelDB, 1 = 1× PostgreSQL, 2 = 2× PostgreSQL)",
  )
}

/** The cluster table for stdout. */
export function clusterTable(r: ClusterResults): string {
  const table = renderTable(
    ["setup", "submissions/s", "p50 ms", "p99 ms", "upload MB/s", "failures"],
    r.rows.map((x) => [
      x.setup,
      String(x.submissionsPerSecond),
      String(x.submissionP50Ms),
      String(x.submissionP99Ms),
      String(x.uploadMBPerSecond),
      String(x.submissionFailures + x.uploadFailures),
    ]),
  )
  const p = r.chunkPlacement
  const placement = renderTable(
    ["chunk placement (1 MiB)", "write MB/s", "read MB/s"],
    p.rows.map((x) => [x.backend, String(x.writeMBPerSecond), String(x.readMBPerSecond)]),
  )
  return `${table}\n\n${placement}\nbench time ${r.durationSeconds} s`
}
