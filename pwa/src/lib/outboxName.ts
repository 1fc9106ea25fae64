// The outbox database's name on its own, so the landing page can look for an outbox without
// loading idb and the outbox code.

/** The outbox's IndexedDB database name (tests dump it; "forget" deletes it). */
export const OUTBOX_DB = "sotto-outbox"
