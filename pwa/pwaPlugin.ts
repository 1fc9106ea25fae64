import { execFileSync } from "node:child_process"
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { brotliCompressSync, gzipSync } from "node:zlib"
import { build, type Plugin } from "vite"
import { injectManifest } from "workbox-build"
import { drawIcon, ICONS, THEME_COLOR, webManifest } from "./pwaIcons.js"

// Build steps of the installable PWA: the slim protocol table, icons and manifest, the service
// worker (workbox injectManifest over the finished build) and the precompressed siblings.

const PROTOCOL = "@sotto/protocol"
const PROTOCOL_ID = "\0sotto-protocol-table"

/**
 * Resolves `@sotto/protocol` to the table pwa/protocolTable.ts generates from the real
 * specs (run under tsx once per build), so the browser never builds TypeBox schemas.
 */
export function protocolTable(root: string): Plugin {
  let source: string | undefined
  return {
    name: "sotto-protocol-table",
    enforce: "pre",
    resolveId(id) {
      return id === PROTOCOL ? PROTOCOL_ID : null
    },
    load(id) {
      if (id !== PROTOCOL_ID) return null
      source ??= execFileSync(
        process.execPath,
        [join(root, "../node_modules/tsx/dist/cli.mjs"), join(root, "protocolTable.ts")],
        { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
      )
      return source
    },
  }
}

/** Every file under `dir`, as paths relative to it. */
function walk(dir: string, prefix = ""): string[] {
  return readdirSync(join(dir, prefix)).flatMap((name) => {
    const rel = prefix ? `${prefix}/${name}` : name
    return statSync(join(dir, rel)).isDirectory() ? walk(dir, rel) : [rel]
  })
}

// The relay serves `name.br` / `name.gz` siblings when the browser accepts them, so every text
// asset is compressed once at build time instead of on each request.
function precompress(outDir: string): void {
  for (const rel of walk(outDir)) {
    if (!/\.(js|css|html|json|svg|webmanifest|txt)$/.test(rel)) continue
    const body = readFileSync(join(outDir, rel))
    writeFileSync(join(outDir, `${rel}.gz`), gzipSync(body, { level: 9 }))
    writeFileSync(join(outDir, `${rel}.br`), brotliCompressSync(body))
  }
}

interface ManifestChunk {
  readonly file: string
  readonly imports?: readonly string[]
  readonly dynamicImports?: readonly string[]
}

/** Modules only staff load: they are cached on first use, never precached for everyone. */
const STAFF_ONLY =
  /routes\/(staff|setup|admin)\/|ui\/(staff|admin)\/|zxcvbn|openpgp|@simplewebauthn/

/**
 * Files of the build that only staff need (by Vite's chunk manifest): what the staff routes and
 * heavy staff libraries pull in, less what the entry and the whistleblower's routes use.
 */
export function staffOnlyFiles(manifest: Record<string, ManifestChunk>): Set<string> {
  const closure = (roots: string[], follow: (key: string) => boolean): Set<string> => {
    const seen = new Set<string>()
    const visit = (key: string) => {
      const chunk = manifest[key]
      if (!chunk || seen.has(key) || !follow(key)) return
      seen.add(key)
      for (const next of [...(chunk.imports ?? []), ...(chunk.dynamicImports ?? [])]) visit(next)
    }
    for (const root of roots) visit(root)
    return seen
  }
  const keys = Object.keys(manifest)
  const wbRoots = ["index.html", ...keys.filter((k) => /routes\/wb\//.test(k))]
  // From the entry, only static imports: its dynamic ones are every lazy route.
  const shared = closure(wbRoots, (k) => !STAFF_ONLY.test(k))
  const entry = manifest["index.html"]
  for (const k of entry?.imports ?? []) shared.add(k)
  const staff = closure(
    keys.filter((k) => STAFF_ONLY.test(k)),
    () => true,
  )
  const files = new Set<string>()
  for (const key of staff) {
    const file = manifest[key]?.file
    if (file && !shared.has(key)) files.add(file)
  }
  return files
}

/** Runs pwa/integrityManifest.ts under tsx (it imports workspace TypeScript). */
function integrityStep(root: string, ...args: string[]): string {
  return execFileSync(
    process.execPath,
    [join(root, "../node_modules/tsx/dist/cli.mjs"), join(root, "integrityManifest.ts"), ...args],
    { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
  )
}

/**
 * The installable PWA: emits the icons and `manifest.webmanifest`, links them from index.html,
 * then after the bundle is written builds `sw.js` from src/sw/sw.ts and injects workbox's precache
 * manifest (the app shell with revisions; staff-only chunks left out), and last precompresses
 * every text file (sw.js included); writes the integrity manifest over the result.
 */
export function installablePwa(root: string): Plugin {
  let outDir = join(root, "dist")
  return {
    name: "sotto-pwa",
    apply: "build",
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir)
    },
    transformIndexHtml() {
      // The manifest and icons are linked by the app once the page is usable (lib/appReady.ts):
      // on a first visit over Tor every request before that is waiting time. The empty icon keeps
      // browsers from asking for /favicon.ico meanwhile.
      return [
        { tag: "meta", attrs: { name: "theme-color", content: THEME_COLOR }, injectTo: "head" },
        { tag: "link", attrs: { rel: "icon", href: "data:," }, injectTo: "head" },
      ]
    },
    generateBundle() {
      for (const icon of ICONS)
        this.emitFile({
          type: "asset",
          fileName: icon.fileName,
          source: drawIcon(icon.size, icon.purpose),
        })
      this.emitFile({ type: "asset", fileName: "manifest.webmanifest", source: webManifest() })
    },
    async closeBundle() {
      const tmp = mkdtempSync(join(tmpdir(), "sotto-sw-"))
      try {
        await build({
          configFile: false,
          root,
          logLevel: "warn",
          mode: "production",
          // Workbox's modules log in development builds only.
          define: {
            "process.env.NODE_ENV": JSON.stringify("production"),
            // The release keys sw.js pins (integrityManifest.ts: the project's, or plus a dev key).
            __SOTTO_TRUSTED_KEYS__: integrityStep(root, "keys"),
          },
          build: {
            outDir: tmp,
            emptyOutDir: true,
            copyPublicDir: false,
            target: "es2022",
            minify: true,
            lib: {
              entry: join(root, "src/sw/sw.ts"),
              formats: ["iife"],
              name: "sottoServiceWorker",
              fileName: () => "sw.js",
            },
          },
        })
        const manifest = JSON.parse(
          readFileSync(join(outDir, ".vite/manifest.json"), "utf8"),
        ) as Record<string, ManifestChunk>
        const staffOnly = staffOnlyFiles(manifest)
        // Workers' own lazy chunks are not in Vite's manifest: openpgp (staff exports) is found
        // by its text, as test/e2e/wbFirstLoad.test.ts does. libsodium (the file workers' faster
        // AEAD, ~120 KB) is cached on first use too: a visitor on Tor never downloads it unless
        // they attach a file, and until it is there the workers seal with noble (same bytes).
        for (const rel of walk(outDir, "assets")) {
          if (!rel.endsWith(".js") || /Worker-/.test(rel)) continue
          if (/^assets\/libsodium/.test(rel)) staffOnly.add(rel)
          else if (/openpgp/i.test(readFileSync(join(outDir, rel), "utf8"))) staffOnly.add(rel)
        }
        const { warnings } = await injectManifest({
          swSrc: join(tmp, "sw.js"),
          swDest: join(outDir, "sw.js"),
          globDirectory: outDir,
          globPatterns: ["**/*.{html,js,css,png,webmanifest}"],
          globIgnores: ["sw.js", ".vite/**", "**/*.gz", "**/*.br"],
          // Hashed names need no cache-busting query.
          dontCacheBustURLsMatching: /^assets\//,
          maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
          manifestTransforms: [
            async (entries) => ({
              manifest: entries.filter((e) => !staffOnly.has(e.url)),
              warnings: [],
            }),
          ],
        })
        for (const warning of warnings) this.warn(warning)
      } finally {
        rmSync(tmp, { recursive: true, force: true })
      }
      precompress(outDir)
      // Last: the manifest lists the finished files (sw.js included).
      integrityStep(root, "write", outDir)
    },
  }
}
