import { execFileSync } from "node:child_process"

// `npm run bench -- bigfile` (issue 14): the 1 GiB whistleblower-to-disk e2e
// (test/e2e/bigFile.test.ts) run with SOTTO_BIGFILE_RESULTS=1, so its memory figures (renderer
// and whole-browser VmRSS growth on each side, seconds per phase) land in
// bench/results/bigfile.json. The browsers and relay live in the test helpers, hence a child
// process; SOTTO_BIGFILE_MIB shortens a trial run.

const ROOT = new URL("../../", import.meta.url).pathname

/** Runs the e2e; throws when it fails (its assertions are the acceptance bounds). */
export function benchBigFile(): void {
  execFileSync("npx", ["vitest", "run", "test/e2e/bigFile.test.ts"], {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, SOTTO_BIGFILE_RESULTS: "1" },
  })
}
