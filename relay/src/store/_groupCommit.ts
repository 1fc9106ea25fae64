import type { BatchOp, StoreBackend } from "./backend.js"

/** Ops merged into one backend batch at most; a longer queue is written in several. */
const MAX_GROUP_OPS = 4096

/**
 * The longest a group waits for writers still on their way, and that wait as a share of the last
 * write's time: a few ms against a sync that takes tens on a busy disk, never more than 1/4 of it.
 */
const MAX_WINDOW_MS = 5
const WINDOW_SHARE = 0.25

interface Pending {
  readonly ops: readonly BatchOp[]
  readonly sync: boolean
  readonly resolve: () => void
  readonly reject: (error: unknown) => void
}

/**
 * Group commit: one backend batch in flight at a time; every batch that arrives meanwhile joins
 * the next one, so N concurrent writers pay for one synced write instead of N. A lone writer
 * goes straight through (no added wait). When the last synced group was larger than the queue
 * now (and the queue holds a synced batch), the writers it acknowledged are likely on their way
 * back: the next group waits for them a short window (at most {@link MAX_WINDOW_MS}, a quarter of
 * the last synced write), so steady concurrent load settles into full groups instead of
 * alternating one lone write and one of the rest. Each caller's ops stay atomic (the group is a
 * superset written atomically) and in arrival order; a group that fails is retried one batch at a
 * time, so a bad batch fails alone. A group is synced when any of its batches asks for it. Every
 * caller still waits for its own group's write.
 */
export class GroupCommit {
  readonly #queue: Pending[] = []
  #flushing = false
  /** How many batches the last synced group held, and how long its write took. */
  #lastGroup = 0
  #lastWriteMs = 0
  /** Ends the current window early once the queue is as long as the last group. */
  #gathered: (() => void) | undefined

  constructor(private readonly backend: StoreBackend) {}

  /** Writes `ops` atomically; resolves once they are written (and synced, when `sync`). */
  write(ops: readonly BatchOp[], sync: boolean): Promise<void> {
    if (ops.length === 0) return Promise.resolve()
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ ops, sync, resolve, reject })
      if (!this.#flushing) void this.#drain()
      else if (this.#gathered && this.#queue.length >= this.#lastGroup) this.#gathered()
    })
  }

  async #drain(): Promise<void> {
    this.#flushing = true
    try {
      while (this.#queue.length > 0) {
        // Only a synced write is worth waiting for company: an unsynced one costs no fsync.
        const synced = this.#queue.some((p) => p.sync)
        if (synced && this.#queue.length < this.#lastGroup) await this.#gather()
        const group = this.#take()
        const started = performance.now()
        await this.#flush(group)
        if (group.some((p) => p.sync)) {
          this.#lastWriteMs = performance.now() - started
          this.#lastGroup = group.length
        }
      }
    } finally {
      this.#flushing = false
    }
  }

  // Waits for the queue to reach the last group's size, or for the window to pass.
  #gather(): Promise<void> {
    const windowMs = Math.min(MAX_WINDOW_MS, this.#lastWriteMs * WINDOW_SHARE)
    if (windowMs < 0.05) return Promise.resolve()
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer)
        this.#gathered = undefined
        resolve()
      }
      const timer = setTimeout(done, windowMs)
      this.#gathered = done
    })
  }

  #take(): Pending[] {
    let ops = 0
    let n = 0
    for (const pending of this.#queue) {
      if (n > 0 && ops + pending.ops.length > MAX_GROUP_OPS) break
      ops += pending.ops.length
      n++
    }
    return this.#queue.splice(0, n)
  }

  async #flush(group: readonly Pending[]): Promise<void> {
    const only = group.length === 1 ? group[0] : undefined
    if (only) {
      await this.backend.batch(only.ops, { sync: only.sync }).then(only.resolve, only.reject)
      return
    }
    const sync = group.some((p) => p.sync)
    try {
      await this.backend.batch(
        group.flatMap((p) => p.ops),
        { sync },
      )
      for (const p of group) p.resolve()
    } catch {
      for (const p of group) {
        await this.backend.batch(p.ops, { sync: p.sync }).then(p.resolve, p.reject)
      }
    }
  }
}
