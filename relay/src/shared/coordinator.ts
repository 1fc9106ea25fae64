/**
 * The state a relay process must share with every other process serving the same node: locks,
 * spent single-use tickets, windowed counters and derived ticket keys. One process on LevelDB uses
 * {@link MemoryCoordinator} (in process, as the relay always did); several processes on one
 * PostgreSQL use `PgCoordinator`, so a lock taken, a ticket spent or a failure counted on one
 * process holds on all of them (relay/README.md "Running several processes").
 */
export interface Coordinator {
  /** True when the state is shared with other processes (PostgreSQL), false in process. */
  readonly shared: boolean
  /**
   * Runs `fn` while holding `key` on every process; waits for an earlier holder. Locks on distinct
   * keys nest freely; a key is never re-entered.
   */
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>
  /**
   * Runs `fn` holding `key` if nobody holds it now, else returns `{ ran: false }` at once (a timer
   * another process is running). A process that dies holding it releases it (PostgreSQL ends its
   * session), so the work falls to another.
   */
  tryLock<T>(key: string, fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }>
  /**
   * Marks the single-use ticket `id` spent until `expiresAt`.
   * @returns false when it was spent already (on any process).
   */
  spendOnce(id: string, expiresAt: number, now: number): Promise<boolean>
  /** How many spent tickets under `prefix` are remembered at `now`. */
  spentCount(prefix: string, now: number): Promise<number>
  /**
   * Counts one event of `name` at `now` and returns how many fell within `windowMs` before it,
   * this one included, at most `cap` (the counter keeps no more than that).
   */
  hit(name: string, now: number, windowMs: number, cap: number): Promise<number>
  /** How many events of `name` fell within `windowMs` before `now`, at most `cap`. */
  count(name: string, now: number, windowMs: number, cap: number): Promise<number>
  /**
   * A 32-byte key for `purpose` (ticket MACs) that every process derives alike. In process: drawn
   * at start (a restart voids outstanding tickets). Shared: derived from the secrets key file,
   * which never enters the database, and a salt the database keeps.
   */
  key(purpose: string): Promise<Uint8Array>
  /** Releases connections (locks held are released with them). */
  close(): Promise<void>
}
