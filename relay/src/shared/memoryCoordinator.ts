import { randomBytes } from "node:crypto"
import type { Coordinator } from "./coordinator.js"

/**
 * The in-process {@link Coordinator}: promise queues for locks, maps for spent tickets and counters,
 * random keys per start. Right for one process on LevelDB; nothing outlives a restart.
 */
export class MemoryCoordinator implements Coordinator {
  readonly shared = false
  readonly #queues = new Map<string, Promise<unknown>>()
  readonly #spent = new Map<string, number>()
  readonly #hits = new Map<string, number[]>()
  readonly #keys = new Map<string, Uint8Array>()

  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(key) ?? Promise.resolve()
    const run = previous.then(fn, fn)
    const settled = run.then(
      () => {},
      () => {},
    )
    this.#queues.set(key, settled)
    try {
      return await run
    } finally {
      if (this.#queues.get(key) === settled) this.#queues.delete(key)
    }
  }

  async tryLock<T>(
    key: string,
    fn: () => Promise<T>,
  ): Promise<{ ran: true; value: T } | { ran: false }> {
    if (this.#queues.has(key)) return { ran: false }
    return { ran: true, value: await this.withLock(key, fn) }
  }

  async spendOnce(id: string, expiresAt: number, now: number): Promise<boolean> {
    this.#sweep(now)
    if (this.#spent.has(id)) return false
    this.#spent.set(id, expiresAt)
    return true
  }

  async spentCount(prefix: string, now: number): Promise<number> {
    this.#sweep(now)
    let n = 0
    for (const id of this.#spent.keys()) if (id.startsWith(prefix)) n++
    return n
  }

  async hit(name: string, now: number, windowMs: number, cap: number): Promise<number> {
    const times = this.#recent(name, now, windowMs)
    times.push(now)
    // Beyond `cap` the callers' answer no longer changes: memory stays bounded.
    if (times.length > cap) times.splice(0, times.length - cap)
    this.#hits.set(name, times)
    return times.length
  }

  async count(name: string, now: number, windowMs: number, cap: number): Promise<number> {
    return Math.min(cap, this.#recent(name, now, windowMs).length)
  }

  async key(purpose: string): Promise<Uint8Array> {
    let key = this.#keys.get(purpose)
    if (!key) {
      key = randomBytes(32)
      this.#keys.set(purpose, key)
    }
    return key
  }

  async close(): Promise<void> {}

  #recent(name: string, now: number, windowMs: number): number[] {
    const times = (this.#hits.get(name) ?? []).filter((at) => now - at < windowMs)
    if (times.length === 0) this.#hits.delete(name)
    else this.#hits.set(name, times)
    return times
  }

  // Spent in order and every purpose's tickets live 5 minutes, so the oldest expire first; one that
  // outlives its turn only lingers (callers refuse expired tickets before spending them).
  #sweep(now: number): void {
    for (const [id, expiresAt] of this.#spent) {
      if (expiresAt > now) return
      this.#spent.delete(id)
    }
  }
}
