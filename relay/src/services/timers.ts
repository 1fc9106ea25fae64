import type { Batch, Store } from "../store/store.js"
import { newId, timeKey } from "./ids.js"

/**
 * A mail waiting in the queue. It lives inside its `mail.send` timer, so the queue is as durable as
 * the timers. Never tip content: only node and context names, dates and link paths.
 */
export interface QueuedMail {
  readonly to: string
  readonly subject: string
  readonly text: string
  /** Which template made it (for the failure list), e.g. `activity`, `reminder`, `test`. */
  readonly template: string
  /** The staff user it is for, if any: named in the failure audit instead of the address. */
  readonly userId?: string
  /** The template's placeholder values, so the runner can render the admin's edited template. */
  readonly values?: Readonly<Record<string, string>>
}

/**
 * Durable work for later. The runner (timerRunner.ts) executes due tasks and resumes them on start.
 * `retry` counts failed runs of a task (the runner backs off); `mail.send` counts `attempt`s instead.
 */
export type TimerTask = (
  | { readonly kind: "tip.expire"; readonly tipId: string }
  | { readonly kind: "tip.remind"; readonly tipId: string }
  /** A reminder of an acknowledgement or feedback deadline, `soon` before it or `due` at it. */
  | {
      readonly kind: "tip.deadline"
      readonly tipId: string
      readonly which: "ack" | "feedback"
      readonly dueAt: number
      readonly phase: "soon" | "due"
    }
  | { readonly kind: "mail.send"; readonly mail: QueuedMail; readonly attempt: number }
  | { readonly kind: "wipe.sweep" }
  /** Collects an unfinished upload idle since UPLOAD_IDLE_MS, or looks again later (uploads.ts). */
  | { readonly kind: "upload.idle"; readonly fileId: string }
  /** Compacts the store so wiped records leave the LevelDB files (queued by every tip wipe). */
  | { readonly kind: "store.compact" }
) & { readonly retry?: number }

/** Adds and removes timers inside a caller's batch, so they land with the change that needs them. */
export const timers = {
  /** Schedules `task` at `dueAt` (ms); returns the timer key for later removal. */
  add(batch: Batch, dueAt: number, task: TimerTask): string {
    const key = `${timeKey(dueAt)}/${newId()}`
    batch.put("timers", key, task)
    return key
  },
  remove(batch: Batch, key: string): void {
    batch.del("timers", key)
  },
  /** Timers due at or before `now`, oldest first. */
  async due(store: Store, now: number, limit = 100): Promise<Array<[string, TimerTask]>> {
    return store.list<TimerTask>("timers", { lt: `${timeKey(now + 1)}`, limit })
  },
}
