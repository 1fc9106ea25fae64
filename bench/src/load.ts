import { randomBytes } from "node:crypto"
import { writeFile } from "node:fs/promises"
import { dirname, join } from "node:path"
import { performance } from "node:perf_hooks"
import { fileURLToPath } from "node:url"
import { powBinding, solvePow, toBase64url } from "@sotto/crypto-core"
import {
  type ChildServer,
  call,
  prepareNode,
  type SubmissionTemplate,
  startBareUws,
  startRelayProcess,
} from "./_loadRig.js"
import { progress, round } from "./_measure.js"
import { machineInfo, writeResults } from "./_report.js"
import { renderChart } from "./_svg.js"

// `npm run bench -- load`: a soak of the relay over loopback. Several concurrent clients each
// submit tips with one small file, the whole way a whistleblower's browser does it (GET /pow,
// POST /tips, POST files, PUT the chunk, POST finalize), against a relay in a child process with
// proof of work at its minimum. The relay's RSS and the submissions' latency are sampled over
// time; a bare uWS server answering a POST of the same size, measured in the same run with the
// same clients, is the baseline.

/** Sizes of the run. */
export interface LoadOptions {
  readonly submissions: number
  readonly clients: number
  /** Plaintext bytes of each submission's file (the age file is ~200 bytes more). */
  readonly fileBytes: number
  readonly sampleMs: number
  readonly baselineRequests: number
}

/** One sampling window. */
export interface LoadSample {
  /** Seconds since the soak started, at the end of the window. */
  readonly t: number
  readonly relayRssMiB: number
  readonly submissions: number
  readonly submissionsPerSecond: number
  readonly p50Ms: number
  readonly p99Ms: number
}

/** Everything written to `bench/results/load.json`. */
export interface LoadResults {
  readonly machine: Awaited<ReturnType<typeof machineInfo>>
  readonly options: LoadOptions
  readonly notes: readonly string[]
  readonly relay: {
    readonly submissions: number
    readonly failures: number
    readonly firstFailures: readonly string[]
    readonly seconds: number
    readonly submissionsPerSecond: number
    readonly requestsPerSecond: number
    readonly submitPostBytes: number
    readonly p50Ms: number
    readonly p99Ms: number
    readonly submitPostP99Ms: number
    readonly rssStartMiB: number
    readonly rssPeakMiB: number
    readonly rssEndMiB: number
  }
  readonly baseline: {
    readonly requests: number
    readonly seconds: number
    readonly postsPerSecond: number
    readonly p99Ms: number
    readonly rssPeakMiB: number
  }
  readonly samples: readonly LoadSample[]
}

const quantile = (sorted: readonly number[], q: number) =>
  sorted.length === 0
    ? 0
    : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0)

/** One whole submission with a file; returns the latency of its POST /tips. */
export async function submitOnce(baseUrl: string, template: SubmissionTemplate): Promise<number> {
  // Each tip needs its own receipt verifier; the rest is the same sealed template.
  const paidFor = { ...template.body, wbAuthVerifier: toBase64url(randomBytes(32)) }
  // Protocol 2: stateless challenges, each proof bound to the route and body it pays for.
  const challenge = await call<{ challenge: string; difficulty: number }>(
    baseUrl,
    "GET",
    "/api/v1/pow?for=submitTip",
  )
  const nonce = await solvePow({ ...challenge, binding: powBinding("submitTip", paidFor) })
  const started = performance.now()
  const submitted = await call<{ tipId: string; session: string }>(
    baseUrl,
    "POST",
    "/api/v1/tips",
    { body: { pow: { challenge: challenge.challenge, nonce }, ...paidFor } },
  )
  const submitMs = performance.now() - started
  const { fileId } = await call<{ fileId: string }>(
    baseUrl,
    "POST",
    `/api/v1/tips/${submitted.tipId}/files`,
    {
      session: submitted.session,
      body: { meta: template.fileMeta, size: template.file.byteLength, chunkSize: 64 * 1024 },
    },
  )
  await call(baseUrl, "PUT", `/api/v1/files/${fileId}/chunks/0`, {
    session: submitted.session,
    raw: template.file,
    headers: { "X-Chunk-Sha256": template.fileSha256 },
  })
  await call(baseUrl, "POST", `/api/v1/files/${fileId}/finalize`, { session: submitted.session })
  return submitMs
}

/** Runs `count` tasks over `clients` concurrent loops; returns each task's latency in ms. */
async function drive(
  count: number,
  clients: number,
  task: (i: number) => Promise<unknown>,
  onDone: (ms: number) => void,
  onError: (e: unknown) => void,
): Promise<void> {
  let next = 0
  const loop = async () => {
    while (next < count) {
      const i = next++
      const started = performance.now()
      try {
        await task(i)
        onDone(performance.now() - started)
      } catch (e) {
        onError(e)
      }
    }
  }
  await Promise.all(Array.from({ length: clients }, loop))
}

async function soak(relay: ChildServer, template: SubmissionTemplate, options: LoadOptions) {
  const samples: LoadSample[] = []
  const all: number[] = []
  const submitPosts: number[] = []
  let window: number[] = []
  let failures = 0
  const firstFailures: string[] = []
  const rssStart = await relay.rssMiB()
  let rssPeak = rssStart
  const started = performance.now()
  let last = started
  const sample = async () => {
    const now = performance.now()
    const rss = await relay.rssMiB()
    rssPeak = Math.max(rssPeak, rss)
    const sorted = [...window].sort((a, b) => a - b)
    samples.push({
      t: round((now - started) / 1000, 1),
      relayRssMiB: round(rss, 1),
      submissions: window.length,
      submissionsPerSecond: round(window.length / ((now - last) / 1000), 1),
      p50Ms: round(quantile(sorted, 0.5), 1),
      p99Ms: round(quantile(sorted, 0.99), 1),
    })
    progress(
      `load: ${all.length}/${options.submissions} submissions, RSS ${rss.toFixed(0)} MiB, p99 ${quantile(sorted, 0.99).toFixed(0)} ms`,
    )
    window = []
    last = now
  }
  const timer = setInterval(() => void sample(), options.sampleMs)
  await drive(
    options.submissions,
    options.clients,
    async () => submitPosts.push(await submitOnce(relay.baseUrl, template)),
    (ms) => {
      all.push(ms)
      window.push(ms)
    },
    (e) => {
      failures++
      if (firstFailures.length < 5) firstFailures.push(String(e).slice(0, 300))
      if (failures > options.submissions / 100) throw new Error(`too many failures: ${e}`)
    },
  )
  clearInterval(timer)
  await sample()
  const seconds = (performance.now() - started) / 1000
  const sorted = [...all].sort((a, b) => a - b)
  const posts = [...submitPosts].sort((a, b) => a - b)
  return {
    samples,
    relay: {
      submissions: all.length,
      failures,
      firstFailures,
      seconds: round(seconds, 1),
      submissionsPerSecond: round(all.length / seconds, 1),
      // Five requests per submission: pow, submit, create file, chunk, finalize.
      requestsPerSecond: round((all.length * 5) / seconds, 1),
      submitPostBytes: 0,
      p50Ms: round(quantile(sorted, 0.5), 1),
      p99Ms: round(quantile(sorted, 0.99), 1),
      submitPostP99Ms: round(quantile(posts, 0.99), 1),
      rssStartMiB: round(rssStart, 1),
      rssPeakMiB: round(rssPeak, 1),
      rssEndMiB: round(await relay.rssMiB(), 1),
    },
  }
}

async function baseline(bytes: number, options: LoadOptions) {
  const bare = await startBareUws()
  try {
    const body = new Uint8Array(randomBytes(bytes))
    const latencies: number[] = []
    let rssPeak = await bare.rssMiB()
    const timer = setInterval(async () => {
      rssPeak = Math.max(rssPeak, await bare.rssMiB())
    }, options.sampleMs)
    const started = performance.now()
    await drive(
      options.baselineRequests,
      options.clients,
      async () => {
        const res = await fetch(`${bare.baseUrl}/`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body,
        })
        if (res.status !== 201) throw new Error(`bare uWS answered ${res.status}`)
        await res.text()
      },
      (ms) => latencies.push(ms),
      (e) => {
        throw e
      },
    )
    const seconds = (performance.now() - started) / 1000
    clearInterval(timer)
    latencies.sort((a, b) => a - b)
    return {
      requests: latencies.length,
      seconds: round(seconds, 1),
      postsPerSecond: round(latencies.length / seconds, 1),
      p99Ms: round(quantile(latencies, 0.99), 1),
      rssPeakMiB: round(rssPeak, 1),
    }
  } finally {
    await bare.stop()
  }
}

/** Runs the soak and the baseline; writes load.json and load.svg under bench/results/. */
export async function benchLoad(options: LoadOptions): Promise<LoadResults> {
  const machine = await machineInfo()
  const relay = await startRelayProcess()
  let soaked: Awaited<ReturnType<typeof soak>>
  let postBytes: number
  try {
    const template = await prepareNode(relay.baseUrl, options.fileBytes)
    postBytes = Buffer.byteLength(
      JSON.stringify({
        pow: { challenge: "A".repeat(22), nonce: 12345 },
        ...template.body,
        wbAuthVerifier: "A".repeat(43),
      }),
    )
    progress(`load: node ready, submit body ${postBytes} bytes; soaking`)
    soaked = await soak(relay, template, options)
  } finally {
    await relay.stop()
  }
  progress("load: bare uWS baseline")
  const base = await baseline(postBytes, options)
  const results: LoadResults = {
    machine,
    options,
    notes: [
      "Proof of work set to its minimum (4 bits) through PATCH /api/v1/settings so the bench measures the relay, not the client's hashing.",
      "Each submission = GET /pow, POST /tips, POST /tips/:id/files, PUT one chunk, POST finalize; latency is the whole sequence, one client loop at a time.",
      "Every tip carries the same sealed answers, wraps and age file (made once with crypto-core); only the receipt verifier is fresh per tip. The relay cannot tell the difference.",
      "Relay and clients share the machine's cores over loopback; the relay runs as `node --import tsx relay/src/main.ts` (as npm start does) with LevelDB in a temp dir.",
      "Baseline: a bare uWS server (same build) reading a POST body of the submit body's size and answering 201, driven by the same clients with fetch.",
    ],
    relay: { ...soaked.relay, submitPostBytes: postBytes },
    baseline: base,
    samples: soaked.samples,
  }
  progress(`wrote ${await writeResults("load", results)}`)
  const svg = renderChart(
    `Sotto relay soak: ${results.relay.submissions} submissions with a file, ${options.clients} clients (bare uWS POST baseline ${base.postsPerSecond}/s)`,
    [
      {
        title: "Relay resident memory",
        unit: "MiB",
        lines: [
          {
            label: "relay RSS",
            color: "#1f77b4",
            points: soaked.samples.map((s) => [s.t, s.relayRssMiB]),
          },
        ],
      },
      {
        title: "Submission latency (whole submission with its file)",
        unit: "ms",
        lines: [
          { label: "p99", color: "#d62728", points: soaked.samples.map((s) => [s.t, s.p99Ms]) },
          { label: "p50", color: "#2ca02c", points: soaked.samples.map((s) => [s.t, s.p50Ms]) },
        ],
      },
      {
        title: "Throughput",
        unit: "submissions/s",
        lines: [
          {
            label: "submissions/s",
            color: "#9467bd",
            points: soaked.samples.map((s) => [s.t, s.submissionsPerSecond]),
          },
        ],
      },
    ],
    "seconds since start",
  )
  const svgPath = join(dirname(fileURLToPath(import.meta.url)), "..", "results", "load.svg")
  await writeFile(svgPath, svg)
  progress(`wrote ${svgPath}`)
  return results
}

/** The summary printed on stdout. */
export function loadTable(r: LoadResults): string {
  return [
    `relay soak: ${r.relay.submissions} submissions with a ${r.options.fileBytes}-byte file from ${r.options.clients} clients in ${r.relay.seconds} s (${r.relay.failures} failed)`,
    `  ${r.relay.submissionsPerSecond} submissions/s (${r.relay.requestsPerSecond} relay requests/s); whole-submission p50 ${r.relay.p50Ms} ms, p99 ${r.relay.p99Ms} ms; POST /tips p99 ${r.relay.submitPostP99Ms} ms`,
    `  relay RSS ${r.relay.rssStartMiB} MiB at start, ${r.relay.rssPeakMiB} MiB peak, ${r.relay.rssEndMiB} MiB at the end`,
    `bare uWS baseline: ${r.baseline.postsPerSecond} POSTs/s of ${r.relay.submitPostBytes} bytes, p99 ${r.baseline.p99Ms} ms (${r.baseline.requests} requests)`,
  ].join("\n")
}
