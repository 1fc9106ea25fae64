import { execFileSync, spawnSync } from "node:child_process"
import { mkdtemp, readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { median, progress } from "./_measure.js"
import { formatNumber, renderTable } from "./_report.js"

// The whistleblower on a slow link (issue 7): Chromium against a real relay serving the PWA
// build, with CDP network emulation at 400 ms latency, 250 kbit/s down, 100 kbit/s up. Times
// the way to a ready submit form on a cold cache and on a second visit (service worker and HTTP
// cache warm), and a submission with a 1 MiB file; then the same once through a paced TCP proxy
// (test/e2e/_throttleProxy.ts: a steady flow, as a real link gives). The browser work lives in
// test/e2e/_slowLink.ts (shared with the e2e sanity test) and runs as a child process.

const ROOT = new URL("../../", import.meta.url).pathname
/** Issue 7's targets for the way to a ready form. */
export const SLOW_LINK_TARGETS = { coldMs: 6000, warmMs: 1000 } as const

interface Visit {
  readonly coldMs: number
  readonly warmMs: number
  readonly submitMs?: number
  readonly fileBytes?: number
  readonly submitError?: string
}

/** What `npm run bench -- slow-link` writes to bench/results/slow-link.json. */
export interface SlowLinkResults {
  readonly build: string
  readonly link: { readonly latencyMs: number; readonly downKbit: number; readonly upKbit: number }
  readonly targets: typeof SLOW_LINK_TARGETS
  /** Each cold visit and its warm second visit, in fresh browser contexts. */
  readonly visits: readonly Visit[]
  readonly coldMedianMs: number
  readonly warmMedianMs: number
  /** The run that also sent a 1 MiB file: Send → receipt shown. */
  readonly submission: Visit
  /** One run through a paced TCP proxy at the same rates (steady flow, no CDP emulation). */
  readonly proxied: Visit
}

/** Runs the slow-link measurement (relay + Chromium) on the PWA build benchBundle just made. */
export async function benchSlowLink(): Promise<SlowLinkResults> {
  const dir = await mkdtemp(join(tmpdir(), "sotto-slow-link-"))
  try {
    const out = join(dir, "slow-link.json")
    progress("slow link: relay + Chromium at 400 ms, 250/100 kbit/s (about two minutes)")
    execFileSync(
      process.execPath,
      [join(ROOT, "node_modules/tsx/dist/cli.mjs"), join(ROOT, "test/e2e/_slowLinkMain.ts"), out],
      // The relay's log goes to stderr with the progress lines; stdout keeps only tables.
      { cwd: ROOT, stdio: ["ignore", 2, "inherit"] },
    )
    const raw = JSON.parse(await readFile(out, "utf8")) as {
      link: SlowLinkResults["link"]
      visits: Visit[]
      submission: Visit
      proxied: Visit
    }
    const git = spawnSync("git", ["rev-parse", "--short=12", "HEAD"], {
      cwd: ROOT,
      encoding: "utf8",
    })
    return {
      build: git.status === 0 ? git.stdout.trim() : "unknown",
      link: raw.link,
      targets: SLOW_LINK_TARGETS,
      visits: raw.visits,
      coldMedianMs: median(raw.visits.map((v) => v.coldMs)),
      warmMedianMs: median(raw.visits.map((v) => v.warmMs)),
      submission: raw.submission,
      proxied: raw.proxied,
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** The slow-link table: seconds per phase against the targets. */
export function slowLinkTable(r: SlowLinkResults): string {
  const s = (ms: number | undefined) => (ms === undefined ? "-" : formatNumber(ms / 1000, 2))
  const title =
    `Slow link (PWA build ${r.build}): ${r.link.latencyMs} ms latency, ${r.link.downKbit} kbit/s ` +
    `down, ${r.link.upKbit} kbit/s up; seconds from navigation to a ready submit form ` +
    `(keys checked, Send enabled), median of ${r.visits.length} fresh contexts`
  const table = renderTable(
    ["phase", "seconds", "target s", "runs (s)"],
    [
      [
        "cold cache",
        s(r.coldMedianMs),
        s(r.targets.coldMs),
        r.visits.map((v) => s(v.coldMs)).join(" "),
      ],
      [
        "warm (2nd visit)",
        s(r.warmMedianMs),
        s(r.targets.warmMs),
        r.visits.map((v) => s(v.warmMs)).join(" "),
      ],
      [
        `submit ${formatNumber((r.submission.fileBytes ?? 0) / 2 ** 20, 0)} MiB file`,
        r.submission.submitError ? "failed" : s(r.submission.submitMs),
        "-",
        r.submission.submitError ? r.submission.submitError.slice(0, 120) : "Send → receipt",
      ],
      ["cold, paced TCP proxy", s(r.proxied.coldMs), s(r.targets.coldMs), "1 run, no CDP"],
      ["warm, paced TCP proxy", s(r.proxied.warmMs), s(r.targets.warmMs), "1 run, no CDP"],
      [
        "submit, paced TCP proxy",
        r.proxied.submitError ? "failed" : s(r.proxied.submitMs),
        "-",
        r.proxied.submitError ? r.proxied.submitError.slice(0, 120) : "Send → receipt",
      ],
    ],
  )
  return `${title}\n${table}`
}
