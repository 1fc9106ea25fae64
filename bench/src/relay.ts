import { createHash, randomBytes } from "node:crypto"
import { mkdtemp, open, readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { performance } from "node:perf_hooks"
import { fileURLToPath } from "node:url"
import { powBinding, solvePow, toBase64url } from "@sotto/crypto-core"
import { type Answer, BenchConnection } from "./_http.js"
import { type ChildServer, startBareUws } from "./_loadRig.js"
import { median, progress, round } from "./_measure.js"
import { formatNumber, type MachineInfo, machineInfo, renderTable } from "./_report.js"

// `npm run bench -- relay` (issue 14): what the relay costs over the bare minimum, both servers
// in child processes on this machine, driven by the same keep-alive client in interleaved rounds.
// - Ingest: uploads of 1 MiB chunks, 1 and 4 at a time, each chunk PUT waiting for its answer,
//   beside a bare uWS server that writes the same chunks with pwrite + fdatasync at their offsets.
// - Submissions: POST /tips (proof of work solved beforehand) on 8 connections, beside the bare
//   uWS POST of the load bench with a body of the same size.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..")
const MiB = 1024 * 1024

/** How the relay bench runs. */
export interface RelayBenchOptions {
  readonly chunksPerUpload: number
  readonly concurrencies: readonly number[]
  readonly warmup: number
  readonly reps: number
  readonly submissionsPerRound: number
  readonly submissionRounds: number
  readonly connections: number
}

/** One ingest row: MiB/s of chunk bytes acknowledged. */
export interface IngestRow {
  readonly concurrency: number
  readonly relayMiBs: number
  readonly bareMiBs: number
  /** relay / bare; the target is ≥ 0.8. */
  readonly ratio: number
  readonly relaySamples: readonly number[]
  readonly bareSamples: readonly number[]
}

/** The relay bench's results (bench/results/relay.json). */
export interface RelayBenchResults {
  readonly machine: MachineInfo
  readonly options: RelayBenchOptions
  readonly ingest: readonly IngestRow[]
  readonly submissions: {
    readonly bodyBytes: number
    readonly relayPerSecond: number
    readonly barePerSecond: number
    /** relay / bare; the target is ≥ 0.25. */
    readonly ratio: number
    readonly relaySamples: readonly number[]
    readonly bareSamples: readonly number[]
    /** The relay process's CPU time (user + system, all threads) per submission, median of rounds. */
    readonly relayCpuMsPerSubmission: number
    readonly relayCpuSamples: readonly number[]
    /** The bare server's CPU time per POST, measured alike. */
    readonly bareCpuMsPerRequest: number
    readonly bareCpuSamples: readonly number[]
    /** Median ms of one 4 KiB append + fdatasync on the data dir's disk, beside each round. */
    readonly syncMs: number
    readonly syncSamples: readonly number[]
    /**
     * The most submissions/s any server can acknowledge durably with this many connections, one
     * request each at a time: every connection's request in each synced write (connections ÷
     * sync time), CPU free.
     */
    readonly durableCeilingPerSecond: number
    /** That ceiling ÷ the bare POST rate: the best ratio a durable relay can reach in this run. */
    readonly ceilingRatio: number
  }
  readonly notes: readonly string[]
}

// The ingest baseline: the same uWS build; a PUT /<upload>/<index> body lands in a buffer sized
// from Content-Length, is written with pwrite at index × 1 MiB of the upload's file (kept open)
// and fdatasync'd, then answered with a small JSON. No auth, no hashing, no records.
const BARE_INGEST = `
const uWS = require(${JSON.stringify(join(ROOT, "node_modules", "uWebSockets.js"))});
const fs = require("node:fs");
const path = require("node:path");
uWS._cfg("silent");
const dir = process.env.BARE_DIR;
const fds = new Map();
const app = uWS.App();
app.put("/*", (res, req) => {
  const [, upload, index] = req.getUrl().split("/");
  const length = Number(req.getHeader("content-length"));
  const body = Buffer.allocUnsafe(length);
  let at = 0, aborted = false;
  res.onAborted(() => { aborted = true });
  res.onData((chunk, last) => {
    Buffer.from(chunk).copy(body, at);
    at += chunk.byteLength;
    if (!last) return;
    let fd = fds.get(upload);
    if (fd === undefined) {
      fd = fs.openSync(path.join(dir, upload), "w");
      fds.set(upload, fd);
    }
    fs.write(fd, body, 0, at, Number(index) * ${MiB}, (e) => {
      if (e) throw e;
      fs.fdatasync(fd, (e2) => {
        if (e2) throw e2;
        if (!aborted) res.cork(() => {
          res.writeStatus("200 OK").writeHeader("Content-Type", "application/json");
          res.end(JSON.stringify({ index: Number(index), received: 1 }));
        });
      });
    });
  });
});
app.listen("127.0.0.1", 0, (s) => console.log("bare ingest on " + uWS.us_socket_local_port(s)));
`

/** What a whistleblower sends, sealed once by the seeded relay's process. */
interface SubmissionTemplate {
  /** The submitTip body without `pow`; `wbAuthVerifier` is drawn fresh per submission. */
  readonly body: Record<string, unknown>
  readonly fileMeta: string
}

/**
 * Starts the relay seeded by test/relay/_seededRelay.ts in a child process
 * (RELAY_BENCH_NODE_ARGS adds node flags, e.g. `--cpu-prof` to profile it).
 */
async function startSeededRelay(): Promise<ChildServer & { template: SubmissionTemplate }> {
  const { spawn } = await import("node:child_process")
  const child = spawn(
    process.execPath,
    [
      ...(process.env.RELAY_BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? []),
      "--import",
      "tsx",
      join(ROOT, "test", "relay", "_seededRelay.ts"),
    ],
    { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] },
  )
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()))
  const seeded = await new Promise<{ baseUrl: string } & SubmissionTemplate>((resolve, reject) => {
    let out = ""
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString()
      const line = out.split("\n").find((l) => l.startsWith('{"seeded"'))
      if (line) resolve(JSON.parse(line).seeded)
    })
    child.once("exit", (code) => reject(new Error(`seeded relay exited with ${code}:\n${out}`)))
  })
  return {
    baseUrl: seeded.baseUrl,
    pid: child.pid ?? 0,
    template: { body: seeded.body, fileMeta: seeded.fileMeta },
    rssMiB: async () => Number.NaN,
    stop: async () => {
      child.kill("SIGTERM")
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))])
      if (child.exitCode === null) child.kill("SIGKILL")
    },
  }
}

async function startBareIngest(): Promise<ChildServer & { dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), "sotto-bare-ingest-"))
  const { spawn } = await import("node:child_process")
  const child = spawn(process.execPath, ["-e", BARE_INGEST], {
    env: { ...process.env, BARE_DIR: dir },
    stdio: ["ignore", "pipe", "inherit"],
  })
  const port = await new Promise<number>((resolve, reject) => {
    let out = ""
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString()
      const m = /bare ingest on (\d+)/.exec(out)
      if (m) resolve(Number(m[1]))
    })
    child.once("exit", (code) => reject(new Error(`bare ingest exited with ${code}`)))
  })
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    pid: child.pid ?? 0,
    dir,
    rssMiB: async () => Number.NaN,
    stop: async () => {
      child.kill("SIGKILL")
      await rm(dir, { recursive: true, force: true })
    },
  }
}

function expectStatus(answer: Answer, status: number, what: string): Answer {
  if (answer.status !== status) {
    throw new Error(`${what}: ${answer.status} ${answer.body.toString("utf8").slice(0, 300)}`)
  }
  return answer
}

const json = <T>(answer: Answer) => JSON.parse(answer.body.toString("utf8")) as T

/** A fresh submission body (own receipt verifier) with its proof of work solved. */
async function solvedSubmission(
  conn: BenchConnection,
  template: SubmissionTemplate,
): Promise<string> {
  const challenge = json<{ challenge: string; difficulty: number }>(
    expectStatus(await conn.request("GET", "/api/v1/pow?for=submitTip", {}), 200, "GET /pow"),
  )
  const body = { ...template.body, wbAuthVerifier: toBase64url(randomBytes(32)) }
  const nonce = await solvePow({ ...challenge, binding: powBinding("submitTip", body) })
  return JSON.stringify({ pow: { challenge: challenge.challenge, nonce }, ...body })
}

const SYNC_PROBES = 50

/** CPU ms a process has used (user + system, every thread), from /proc/<pid>/stat. */
async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8")
  // Fields after the parenthesised command name; utime and stime are the 14th and 15th.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
  const ticks = Number(fields[11]) + Number(fields[12])
  return (ticks * 1000) / CLOCK_TICKS
}

/** USER_HZ: 100 on Linux for every architecture Node runs on. */
const CLOCK_TICKS = 100

/** Median ms of `probes` 4 KiB appends + fdatasync on a temp file (the disk the relay syncs on). */
async function syncLatencyMs(probes: number): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), "sotto-sync-probe-"))
  const file = await open(join(dir, "probe"), "w")
  const page = randomBytes(4096)
  const times: number[] = []
  try {
    for (let i = 0; i < probes; i++) {
      const started = performance.now()
      // Appended, as a write-ahead log (LevelDB's) grows: the file's size changes with each sync.
      await file.write(page, 0, page.byteLength, i * page.byteLength)
      await file.datasync()
      times.push(performance.now() - started)
    }
  } finally {
    await file.close()
    await rm(dir, { recursive: true, force: true })
  }
  return median(times)
}

/** Runs `jobs` over `connections`, each taking the next job when its answer arrives. */
async function drive(
  connections: readonly BenchConnection[],
  jobs: number,
  job: (conn: BenchConnection, i: number) => Promise<void>,
): Promise<number> {
  let next = 0
  const started = performance.now()
  await Promise.all(
    connections.map(async (conn) => {
      for (let i = next++; i < jobs; i = next++) await job(conn, i)
    }),
  )
  return (performance.now() - started) / 1000
}

/** Runs the relay bench. */
export async function benchRelay(options: RelayBenchOptions): Promise<RelayBenchResults> {
  const machine = await machineInfo()
  const maxSlots = Math.max(...options.concurrencies)
  const uploadBytes = options.chunksPerUpload * MiB
  const relay = await startSeededRelay()
  const bareIngest = await startBareIngest()
  const bareUws = await startBareUws()
  const opened: BenchConnection[] = []
  const open = async (baseUrl: string) => {
    const conn = await BenchConnection.open(baseUrl)
    opened.push(conn)
    return conn
  }
  try {
    const { template } = relay
    const setupConn = await open(relay.baseUrl)
    // One tip per upload slot, submitted as a whistleblower does.
    const slots: Array<{ tipId: string; session: string }> = []
    for (let k = 0; k < maxSlots; k++) {
      const body = await solvedSubmission(setupConn, template)
      const answer = await setupConn.request(
        "POST",
        "/api/v1/tips",
        { "Content-Type": "application/json" },
        Buffer.from(body),
      )
      slots.push(json(expectStatus(answer, 201, "POST /tips")))
    }
    const chunks = Array.from({ length: options.chunksPerUpload }, () => randomBytes(MiB))
    const hashes = chunks.map((c) => createHash("sha256").update(c).digest("base64url"))
    const relayConns = await Promise.all(slots.map(() => open(relay.baseUrl)))
    const bareConns = await Promise.all(slots.map(() => open(bareIngest.baseUrl)))

    const relayUpload = async (concurrency: number): Promise<number> => {
      const files = await Promise.all(
        slots.slice(0, concurrency).map(async (slot, k) => {
          const conn = relayConns[k] as BenchConnection
          const answer = await conn.request(
            "POST",
            `/api/v1/tips/${slot.tipId}/files`,
            { "Content-Type": "application/json", "X-Session": slot.session },
            Buffer.from(
              JSON.stringify({ meta: template.fileMeta, size: uploadBytes, chunkSize: MiB }),
            ),
          )
          return json<{ fileId: string }>(expectStatus(answer, 201, "POST files")).fileId
        }),
      )
      const seconds = await drive(
        relayConns.slice(0, concurrency),
        concurrency,
        async (conn, k) => {
          const slot = slots[k] as { session: string }
          for (const [i, chunk] of chunks.entries()) {
            const answer = await conn.request(
              "PUT",
              `/api/v1/files/${files[k]}/chunks/${i}`,
              {
                "Content-Type": "application/octet-stream",
                "X-Session": slot.session,
                "X-Chunk-Sha256": hashes[i] as string,
              },
              chunk,
            )
            expectStatus(answer, 200, "PUT chunk")
          }
        },
      )
      return (concurrency * uploadBytes) / MiB / seconds
    }
    const bareUpload = async (concurrency: number): Promise<number> => {
      const ids = slots.slice(0, concurrency).map(() => randomBytes(9).toString("base64url"))
      const seconds = await drive(bareConns.slice(0, concurrency), concurrency, async (conn, k) => {
        for (const [i, chunk] of chunks.entries()) {
          const answer = await conn.request(
            "PUT",
            `/${ids[k]}/${i}`,
            { "Content-Type": "application/octet-stream" },
            chunk,
          )
          expectStatus(answer, 200, "bare PUT")
        }
      })
      return (concurrency * uploadBytes) / MiB / seconds
    }

    const ingest: IngestRow[] = []
    for (const concurrency of process.env.RELAY_BENCH_SKIP_INGEST ? [] : options.concurrencies) {
      const relaySamples: number[] = []
      const bareSamples: number[] = []
      for (let r = 0; r < options.warmup + options.reps; r++) {
        // Alternate who goes first, so drift lands on both.
        const order = r % 2 === 0 ? ["relay", "bare"] : ["bare", "relay"]
        for (const who of order) {
          const mibs =
            who === "relay" ? await relayUpload(concurrency) : await bareUpload(concurrency)
          if (r >= options.warmup)
            (who === "relay" ? relaySamples : bareSamples).push(round(mibs, 1))
        }
        progress(
          `ingest ×${concurrency} round ${r + 1}: relay ${relaySamples.at(-1)} bare ${bareSamples.at(-1)} MiB/s`,
        )
      }
      const relayMiBs = median(relaySamples)
      const bareMiBs = median(bareSamples)
      ingest.push({
        concurrency,
        relayMiBs,
        bareMiBs,
        ratio: round(relayMiBs / bareMiBs, 3),
        relaySamples,
        bareSamples,
      })
    }

    progress("submissions: fetching and solving proofs of work beforehand")
    // RELAY_BENCH_SKIP_SUBMISSIONS (like RELAY_BENCH_SKIP_INGEST): for profiling one half.
    const rounds = process.env.RELAY_BENCH_SKIP_SUBMISSIONS ? 0 : options.submissionRounds
    const total = options.submissionsPerRound * rounds
    const bodies: Buffer[] = []
    for (let i = 0; i < total; i++)
      bodies.push(Buffer.from(await solvedSubmission(setupConn, template)))
    const bodyBytes = bodies[0]?.byteLength ?? 0
    const bareBody = randomBytes(bodyBytes)
    const tipConns = await Promise.all(
      Array.from({ length: options.connections }, () => open(relay.baseUrl)),
    )
    const bareTipConns = await Promise.all(
      Array.from({ length: options.connections }, () => open(bareUws.baseUrl)),
    )
    const headers = { "Content-Type": "application/json" }
    const relaySamples: number[] = []
    const bareSamples: number[] = []
    const syncSamples: number[] = []
    const relayCpuSamples: number[] = []
    const bareCpuSamples: number[] = []
    const n = options.submissionsPerRound
    for (let r = 0; r < rounds; r++) {
      const batch = bodies.slice(r * n, (r + 1) * n)
      const cpuBefore = await cpuMs(relay.pid)
      const relaySeconds = await drive(tipConns, n, async (conn, i) => {
        expectStatus(
          await conn.request("POST", "/api/v1/tips", headers, batch[i] as Buffer),
          201,
          "POST /tips",
        )
      })
      relayCpuSamples.push(round(((await cpuMs(relay.pid)) - cpuBefore) / n, 3))
      const bareCpuBefore = await cpuMs(bareUws.pid)
      const bareSeconds = await drive(bareTipConns, n, async (conn) => {
        expectStatus(await conn.request("POST", "/", headers, bareBody), 201, "bare POST")
      })
      bareCpuSamples.push(round(((await cpuMs(bareUws.pid)) - bareCpuBefore) / n, 3))
      relaySamples.push(round(n / relaySeconds, 1))
      bareSamples.push(round(n / bareSeconds, 1))
      syncSamples.push(round(await syncLatencyMs(SYNC_PROBES), 2))
      progress(
        `submissions round ${r + 1}: relay ${relaySamples.at(-1)}/s bare ${bareSamples.at(-1)}/s`,
      )
    }
    const relayPerSecond = rounds > 0 ? median(relaySamples) : Number.NaN
    const barePerSecond = rounds > 0 ? median(bareSamples) : Number.NaN
    const syncMs = rounds > 0 ? median(syncSamples) : Number.NaN
    const durableCeilingPerSecond = round((options.connections * 1000) / syncMs, 1)
    return {
      machine,
      options,
      ingest,
      submissions: {
        bodyBytes,
        relayPerSecond,
        barePerSecond,
        ratio: round(relayPerSecond / barePerSecond, 3),
        relaySamples,
        bareSamples,
        relayCpuMsPerSubmission: rounds > 0 ? median(relayCpuSamples) : Number.NaN,
        relayCpuSamples,
        bareCpuMsPerRequest: rounds > 0 ? median(bareCpuSamples) : Number.NaN,
        bareCpuSamples,
        syncMs,
        syncSamples,
        durableCeilingPerSecond,
        ceilingRatio: round(durableCeilingPerSecond / barePerSecond, 3),
      },
      notes: [
        "Ingest: MiB/s of 1 MiB chunk bodies acknowledged, each upload PUTting its chunks one after another (the PWA's way); file creation is outside the timing. Median of the timed rounds; relay and bare alternate who goes first.",
        "Bare ingest: the same uWS build writing each body with pwrite at its offset of a file kept open, then fdatasync, then a small JSON answer (no session, no hash, no records).",
        "Submissions: POST /tips with a fresh receipt verifier and a proof of work solved before the timing, one request at a time per connection; bare: the load bench's uWS POST server with a body of the same size, same client.",
        "relayCpuMsPerSubmission (bareCpuMsPerRequest alike for the bare server): the relay process's user + system CPU time (/proc/<pid>/stat, all threads: LevelDB's and the thread pool's included) over a submissions round ÷ its submissions; less sensitive to the machine's load than the rates.",
        "Sync: a 4 KiB append + fdatasync to a file in the temp dir (the relay's data dir's disk), 50 times after each submissions round, median per round; durableCeilingPerSecond = connections ÷ sync time, the most a server acknowledging only durable writes can answer with one request per connection at a time.",
        "Both servers run in child processes beside the client on the same machine; the client is a minimal keep-alive HTTP/1.1 client (bench/src/_http.ts).",
      ],
    }
  } finally {
    for (const conn of opened) conn.close()
    await Promise.all([relay.stop(), bareIngest.stop(), bareUws.stop()])
  }
}

/** The relay bench's table. */
export function relayTable(results: RelayBenchResults): string {
  const rows = [
    ...results.ingest.map((row) => [
      `ingest 1 MiB chunks ×${row.concurrency}`,
      `${formatNumber(row.relayMiBs, 1)} MiB/s`,
      `${formatNumber(row.bareMiBs, 1)} MiB/s`,
      formatNumber(row.ratio, 2),
      "≥ 0.80",
    ]),
    [
      `POST /tips (${results.submissions.bodyBytes} B, ${results.options.connections} conns)`,
      `${formatNumber(results.submissions.relayPerSecond, 0)} /s`,
      `${formatNumber(results.submissions.barePerSecond, 0)} /s`,
      formatNumber(results.submissions.ratio, 3),
      "≥ 0.25",
    ],
    [
      "CPU ms per POST (process, all threads)",
      `${formatNumber(results.submissions.relayCpuMsPerSubmission, 2)} ms`,
      `${formatNumber(results.submissions.bareCpuMsPerRequest, 3)} ms`,
      formatNumber(
        results.submissions.bareCpuMsPerRequest / results.submissions.relayCpuMsPerSubmission,
        3,
      ),
      "-",
    ],
    [
      `durable ceiling (${formatNumber(results.submissions.syncMs, 1)} ms fdatasync)`,
      `${formatNumber(results.submissions.durableCeilingPerSecond, 0)} /s`,
      `${formatNumber(results.submissions.barePerSecond, 0)} /s`,
      formatNumber(results.submissions.ceilingRatio, 3),
      "-",
    ],
  ]
  return `relay vs bare uWS, same run (ratio = relay / bare)\n${renderTable(
    ["measure", "relay", "bare uWS", "ratio", "target"],
    rows,
  )}`
}
