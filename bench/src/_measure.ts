import { performance } from "node:perf_hooks"

// Timing helpers shared by every bench: interleaved rounds, medians, progress on stderr.

/** One implementation under test: `run` is timed once per round. */
export interface Contender {
  /** Stable identifier, used as the key of its samples. */
  readonly name: string
  /** One complete operation; the promise must settle only when all work is done. */
  readonly run: () => Promise<void> | void
}

/** How many untimed and timed rounds to run. */
export interface RoundOptions {
  /** Rounds run first and thrown away (JIT warm-up, lazy initialisation). */
  readonly warmup: number
  /** Timed rounds; use an odd number so the median is an actual sample. */
  readonly reps: number
}

/** Wall-clock durations of one contender, in milliseconds, in round order. */
export interface Timing {
  readonly name: string
  readonly samplesMs: readonly number[]
}

/** Calls the garbage collector when Node runs with `--expose-gc`, so one sample's garbage is not billed to the next. */
function collectGarbage(): void {
  const { gc } = globalThis as { gc?: () => void }
  gc?.()
}

/**
 * Times every contender `reps` times after `warmup` untimed rounds. Each round runs every
 * contender once and the starting contender rotates per round, so slow drift (thermal, other
 * load) is shared rather than landing on whoever happens to run last.
 */
export async function timeInterleaved(
  contenders: readonly Contender[],
  options: RoundOptions,
): Promise<Timing[]> {
  const samples = contenders.map((): number[] => [])
  const rounds = options.warmup + options.reps
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const index = (round + k) % contenders.length
      const contender = contenders[index]
      const bucket = samples[index]
      if (contender === undefined || bucket === undefined) continue
      collectGarbage()
      const start = performance.now()
      await contender.run()
      const elapsed = performance.now() - start
      if (round >= options.warmup) bucket.push(elapsed)
    }
  }
  return contenders.map((c, i) => ({ name: c.name, samplesMs: samples[i] ?? [] }))
}

/** The median of `values` (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of no values")
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  const upper = sorted[mid] ?? Number.NaN
  if (sorted.length % 2 === 1) return upper
  return ((sorted[mid - 1] ?? Number.NaN) + upper) / 2
}

/** Finds the timing named `name`; a missing name is a bug in the bench itself. */
export function timingOf(timings: readonly Timing[], name: string): Timing {
  const found = timings.find((t) => t.name === name)
  if (!found) throw new Error(`no timing named ${name}`)
  return found
}

/** Writes a progress line to stderr, keeping stdout for the results table. */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`)
}

/** Rounds to `digits` decimals, for stable JSON without float noise. */
export function round(value: number, digits = 3): number {
  const scale = 10 ** digits
  return Math.round(value * scale) / scale
}
