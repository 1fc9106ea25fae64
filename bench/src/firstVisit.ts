import { execFileSync } from "node:child_process"
import { mkdtemp, readFile, rm, stat } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { median, progress } from "./_measure.js"

// A whistleblower's cold first visit on the wire (issue 14): Chromium against a real relay
// serving the PWA build, from the landing page to a ready report form, every response the page's
// Network domain (CDP) received with its `encodedDataLength` (headers included). The browser work
// lives in test/e2e/_firstVisit.ts (shared with the e2e budget test) and runs as a child process
// because the node setup lives in the test helpers.

const ROOT = new URL("../../", import.meta.url).pathname

/** Issue 14's budget for the way to a ready report form, on the wire with headers. */
export const FIRST_VISIT_BUDGET = { kb: 60, requests: 12 } as const

interface Visit {
  readonly requests: number
  readonly bytes: number
  readonly responses: readonly { path: string; status: number; type: string; bytes: number }[]
  readonly outsidePage: readonly string[]
  readonly after: readonly string[]
}

/** What `npm run bench -- bundle` adds to bench/results/pwa-bundle.json. */
export interface FirstVisitResults {
  /** The browser's language (navigator.languages, Accept-Language). */
  readonly locale: string
  readonly budget: typeof FIRST_VISIT_BUDGET
  /** Medians over the cold visits (fresh browser contexts), KB = 1000 bytes. */
  readonly medianKB: number
  readonly medianRequests: number
  /** Each visit: every response before the form was ready, and what was deferred after it. */
  readonly visits: readonly Visit[]
  /**
   * Worker scripts fetched before the form was ready, whose bytes the page's Network domain does
   * not report (they finish loading in the worker's target), with their brotli size in the build:
   * not in the figures above, listed so the budget is read honestly.
   */
  readonly workerScriptsBeforeReady: readonly { path: string; brotliKB: number }[]
}

/**
 * Runs `runs` cold first visits (relay + Chromium) against the build in `dist`, from a browser
 * whose languages are `locale` (`ar`: the Arabic catalogue is one more lazy chunk).
 */
export async function benchFirstVisit(
  dist: string,
  runs = 3,
  locale = "en-US",
): Promise<FirstVisitResults> {
  const dir = await mkdtemp(join(tmpdir(), "sotto-first-visit-"))
  try {
    const out = join(dir, "first-visit.json")
    progress(`first visit (${locale}): relay + Chromium, ${runs} cold visits to a ready form`)
    execFileSync(
      process.execPath,
      [join(ROOT, "node_modules/tsx/dist/cli.mjs"), join(ROOT, "test/e2e/_firstVisitMain.ts"), out],
      {
        cwd: ROOT,
        stdio: ["ignore", 2, "inherit"],
        env: {
          ...process.env,
          SOTTO_PWA_DIST: dist,
          FIRST_VISIT_RUNS: String(runs),
          FIRST_VISIT_LOCALE: locale,
        },
      },
    )
    const visits = JSON.parse(await readFile(out, "utf8")) as Visit[]
    const outside = [...new Set(visits.flatMap((v) => v.outsidePage))]
    const workerScriptsBeforeReady = await Promise.all(
      outside.map(async (path) => {
        const size = await stat(join(dist, `${path}.br`)).then(
          (s) => s.size,
          () => Number.NaN,
        )
        return { path, brotliKB: Math.round(size / 10) / 100 }
      }),
    )
    return {
      locale,
      budget: FIRST_VISIT_BUDGET,
      medianKB: Math.round(median(visits.map((v) => v.bytes)) / 10) / 100,
      medianRequests: median(visits.map((v) => v.requests)),
      visits,
      workerScriptsBeforeReady,
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
