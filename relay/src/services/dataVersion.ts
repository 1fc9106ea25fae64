import type { Logger } from "../log.js"
import type { Store } from "../store/store.js"
import { migrateChunksToBlobs } from "./chunkMigration.js"

// A data dir says which data format wrote it. Format 2 came with protocol 2, which changed what
// every stored trust anchor is (the node manifest, v2 sealed identities, v2 directories); a 1.x
// data dir has none of them and cannot be migrated without the admins' keys, which the relay
// never holds. So it is refused at start, before any route can half-read it, and the log says
// what to do. Format 3 moved upload bytes from LevelDB values into blobs (chunkStore.ts): a
// format-2 dir is migrated in place at start. A relay of format 2 refuses a format-3 dir (its
// major differs), so an older relay never half-reads files it cannot find.

/** The data format this relay writes and reads. */
export const DATA_MAJOR = 3

/** The oldest format this relay migrates at start (older ones are refused). */
const MIGRATES_FROM = 2

/** A data dir this relay must not open. */
export class DataDirError extends Error {
  override readonly name = "DataDirError"
  readonly code = "DATA_DIR_VERSION"
}

interface DataVersion {
  readonly major: number
}

/**
 * Checks (and on a fresh data dir records) the data format version, migrating a format-2 dir.
 * @throws DataDirError when the dir was written by protocol 1.x (a node without the version
 * marker) or by a format this relay neither reads nor migrates. Nothing is written then.
 */
export async function checkDataVersion(store: Store, log: Logger): Promise<void> {
  const marker = await store.get<DataVersion>("settings", "dataVersion")
  if (marker?.major === DATA_MAJOR) return
  const node = await store.get<unknown>("settings", "node")
  if (marker === undefined && node === undefined) {
    await store.put("settings", "dataVersion", { major: DATA_MAJOR })
    return
  }
  if (marker !== undefined && marker.major >= MIGRATES_FROM && marker.major < DATA_MAJOR) {
    // The marker moves only once the migration is complete, so a crash reruns it.
    await migrateChunksToBlobs(store, log)
    await store.put("settings", "dataVersion", { major: DATA_MAJOR })
    return
  }
  const found = marker === undefined ? "1.x" : `${marker.major}.x`
  const message =
    marker === undefined
      ? `this data dir was written by protocol ${found}; this relay speaks protocol 2.0.0 ` +
        "and refuses it unread (its keys and directories cannot be migrated without the admins). " +
        "Start this relay on a new DATA_DIR and set the node up again, or run the old relay."
      : `this data dir has data format ${marker.major}, which this relay (format ${DATA_MAJOR}) ` +
        "cannot read; it refuses it unread. Run the newer relay that wrote it."
  log.error("data_dir_refused", { found, expected: `${DATA_MAJOR}.x` })
  throw new DataDirError(message)
}
