import { scryptSync } from "node:crypto"
import { mkdtemp, readFile, rm, stat } from "node:fs/promises"
import { createServer, type Server } from "node:http"
import { tmpdir } from "node:os"
import { extname, join, normalize } from "node:path"
import { chromium } from "playwright-core"
import { median, progress, round } from "./_measure.js"
import { formatNumber, renderTable } from "./_report.js"

// `npm run bench -- browser` (issue 14): the crypto the Sotto workers run, timed inside Debian's
// Chromium in a dedicated worker (bench/browser/benchWorker.ts) with every path side by side:
// noble (pure JS), the WebAssembly path (libsodium, hash-wasm) and WebCrypto as the browser's
// native baseline; then the real @sotto/workers file pool sealing a file; and node:crypto's
// scrypt as the native scrypt baseline, timed in this process around the browser run.

const ROOT = new URL("../../", import.meta.url).pathname
const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; connect-src 'self'"
const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".wasm": "application/wasm",
}

/** What the page collects: samples in milliseconds per contender, per group. */
interface PageGroup {
  readonly group: string
  readonly bytes?: number
  readonly samples: Record<string, number[]>
}

/** One measured path: median milliseconds and, for byte groups, MB/s. */
export interface PathResult {
  readonly medianMs: number
  readonly mbPerSecond?: number
  readonly samplesMs: readonly number[]
}

/** What bench/results/browser.json holds. */
export interface BrowserResults {
  readonly chromium: string
  readonly params: {
    mib: number
    reps: number
    scryptLogN: number
    scryptReps: number
    powBits: number
  }
  readonly groups: Record<string, Record<string, PathResult>>
  readonly fileWorkerAead: string
  /** The SHA-256 the PoW worker searched with, and the nonces found (one per timed round). */
  readonly pow: {
    readonly difficulty: number
    readonly hashPath: string
    readonly nonces: number[]
  }
  readonly nativeScryptMs: PathResult
  /** Issue 14's ratios, each with its target. */
  readonly ratios: {
    readonly aeadWasmOverNoble: { value: number; target: ">= 2.4" }
    readonly sha256OursOverWebCrypto: { value: number; target: ">= 0.8" }
    readonly scryptWorkerOverNative: { value: number; target: "<= 1.3" }
    /**
     * WebCrypto's one-shot SHA-256 time for the file ÷ what hashing adds to a download inside
     * the pipeline (open+sha256-in-pipeline − open), i.e. the pipeline's effective hash rate
     * over WebCrypto's; `null` when the difference is within noise (≤ 0).
     */
    readonly sha256PipelineOverWebCrypto: { value: number | null; target: ">= 0.8" }
    /** A download hashed in the pipeline ÷ the same download followed by a WebCrypto pass. */
    readonly downloadHashedInPipelineSpeedupOverWebCryptoPass: { value: number; target: "> 1" }
    /** Summed over the same challenges: before issue 14's search ÷ `CryptoWorkers.solvePow`. */
    readonly powSpeedupOverSolvePow: { value: number; target: ">= 3" }
  }
}

async function buildPage(outDir: string): Promise<void> {
  const { build } = await import("vite")
  await build({
    root: join(ROOT, "bench/browser"),
    logLevel: "warn",
    build: { outDir, emptyOutDir: true, target: "es2022", minify: true },
    worker: { format: "es" },
  })
}

function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? "/").split("?")[0] ?? "/"))
    const file = join(dir, path === "/" ? "index.html" : path)
    if (!file.startsWith(dir) || !(await stat(file).catch(() => undefined))?.isFile()) {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "content-security-policy": CSP,
      "cache-control": "no-store",
    })
    res.end(await readFile(file))
  })
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address ? address.port : 0
      resolve({ server, url: `http://127.0.0.1:${port}/` })
    }),
  )
}

function nativeScrypt(logN: number, reps: number): number[] {
  const secret = Buffer.from("correct horse battery staple")
  const salt = Buffer.alloc(16, 7)
  const out: number[] = []
  for (let i = 0; i < reps; i++) {
    const start = performance.now()
    scryptSync(secret, salt, 32, { N: 2 ** logN, r: 8, p: 1, maxmem: 512 * 1024 * 1024 })
    out.push(performance.now() - start)
  }
  return out
}

function summarise(samples: number[], bytes?: number): PathResult {
  const ms = median(samples)
  return {
    medianMs: round(ms, 1),
    ...(bytes ? { mbPerSecond: round(bytes / 1e6 / (ms / 1000), 1) } : {}),
    samplesMs: samples.map((s) => round(s, 1)),
  }
}

/** Runs the browser crypto bench (about a minute on 2 cores). */
export async function benchBrowser(
  params = { mib: 64, reps: 5, scryptLogN: 17, scryptReps: 5, powBits: 18 },
): Promise<BrowserResults> {
  const dir = await mkdtemp(join(tmpdir(), "sotto-bench-browser-"))
  const profile = await mkdtemp(join(tmpdir(), "sotto-bench-profile-"))
  progress("browser: building the bench page")
  await buildPage(dir)
  const { server, url } = await serve(dir)
  const native: number[] = nativeScrypt(params.scryptLogN, Math.ceil(params.scryptReps / 2))
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  })
  try {
    const page = await browser.newPage()
    progress("browser: AEAD, SHA-256, scrypt and the file pool in Chromium workers")
    await page.goto(
      `${url}?mib=${params.mib}&reps=${params.reps}&logN=${params.scryptLogN}&scryptReps=${params.scryptReps}&powBits=${params.powBits}`,
    )
    await page.waitForFunction(
      () => (window as unknown as { sottoBench?: { done: boolean } }).sottoBench?.done === true,
      undefined,
      { timeout: 600_000, polling: 500 },
    )
    const state = (await page.evaluate(
      () => (window as unknown as { sottoBench: unknown }).sottoBench,
    )) as {
      error?: string
      results: PageGroup[]
      fileWorkerAead?: string
      powHashPath?: string
      powNonces?: number[]
    }
    if (state.error) throw new Error(`browser bench failed: ${state.error}`)
    native.push(...nativeScrypt(params.scryptLogN, Math.floor(params.scryptReps / 2) + 1))
    const groups: Record<string, Record<string, PathResult>> = {}
    for (const g of state.results) {
      groups[g.group] = Object.fromEntries(
        Object.entries(g.samples).map(([name, samples]) => [name, summarise(samples, g.bytes)]),
      )
    }
    const ms = (group: string, name: string) => {
      const found = groups[group]?.[name]?.medianMs
      if (found === undefined) throw new Error(`no ${group}/${name} result`)
      return found
    }
    const nativeScryptMs = summarise(native)
    const powSum = (name: string) => {
      const samples = state.results.find((g) => g.group === "pow")?.samples[name]
      if (!samples?.length) throw new Error(`no pow/${name} result`)
      return samples.reduce((a, b) => a + b, 0)
    }
    return {
      chromium: browser.browser()?.version() ?? "unknown",
      params,
      groups,
      fileWorkerAead: state.fileWorkerAead ?? "unknown",
      pow: {
        difficulty: params.powBits,
        hashPath: state.powHashPath ?? "unknown",
        nonces: state.powNonces ?? [],
      },
      nativeScryptMs,
      ratios: {
        aeadWasmOverNoble: {
          value: round(ms("aead-seal", "noble") / ms("aead-seal", "libsodium-wasm"), 2),
          target: ">= 2.4",
        },
        // Upload chunks are hashed one-shot with WebCrypto itself; whole files incrementally with
        // hash-wasm, since WebCrypto can only hash one buffer at once: this ratio is the latter.
        sha256OursOverWebCrypto: {
          value: round(ms("sha256", "webcrypto") / ms("sha256", "hash-wasm"), 2),
          target: ">= 0.8",
        },
        scryptWorkerOverNative: {
          value: round(ms("scrypt", "hash-wasm") / nativeScryptMs.medianMs, 2),
          target: "<= 1.3",
        },
        sha256PipelineOverWebCrypto: {
          value: (() => {
            const added =
              ms("file-pool-open", "open+sha256-in-pipeline") - ms("file-pool-open", "open")
            return added > 0 ? round(ms("sha256", "webcrypto") / added, 2) : null
          })(),
          target: ">= 0.8",
        },
        downloadHashedInPipelineSpeedupOverWebCryptoPass: {
          value: round(
            ms("file-pool-open", "open-then-webcrypto-pass") /
              ms("file-pool-open", "open+sha256-in-pipeline"),
            2,
          ),
          target: "> 1",
        },
        powSpeedupOverSolvePow: {
          value: round(powSum("solvePow-yielding-noble") / powSum("workers.solvePow-midstate"), 2),
          target: ">= 3",
        },
      },
    }
  } finally {
    await browser.close()
    server.close()
    await rm(dir, { recursive: true, force: true })
    await rm(profile, { recursive: true, force: true })
  }
}

/** The browser bench as a table. */
export function browserTable(r: BrowserResults): string {
  const rows: string[][] = []
  for (const [group, paths] of Object.entries(r.groups)) {
    for (const [name, p] of Object.entries(paths)) {
      rows.push([
        group,
        name,
        formatNumber(p.medianMs, 1),
        p.mbPerSecond === undefined ? "-" : formatNumber(p.mbPerSecond, 1),
      ])
    }
  }
  rows.push([
    "scrypt",
    "node:crypto (native, Node)",
    formatNumber(r.nativeScryptMs.medianMs, 1),
    "-",
  ])
  const title = `Chromium ${r.chromium} workers: ${r.params.mib} MiB for AEAD/SHA-256/file pool, scrypt N=2^${r.params.scryptLogN} r=8 p=1; medians of ${r.params.reps} (scrypt ${r.params.scryptReps}); the file worker uses ${r.fileWorkerAead}`
  const ratios = Object.entries(r.ratios)
    .map(
      ([k, v]) =>
        `${k} = ${v.value === null ? "n/a" : formatNumber(v.value, 2)} (target ${v.target})`,
    )
    .join("; ")
  return `${title}\n${renderTable(["group", "path", "median ms", "MB/s"], rows)}\n${ratios}`
}
