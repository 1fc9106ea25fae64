import { execFileSync, spawnSync } from "node:child_process"
import { readFile } from "node:fs/promises"
import { join } from "node:path"
import { brotliCompressSync, gzipSync } from "node:zlib"
import { benchFirstVisit, type FirstVisitResults } from "./firstVisit.js"

// Weighs what a whistleblower downloads before the submit form is usable: index.html, the entry
// chunk, and the lazy chunks of the landing and report routes with everything they import
// statically, CSS included. Worker chunks are weighed apart: they load only once work starts.

const ROOT = new URL("../../", import.meta.url).pathname
/** The build to weigh: `SOTTO_PWA_DIST` when set (build-pwa.mjs builds there too), else pwa/dist. */
const DIST = process.env.SOTTO_PWA_DIST ?? join(ROOT, "pwa/dist")
/**
 * The lazy routes on the way to the submit form, as Vite's manifest names their modules (the
 * landing page is in the entry chunk).
 */
const WB_ROUTES = ["src/routes/wb/Report.tsx"]
/** Issue 7's budget for that path, gzipped. */
export const WB_BUDGET_KB = 60

interface ManifestChunk {
  readonly file: string
  readonly imports?: readonly string[]
  readonly dynamicImports?: readonly string[]
  readonly css?: readonly string[]
  readonly isEntry?: boolean
}

/** One file's sizes in bytes. */
export interface WeighedFile {
  readonly file: string
  readonly bytes: number
  readonly gzip: number
  readonly brotli: number
}

/** The whistleblower path's weight and the worker chunks', in bytes and KB (1 KB = 1000 bytes). */
export interface BundleResults {
  /** The commit the PWA was built from. */
  readonly build: string
  readonly wbEntry: {
    readonly files: readonly WeighedFile[]
    readonly totalGzipKB: number
    readonly totalBrotliKB: number
    readonly budgetGzipKB: number
  }
  readonly workers: readonly WeighedFile[]
  /**
   * The installable PWA's extras, loaded after the form is usable: the service worker script,
   * the manifest and the lazily imported registration chunk (workbox-window).
   */
  readonly pwa: readonly WeighedFile[]
  /** The cold first visit on the wire, headers included (issue 14): see firstVisit.ts. */
  readonly firstVisit: FirstVisitResults
  /** The same from a browser asking for Arabic (issue 13: every language within budget). */
  readonly firstVisitArabic: FirstVisitResults
}

async function weigh(file: string): Promise<WeighedFile> {
  const body = await readFile(join(DIST, file))
  return {
    file,
    bytes: body.byteLength,
    gzip: gzipSync(body, { level: 9 }).byteLength,
    brotli: brotliCompressSync(body).byteLength,
  }
}

/** Builds the PWA (when stale) and weighs the whistleblower's path to the submit form. */
export async function benchBundle(): Promise<BundleResults> {
  execFileSync(process.execPath, [join(ROOT, "scripts/build-pwa.mjs")], { stdio: "inherit" })
  const manifest = JSON.parse(await readFile(join(DIST, ".vite/manifest.json"), "utf8")) as Record<
    string,
    ManifestChunk
  >
  const files = new Set<string>(["index.html"])
  const visit = (key: string) => {
    const chunk = manifest[key]
    if (!chunk || files.has(chunk.file)) return
    files.add(chunk.file)
    for (const css of chunk.css ?? []) files.add(css)
    for (const imported of chunk.imports ?? []) visit(imported)
  }
  visit("index.html")
  for (const route of WB_ROUTES) {
    if (!manifest[route]) throw new Error(`${route} is not in the PWA build's manifest`)
    visit(route)
  }
  const weighed = await Promise.all([...files].map(weigh))
  const workerFiles = Object.values(manifest)
    .map((c) => c.file)
    .filter((f) => /Worker-[\w-]+\.js$/.test(f) && !/serviceWorker-/.test(f))
  const kb = (n: number) => Math.round(n / 10) / 100
  const git = spawnSync("git", ["rev-parse", "--short=12", "HEAD"], { cwd: ROOT, encoding: "utf8" })
  return {
    build: git.status === 0 ? git.stdout.trim() : "unknown",
    wbEntry: {
      files: weighed,
      totalGzipKB: kb(weighed.reduce((s, f) => s + f.gzip, 0)),
      totalBrotliKB: kb(weighed.reduce((s, f) => s + f.brotli, 0)),
      budgetGzipKB: WB_BUDGET_KB,
    },
    workers: await Promise.all([...new Set(workerFiles)].map(weigh)),
    pwa: await Promise.all(
      [
        "sw.js",
        "manifest.webmanifest",
        ...Object.values(manifest)
          .map((c) => c.file)
          .filter((f) => /serviceWorker-[\w-]+\.js$/.test(f)),
      ].map(weigh),
    ),
    firstVisit: await benchFirstVisit(DIST),
    firstVisitArabic: await benchFirstVisit(DIST, 3, "ar"),
  }
}
