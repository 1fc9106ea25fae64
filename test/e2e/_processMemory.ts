import { readdirSync, readFileSync } from "node:fs"
import type { Browser } from "playwright-core"
import { launchBrowser } from "./_browser.js"

// What a browser costs in memory, read from /proc (Linux): the resident set (VmRSS) of every
// process of one Chromium, split into its renderers (the tab's page, its dedicated workers and,
// same-origin, its service worker: what the page's own code allocates) and the whole browser
// (renderers plus the browser, network and utility processes, where Blob data and downloads
// live). Sampled while something runs, so the peak growth over a baseline is what the user paid.

/** A Chromium this test launched, with the process id of its browser process. */
export interface MeasuredBrowser {
  readonly browser: Browser
  readonly pid: number
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
    // The command name may hold spaces or parentheses: fields count from after its last ")".
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1])
  } catch {
    return undefined
  }
}

function allPids(): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
}

function childrenOf(pid: number): number[] {
  return allPids().filter((p) => parentOf(p) === pid)
}

/** Launches Chromium (the usual flags) and finds its browser process among this process's children. */
export async function launchMeasuredBrowser(): Promise<MeasuredBrowser> {
  const before = new Set(childrenOf(process.pid))
  const browser = await launchBrowser()
  const added = childrenOf(process.pid).filter((p) => !before.has(p))
  const pid = added.find((p) => readFileSync(`/proc/${p}/cmdline`, "utf8").includes("chromium"))
  if (pid === undefined) throw new Error("the new Chromium's process was not found")
  return { browser, pid }
}

/** The processes under `root`, root included. */
function treeOf(root: number): number[] {
  const parents = new Map<number, number[]>()
  for (const pid of allPids()) {
    const parent = parentOf(pid)
    if (parent === undefined) continue
    const list = parents.get(parent) ?? []
    list.push(pid)
    parents.set(parent, list)
  }
  const out: number[] = []
  const queue = [root]
  while (queue.length > 0) {
    const pid = queue.shift() as number
    out.push(pid)
    queue.push(...(parents.get(pid) ?? []))
  }
  return out
}

function rssBytes(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))
    return match ? Number(match[1]) * 1024 : 0
  } catch {
    return 0
  }
}

function isRenderer(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("--type=renderer")
  } catch {
    return false
  }
}

/** One reading: resident bytes of the renderers and of the whole browser. */
export interface MemoryReading {
  readonly renderers: number
  readonly total: number
}

/** Reads the resident memory of `root`'s process tree now. */
export function readMemory(root: number): MemoryReading {
  let renderers = 0
  let total = 0
  for (const pid of treeOf(root)) {
    const rss = rssBytes(pid)
    total += rss
    if (isRenderer(pid)) renderers += rss
  }
  return { renderers, total }
}

/** The peak growth over a baseline reading, in bytes. */
export interface MemoryGrowth {
  readonly baseline: MemoryReading
  readonly peak: MemoryReading
  readonly growth: MemoryReading
  readonly samples: number
}

/** A running sampler; see {@link sampleMemory}. */
export interface MemorySampler {
  /** Starts a phase now: its baseline is this reading. */
  mark(): void
  /** Ends sampling. @returns the growth since the start and since the last `mark` (or the start). */
  stop(): { readonly whole: MemoryGrowth; readonly phase: MemoryGrowth }
}

class Peak {
  renderers: number
  total: number
  samples = 1
  constructor(readonly baseline: MemoryReading) {
    this.renderers = baseline.renderers
    this.total = baseline.total
  }
  add(now: MemoryReading): void {
    this.renderers = Math.max(this.renderers, now.renderers)
    this.total = Math.max(this.total, now.total)
    this.samples++
  }
  growth(): MemoryGrowth {
    const peak = { renderers: this.renderers, total: this.total }
    return {
      baseline: this.baseline,
      peak,
      growth: {
        renderers: peak.renderers - this.baseline.renderers,
        total: peak.total - this.baseline.total,
      },
      samples: this.samples,
    }
  }
}

/** Samples `root`'s memory every `everyMs` from now (the baseline is the first reading). */
export function sampleMemory(root: number, everyMs = 250): MemorySampler {
  const whole = new Peak(readMemory(root))
  let phase = whole
  const timer = setInterval(() => {
    const now = readMemory(root)
    whole.add(now)
    if (phase !== whole) phase.add(now)
  }, everyMs)
  return {
    mark() {
      phase = new Peak(readMemory(root))
    },
    stop() {
      clearInterval(timer)
      return { whole: whole.growth(), phase: phase.growth() }
    },
  }
}
