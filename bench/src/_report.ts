import { mkdir, readFile, writeFile } from "node:fs/promises"
import { createRequire } from "node:module"
import os from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { median, round, type Timing } from "./_measure.js"
import type { PoolResults } from "./pool.js"

// Result shapes, the JSON file under bench/results/, and the plain-text table on stdout.

/** Samples and median of one implementation, in the unit of the measurement. */
export interface Series {
  readonly name: string
  readonly median: number
  readonly samples: readonly number[]
}

/** A series compared with the subject: `ratio` is subject median / this median. */
export interface Comparison extends Series {
  readonly ratio: number
}

/** One row of results: crypto-core (the subject) against a native baseline and competitors. */
export interface Measurement {
  /** Stable key, e.g. `scrypt/N=2^17` or `file/encrypt`. */
  readonly id: string
  /** The crypto-core call that was timed. */
  readonly subject: string
  readonly unit: "ms" | "MiB/s"
  /** Median of `samples`. */
  readonly median: number
  readonly samples: readonly number[]
  /** The native implementation measured in the same run. */
  readonly baseline: Series
  /** Subject median / baseline median. */
  readonly ratio: number
  /** How to read `ratio` for this unit. */
  readonly ratioMeaning: string
  /** Other implementations; each `ratio` is subject median / competitor median. */
  readonly competitors: readonly Comparison[]
  /** Parameters of this measurement (scrypt cost, stream size…). */
  readonly params: Readonly<Record<string, number | string>>
}

/** The machine and software the numbers come from. */
export interface MachineInfo {
  readonly node: string
  readonly os: string
  readonly cpuModel: string
  readonly cpuCount: number
  readonly totalMemoryBytes: number
  readonly date: string
  readonly packages: Readonly<Record<string, string>>
}

/** Everything written to `bench/results/crypto-core.json`. */
export interface BenchResults {
  readonly machine: MachineInfo
  readonly durationSeconds: number
  readonly measurements: readonly Measurement[]
  /** Pooled (@sotto/workers) file encryption and decryption against single-thread peers. */
  readonly pool?: PoolResults
}

/** Turns raw timings into a {@link Series}, converting each sample with `convert`. */
export function toSeries(timing: Timing, convert: (ms: number) => number): Series {
  const samples = timing.samplesMs.map((ms) => round(convert(ms)))
  return { name: timing.name, median: round(median(samples)), samples }
}

/** Compares `subject` with `other`: ratio = subject median / other median. */
export function compare(subject: Series, other: Series): Comparison {
  return { ...other, ratio: round(subject.median / other.median) }
}

/** Reads the version of a dependency as crypto-core resolves it (walking up from its entry point). */
async function versionOf(specifier: string): Promise<string> {
  const fromBench = createRequire(import.meta.url)
  const fromCore = createRequire(fromBench.resolve("@sotto/crypto-core"))
  let dir = dirname(fromCore.resolve(specifier))
  for (let depth = 0; depth < 5; depth++) {
    try {
      const text = await readFile(join(dir, "package.json"), "utf8")
      const { name, version } = JSON.parse(text) as { name?: unknown; version?: unknown }
      if (typeof version === "string" && typeof name === "string") return version
    } catch {
      // no package.json at this level: keep walking up
    }
    dir = dirname(dir)
  }
  return "unknown"
}

/** Describes the current machine, Node and the versions of the libraries being compared. */
export async function machineInfo(): Promise<MachineInfo> {
  const cpus = os.cpus()
  return {
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    cpuCount: cpus.length,
    totalMemoryBytes: os.totalmem(),
    date: new Date().toISOString(),
    packages: {
      "age-encryption": await versionOf("age-encryption"),
      "@noble/hashes": await versionOf("@noble/hashes/scrypt.js"),
      "@noble/ciphers": await versionOf("@noble/ciphers/chacha.js"),
      openssl: process.versions.openssl ?? "unknown",
    },
  }
}

/** Writes the results as JSON to `bench/results/<name>.json`, creating the directory; returns the path. */
export async function writeResults(name: string, results: object): Promise<string> {
  const dir = join(dirname(fileURLToPath(import.meta.url)), "..", "results")
  await mkdir(dir, { recursive: true })
  const path = join(dir, `${name}.json`)
  await writeFile(path, `${JSON.stringify(results, null, 2)}\n`)
  return path
}

/** Formats a number for the table with a fixed number of decimals. */
export function formatNumber(value: number, digits = 1): string {
  return value.toFixed(digits)
}

/**
 * Renders rows as an aligned plain-text table: the first column left-aligned, the rest
 * right-aligned (they are numbers).
 */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)))
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => {
        const width = widths[i] ?? cell.length
        return i === 0 ? cell.padEnd(width) : cell.padStart(width)
      })
      .join("  ")
      .trimEnd()
  const rule = widths.map((w) => "-".repeat(w)).join("  ")
  return [line(headers), rule, ...rows.map(line)].join("\n")
}

/** One-line summary of the machine for the top of the printed report. */
export function describeMachine(machine: MachineInfo): string {
  return [
    `Node ${machine.node} on ${machine.os}`,
    `CPU: ${machine.cpuModel} x ${machine.cpuCount}`,
    `Date: ${machine.date}`,
    `Libraries: ${Object.entries(machine.packages)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
  ].join("\n")
}
