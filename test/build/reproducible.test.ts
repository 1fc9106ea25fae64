import { execFile } from "node:child_process"
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"
import { afterAll, describe, expect, it } from "vitest"

// Reproducible build (issue 15): two fresh clones of the same commit build byte-identical
// pwa/dist, so anyone can rebuild a release and compare it with the signed manifest.
// Honest shortcut: instead of `npm ci` twice (minutes, and the network), each clone gets a
// hard-linked copy of this tree's installed node_modules (same lockfile, so the same packages);
// the workspace links inside it are relative, so each clone builds from its own sources.

const ROOT = new URL("../../", import.meta.url).pathname
const run = promisify(execFile)
const dirs: string[] = []

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })))
})

/** Every file under `dir`, relative, sorted. */
async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort()
}

/** Clones the current commit into a fresh temp dir with node_modules, and builds the PWA. */
async function cloneAndBuild(commit: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "sotto-clone-"))
  dirs.push(dir)
  await run("git", ["clone", "--quiet", "--no-checkout", ROOT, dir])
  await run("git", ["checkout", "--quiet", commit], { cwd: dir })
  for (const pkg of ["", "crypto-core/", "test/", "verify/", "relay/", "pwa/", "workers/"]) {
    const from = join(ROOT, pkg, "node_modules")
    const names: string[] = await readdir(join(ROOT, pkg)).catch(() => [])
    if (names.includes("node_modules"))
      await run("cp", ["-al", from, join(dir, pkg, "node_modules")])
  }
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production" }
  delete env.VITE_BUILD
  delete env.SOTTO_DEV_RELEASE_KEY
  delete env.SOTTO_PWA_DIST
  await run(process.execPath, ["scripts/build-pwa.mjs", "--force"], { cwd: dir, env })
  return join(dir, "pwa/dist")
}

describe("the PWA build", () => {
  it("is byte-identical in two fresh clones of the same commit", async () => {
    const commit = (await run("git", ["rev-parse", "HEAD"], { cwd: ROOT })).stdout.trim()
    const [a, b] = await Promise.all([cloneAndBuild(commit), cloneAndBuild(commit)])
    const list = await files(a)
    expect(list).toContain("manifest.integrity.json")
    expect(list).toContain("sw.js")
    expect(await files(b)).toEqual(list)
    const differ: string[] = []
    for (const rel of list) {
      const [x, y] = await Promise.all([readFile(join(a, rel)), readFile(join(b, rel))])
      if (!x.equals(y)) differ.push(rel)
    }
    expect(differ).toEqual([])
    // The manifest names the commit: a rebuild can be matched to its source.
    expect(await readFile(join(a, "manifest.integrity.json"), "utf8")).toContain(commit)
    // Two clones and two production builds on a shared machine.
  }, 400_000)
})
