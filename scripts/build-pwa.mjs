#!/usr/bin/env node
// Builds the PWA into pwa/dist when it is missing or older than any source it is built from
// (pwa, workers, crypto-core, protocol). `npm start` and `npm test` both run it, so
// a fresh clone serves the real app and an unchanged tree does not rebuild. `--force` rebuilds.
// `SOTTO_PWA_DIST=/some/dir` builds there instead (several people building one tree at once).
import { execFileSync, spawnSync } from "node:child_process"
import { existsSync, readdirSync, statSync } from "node:fs"
import { join, relative } from "node:path"

const root = new URL("..", import.meta.url).pathname
const outDir = process.env.SOTTO_PWA_DIST ?? join(root, "pwa/dist")
const built = join(outDir, "index.html")
const sources = [
  "pwa/src",
  "pwa/index.html",
  "pwa/vite.config.ts",
  "pwa/pwaPlugin.ts",
  "pwa/pwaIcons.ts",
  "pwa/protocolTable.ts",
  "pwa/package.json",
  "workers/src",
  "workers/package.json",
  "crypto-core/src",
  "crypto-core/package.json",
  "protocol/src",
  "package-lock.json",
]

function newest(path) {
  const full = join(root, path)
  if (!existsSync(full)) return 0
  const stat = statSync(full)
  if (!stat.isDirectory()) return stat.mtimeMs
  return Math.max(0, ...readdirSync(full).map((name) => newest(join(path, name))))
}

const force = process.argv.includes("--force")
if (!force && existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources.map(newest))) {
  process.exit(0)
}

// The footer shows this id so a user can compare it with the published one.
const git = spawnSync("git", ["rev-parse", "--short=12", "HEAD"], { cwd: root, encoding: "utf8" })
const build = process.env.VITE_BUILD ?? (git.status === 0 ? git.stdout.trim() : "local")
console.log(`Building the PWA (build ${build})…`)
// Quiet: vite's ~60 lines of chunk sizes become one line; warnings and errors still show.
const started = Date.now()
const vite = join(root, "node_modules/vite/bin/vite.js")
execFileSync(
  process.execPath,
  [vite, "build", "--logLevel", "warn", "--outDir", outDir, "--emptyOutDir"],
  {
    cwd: join(root, "pwa"),
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, VITE_BUILD: build },
  },
)
const seconds = ((Date.now() - started) / 1000).toFixed(1)
console.log(`Built the PWA in ${seconds} s into ${relative(root, outDir) || "."}`)
