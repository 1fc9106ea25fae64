import { performance } from "node:perf_hooks"
import { progress, round } from "./_measure.js"
import {
  type BenchResults,
  describeMachine,
  formatNumber,
  type Measurement,
  machineInfo,
  renderTable,
  writeResults,
} from "./_report.js"
import { benchBigFile } from "./bigFile.js"
import { benchBrowser, browserTable } from "./browser.js"
import { type BundleResults, benchBundle } from "./bundle.js"
import { benchCluster, type ClusterOptions, clusterTable } from "./cluster.js"
import { benchFileStream } from "./fileStream.js"
import { benchInbox, type InboxOptions, inboxTable } from "./inbox.js"
import { benchLoad, type LoadOptions, loadTable } from "./load.js"
import { benchOprf } from "./oprf.js"
import { benchPool, type PoolResults } from "./pool.js"
import { benchRelay, type RelayBenchOptions, relayTable } from "./relay.js"
import { benchScrypt } from "./scrypt.js"
import { benchSlowLink, slowLinkTable } from "./slowLink.js"

// `npm run bench`: weighs the whistleblower's path through the PWA build (bench/results/
// pwa-bundle.json); times the whistleblower on an emulated slow link in Chromium (bench/results/
// slow-link.json, about two minutes); measures crypto-core against native node:crypto in the
// same run, prints a table to stdout and writes bench/results/crypto-core.json; then the same
// file through @sotto/workers pools. Sized for about four minutes on 2 cores.
// `npm run bench -- bundle` only weighs the bundle; `-- slow-link` stops after the slow link;
// `-- browser` only runs the crypto in Chromium workers (bench/results/browser.json);
// `-- load` only runs the relay soak (bench/results/load.json and load.svg, a few minutes;
// LOAD_SUBMISSIONS shortens a trial run); `-- oprf` only times a login and a receipt login with
// and without the OPRF step (bench/results/oprf.json; target ≤ 10 % slower); `-- relay` only
// compares the relay's chunk ingest and POST /tips with bare uWS servers (bench/results/relay.json,
// a few minutes); `-- inbox` only times GET /tips against the node's size and paging through a
// large inbox (bench/results/inbox.json); `-- bigfile` only runs the 1 GiB e2e of
// test/e2e/bigFile.test.ts and keeps its memory figures (bench/results/bigfile.json;
// SOTTO_BIGFILE_MIB shortens a trial run); `-- cluster` only compares one LevelDB relay with one
// and two relay processes on PostgreSQL + NATS, and 1 MiB chunks in PostgreSQL bytea against the
// NATS object store (bench/results/cluster.json and cluster.svg, a few minutes; CLUSTER_SCALE=0.2
// shortens a trial run; SOTTO_BENCH_PG_URL / SOTTO_BENCH_NATS_URL point elsewhere).

const SCRYPT = { logNs: [15, 16, 17], r: 8, p: 1, warmup: 1, reps: 5 } as const
const OPRF = { warmup: 1, reps: 7 } as const
const FILE_STREAM = { sizeMiB: 64, pieceMiB: 1, warmup: 1, reps: 5 } as const
const POOL = { sizeMiB: 64, pieceMiB: 1, poolSizes: [1, 2], warmup: 1, reps: 5 } as const
const INBOX: InboxOptions = {
  inboxTips: 100,
  smallNode: 400,
  largeNode: 10_000,
  commentsPerOtherTip: 5,
  heldTips: 5000,
  pageSize: 50,
  reps: 30,
}
const LOAD: LoadOptions = {
  submissions: Number(process.env.LOAD_SUBMISSIONS ?? 10_000),
  clients: 8,
  fileBytes: 1024,
  sampleMs: 2000,
  baselineRequests: 20_000,
}

const CLUSTER_SCALE = Number(process.env.CLUSTER_SCALE ?? 1)
const CLUSTER: ClusterOptions = {
  submissions: Math.max(8, Math.round(400 * CLUSTER_SCALE)),
  uploads: Math.max(4, Math.round(48 * CLUSTER_SCALE)),
  clients: 8,
  uploadBytes: 4 * 1024 * 1024,
  chunkBytes: 1024 * 1024,
  placementChunks: Math.max(8, Math.round(128 * CLUSTER_SCALE)),
  pgUrl: process.env.SOTTO_BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test",
  natsUrl: process.env.SOTTO_BENCH_NATS_URL ?? "nats://127.0.0.1:4222",
}

const RELAY: RelayBenchOptions = {
  chunksPerUpload: 16,
  concurrencies: [1, 4],
  warmup: 1,
  reps: 5,
  submissionsPerRound: 500,
  submissionRounds: 3,
  connections: 8,
}

/** The competitor's series and ratio, or dashes when the row has none. */
function competitorCells(m: Measurement, digits: number): [string, string] {
  const c = m.competitors[0]
  return c ? [formatNumber(c.median, digits), formatNumber(c.ratio, 2)] : ["-", "-"]
}

/** The scrypt table: one row per N, times in milliseconds. */
function scryptTable(rows: readonly Measurement[]): string {
  const title =
    `scrypt, r=${SCRYPT.r} p=${SCRYPT.p} dkLen=32: median ms of ${SCRYPT.reps} runs ` +
    "(ratio = crypto-core time / other time; >1 = crypto-core slower)"
  const table = renderTable(
    ["N", "crypto-core ms", "node:crypto ms", "core/native", "noble sync ms", "core/noble-sync"],
    rows.map((m) => {
      const [nobleMs, nobleRatio] = competitorCells(m, 1)
      return [
        `2^${m.params.logN}`,
        formatNumber(m.median, 1),
        formatNumber(m.baseline.median, 1),
        formatNumber(m.ratio, 2),
        nobleMs,
        nobleRatio,
      ]
    }),
  )
  return `${title}\n${table}`
}

/** The streaming table: one row per direction, throughput in MiB/s of plaintext. */
function fileStreamTable(rows: readonly Measurement[]): string {
  const title =
    `file streaming, ${FILE_STREAM.sizeMiB} MiB plaintext fed in ${FILE_STREAM.pieceMiB} MiB pieces: ` +
    `median MiB/s of ${FILE_STREAM.reps} runs, 1 MiB = 2^20 bytes ` +
    "(ratio = crypto-core throughput / other throughput; <1 = crypto-core slower)"
  const table = renderTable(
    [
      "operation",
      "crypto-core MiB/s",
      "node:crypto MiB/s",
      "core/native",
      "typage MiB/s",
      "core/typage",
    ],
    rows.map((m) => {
      const [typageMiBs, typageRatio] = competitorCells(m, 1)
      return [
        m.id.replace("file/", ""),
        formatNumber(m.median, 1),
        formatNumber(m.baseline.median, 1),
        formatNumber(m.ratio, 3),
        typageMiBs,
        typageRatio,
      ]
    }),
  )
  return `${title}\n${table}`
}

/** The pool table: one row per direction and pool size, throughput in MiB/s of plaintext. */
function poolTable(pool: PoolResults): string {
  const title =
    `pooled files (@sotto/workers, worker_threads), ${POOL.sizeMiB} MiB plaintext in ` +
    `${POOL.pieceMiB} MiB pieces, batches of 16 age chunks: median MiB/s of ${POOL.reps} runs ` +
    "(ratio = pool throughput / single-thread throughput; <1 = pool slower); main-thread memory " +
    "= peak growth of heapUsed + arrayBuffers after gc, sampled every 8 MiB in a separate untimed run"
  const table = renderTable(
    [
      "operation",
      "workers",
      "pool MiB/s",
      "typage MiB/s",
      "pool/typage",
      "crypto-core MiB/s",
      "pool/core",
      "main-thread growth MiB",
    ],
    pool.rows.map((row) => [
      row.operation,
      String(row.workers),
      formatNumber(row.median, 1),
      formatNumber(row.typage.median, 1),
      formatNumber(row.typage.ratio, 2),
      formatNumber(row.cryptoCore.median, 1),
      formatNumber(row.cryptoCore.ratio, 2),
      formatNumber(row.memory.growthMiB, 1),
    ]),
  )
  return `${title}\n${table}`
}

/** The bundle table: every file on the whistleblower's way to the submit form. */
function bundleTable(bundle: BundleResults): string {
  const { wbEntry } = bundle
  const title =
    `PWA build ${bundle.build}: HTML + JS + CSS a whistleblower loads to reach the submit form, ` +
    `KB = 1000 bytes (budget ${wbEntry.budgetGzipKB} KB gzipped); worker chunks load on first use, the ` +
    "service worker and its registration after the page has loaded"
  const kb = (n: number) => formatNumber(n / 1000, 1)
  const table = renderTable(
    ["file", "raw KB", "gzip KB", "brotli KB"],
    [
      ...wbEntry.files.map((f) => [f.file, kb(f.bytes), kb(f.gzip), kb(f.brotli)]),
      [
        "whistleblower entry total",
        kb(wbEntry.files.reduce((s, f) => s + f.bytes, 0)),
        formatNumber(wbEntry.totalGzipKB, 1),
        formatNumber(wbEntry.totalBrotliKB, 1),
      ],
      ...bundle.workers.map((f) => [`(worker) ${f.file}`, kb(f.bytes), kb(f.gzip), kb(f.brotli)]),
      ...bundle.pwa.map((f) => [`(after load) ${f.file}`, kb(f.bytes), kb(f.gzip), kb(f.brotli)]),
    ],
  )
  const fv = bundle.firstVisit
  const visit = renderTable(
    ["first visit (CDP, headers included)", "requests", "KB"],
    [
      ...(fv.visits[0]?.responses ?? []).map((r) => [r.path, "1", kb(r.bytes)]),
      [
        `median of ${fv.visits.length} cold visits`,
        String(fv.medianRequests),
        formatNumber(fv.medianKB, 1),
      ],
      ...fv.workerScriptsBeforeReady.map((w) => [
        `(worker script, not in the page's CDP) ${w.path}`,
        "-",
        formatNumber(w.brotliKB, 1),
      ]),
    ],
  )
  const budget = `first visit: ${fv.medianRequests} requests (budget ${fv.budget.requests}), ${formatNumber(fv.medianKB, 1)} KB (budget ${fv.budget.kb}); after the form: ${(fv.visits[0]?.after ?? []).join(", ")}`
  const ar = bundle.firstVisitArabic
  const arabic = `first visit in Arabic: ${ar.medianRequests} requests, ${formatNumber(ar.medianKB, 1)} KB (${(
    ar.visits[0]?.responses ?? []
  )
    .map((r) => r.path)
    .filter((p) => /\/ar-/.test(p))
    .join(", ")})`
  return `${title}\n${table}\n\n${visit}\n${budget}\n${arabic}`
}

/** The OPRF table: v2 (with the OPRF step) against v1 and native scrypt, in milliseconds. */
function oprfTable(rows: readonly Measurement[]): string {
  const title =
    `login derivation with vs without the OPRF step (SPEC §16): median ms of ${OPRF.reps} runs ` +
    "(v2 = scrypt + PoW + loopback round trip + evaluation + proof check; target v2/v1 ≤ 1.10)"
  const table = renderTable(
    [
      "secret",
      "N",
      "v2 ms",
      "v1 ms",
      "v2/v1",
      "OPRF step ms",
      "(v1+step)/v1",
      "node:crypto scrypt ms",
    ],
    rows.map((m) => {
      const [v1Ms, v1Ratio] = competitorCells(m, 1)
      const v1 = m.competitors[0]?.median ?? Number.NaN
      const step = m.competitors[1]?.median ?? Number.NaN
      return [
        String(m.params.use),
        `2^${m.params.logN}`,
        formatNumber(m.median, 1),
        v1Ms,
        v1Ratio,
        formatNumber(step, 1),
        formatNumber((v1 + step) / v1, 2),
        formatNumber(m.baseline.median, 1),
      ]
    }),
  )
  return `${title}\n${table}`
}

/** Runs every bench, prints the tables and writes the JSON results. */
async function main(): Promise<void> {
  if (process.argv.includes("bigfile")) {
    benchBigFile()
    progress("wrote bench/results/bigfile.json")
    return
  }
  if (process.argv.includes("inbox")) {
    process.stdout.write(`${inboxTable(await benchInbox(INBOX))}\n`)
    return
  }
  if (process.argv.includes("cluster")) {
    process.stdout.write(`${clusterTable(await benchCluster(CLUSTER))}\n`)
    return
  }
  if (process.argv.includes("load")) {
    process.stdout.write(`${loadTable(await benchLoad(LOAD))}\n`)
    return
  }
  if (process.argv.includes("relay")) {
    const relay = await benchRelay(RELAY)
    progress(`wrote ${await writeResults("relay", relay)}`)
    process.stdout.write(`${relayTable(relay)}\n`)
    return
  }
  if (process.argv.includes("oprf")) {
    const machine = await machineInfo()
    const started = performance.now()
    const measurements = await benchOprf(OPRF)
    const durationSeconds = round((performance.now() - started) / 1000, 1)
    const path = await writeResults("oprf", { machine, durationSeconds, measurements })
    progress(`wrote ${path}`)
    process.stdout.write(`${describeMachine(machine)}\n\n${oprfTable(measurements)}\n`)
    return
  }
  if (process.argv.includes("browser")) {
    const browser = await benchBrowser()
    progress(`wrote ${await writeResults("browser", browser)}`)
    process.stdout.write(`${browserTable(browser)}\n`)
    return
  }
  const bundle = await benchBundle()
  progress(`wrote ${await writeResults("pwa-bundle", bundle)}`)
  process.stdout.write(`${bundleTable(bundle)}\n\n`)
  if (process.argv.includes("bundle")) return
  const slowLinkOnly = process.argv.includes("slow-link")
  const slowLink = await benchSlowLink()
  progress(`wrote ${await writeResults("slow-link", slowLink)}`)
  process.stdout.write(`${slowLinkTable(slowLink)}\n\n`)
  if (slowLinkOnly) return
  const started = performance.now()
  const machine = await machineInfo()
  const scrypt = await benchScrypt(SCRYPT)
  const fileStream = await benchFileStream(FILE_STREAM)
  const pool = await benchPool(POOL)
  const durationSeconds = round((performance.now() - started) / 1000, 1)
  const results: BenchResults = {
    machine,
    durationSeconds,
    measurements: [...scrypt, ...fileStream],
    pool,
  }
  const path = await writeResults("crypto-core", results)
  progress(`wrote ${path}`)
  const report = [
    describeMachine(machine),
    "",
    scryptTable(scrypt),
    "",
    fileStreamTable(fileStream),
    "",
    poolTable(pool),
    "",
    `Total bench time: ${durationSeconds} s`,
  ]
  process.stdout.write(`${report.join("\n")}\n`)
}

await main()
