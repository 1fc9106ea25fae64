import { type ChildProcess, spawn } from "node:child_process"
import { mkdtemp, readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"

// A real relay in its own process (`node --import tsx relay/src/main.ts`, as `npm start` runs
// it), so its resident memory can be read from /proc while a test attacks it over loopback.

const ROOT = new URL("../../", import.meta.url).pathname

/** The built PWA, as `node scripts/build-pwa.mjs` leaves it. */
export const BUILT_PWA = join(ROOT, "pwa", "dist")

/** A relay child process on a loopback port. */
export interface ChildRelay {
  readonly baseUrl: string
  readonly port: number
  readonly pid: number
  /** Everything the process wrote to stdout and stderr so far. */
  readonly output: () => string
  /** Resident set size of the relay process, in MiB. */
  rssMiB(): Promise<number>
  /** Stops the process and deletes its data dir. */
  destroy(): Promise<void>
}

/** Starts a relay child on a free loopback port with a temp DATA_DIR; `env` adds settings. */
export async function startChildRelay(env: Record<string, string> = {}): Promise<ChildRelay> {
  const dataDir = await mkdtemp(join(tmpdir(), "sotto-child-"))
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", join(ROOT, "relay", "src", "main.ts")],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: "0",
        HOST: "127.0.0.1",
        DATA_DIR: dataDir,
        LOG_LEVEL: "warn",
        STATIC_DIR: join(dataDir, "no-static"),
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  )
  let output = ""
  child.stdout?.on("data", (d: Buffer) => {
    output += d.toString()
  })
  child.stderr?.on("data", (d: Buffer) => {
    output += d.toString()
  })
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()))
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`relay did not start:\n${output}`)), 60_000)
    const look = () => {
      const m = /Sotto relay on http:\/\/(?:\[[^\]]+\]|[^:/\s]+):(\d+)/.exec(output)
      if (m) {
        clearTimeout(timer)
        resolve(Number(m[1]))
      }
    }
    child.stdout?.on("data", look)
    child.once("exit", (code) => {
      clearTimeout(timer)
      reject(new Error(`relay exited with ${code}:\n${output}`))
    })
  })
  const pid = child.pid ?? 0
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    pid,
    output: () => output,
    rssMiB: async () => {
      const status = await readFile(`/proc/${pid}/status`, "utf8")
      const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN)
      return kb / 1024
    },
    destroy: async () => {
      child.kill("SIGTERM")
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))])
      if (child.exitCode === null) child.kill("SIGKILL")
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}
