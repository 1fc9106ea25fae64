import type { BatchOp, StoreBackend } from "./backend.js"

/** Ops merged into one backend batch at most; a longer queue is written in several. */
const MAX_GROUP_OPS = 4096

interface Pending {
  readonly ops: readonly BatchOp[]
  readonly sync: boolean
  readonly resolve: () => void
  readonly reject: (error: unknown) => void
}

/**
 * Group commit: one backend batch in flight at a time; every batch that arrives meanwhile joins
 * the next one, so N concurrent writers pay for one synced write instead of N. A lone writer
 * goes straight through (no added wait). Each caller's ops stay atomic (the group is a superset
 * written atomically) and in arrival order; a group that fails is retried one batch at a time,
 * so a bad batch fails alone. A group is synced when any of its batches asks for it.
 */
export class GroupCommit {
  readonly #queue: Pending[] = []
  #flushing = false

  constructor(private readonly backend: StoreBackend) {}

  /** Writes `ops` atomically; resolves once they are written (and synced, when `sync`). */
  write(ops: readonly BatchOp[], sync: boolean): Promise<void> {
    if (ops.length === 0) return Promise.resolve()
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ ops, sync, resolve, reject })
      if (!this.#flushing) void this.#drain()
    })
  }

  async #drain(): Promise<void> {
    this.#flushing = true
    try {
      while (this.#queue.length > 0) await this.#flush(this.#take())
    } finally {
      this.#flushing = false
    }
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
