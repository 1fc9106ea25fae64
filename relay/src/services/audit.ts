import type { Batch, Store } from "../store/store.js"
import type { Clock } from "./clock.js"
import { newId, timeKey } from "./ids.js"

/** One audit entry: who did what to which record. Never content, never secrets. */
export interface AuditEntry {
  readonly id: string
  readonly at: number
  /** A user id, `wb`, or `system` (timers). */
  readonly actor: string
  readonly action: string
  readonly target?: string
  readonly details?: Readonly<Record<string, string | number | boolean>>
}

// Entries written in one millisecond keep their order through a per-process sequence in the key.
// It restarts at 0 whenever the clock passes every millisecond seen before, so 6 digits suffice.
let lastMs = -1
let sequence = 0

function nextSequence(ms: number): number {
  if (ms > lastMs) {
    lastMs = ms
    sequence = 0
  } else {
    sequence++
  }
  return sequence
}

/**
 * The `audit` key of an entry: `<13-digit ms>/<6-digit sequence>/<id>`, so keys sort in the order
 * entries were added within this process, even within one millisecond.
 */
export function auditKey(at: number, id: string): string {
  return `${timeKey(at)}/${String(nextSequence(at)).padStart(6, "0")}/${id}`
}

/** Appends audit entries (keyed by time, so listing is chronological) inside the caller's batch. */
export class AuditLog {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** Adds an entry to `batch` so it lands with the change it records. */
  add(batch: Batch, entry: Omit<AuditEntry, "id" | "at">): AuditEntry {
    const full: AuditEntry = { ...entry, id: newId(), at: this.clock.now() }
    batch.put("audit", auditKey(full.at, full.id), full)
    return full
  }

  /** Writes one entry on its own. */
  async record(entry: Omit<AuditEntry, "id" | "at">): Promise<AuditEntry> {
    const batch = this.store.batch()
    const full = this.add(batch, entry)
    await batch.write()
    return full
  }

  /** Lists up to `limit` entries newest first; with `before` (ms), only those older than it. */
  async list(limit = 200, before?: number): Promise<AuditEntry[]> {
    const range = { reverse: true, limit, ...(before === undefined ? {} : { lt: timeKey(before) }) }
    return (await this.store.list<AuditEntry>("audit", range)).map(([, e]) => e)
  }
}
