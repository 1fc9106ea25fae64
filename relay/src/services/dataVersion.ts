import type { Logger } from "../log.js"
import type { Store } from "../store/store.js"

// A data dir says which protocol wrote it. Protocol 2 changed what every stored trust anchor is
// (the node manifest, v2 sealed identities, v2 directories), and a 1.x data dir has none of them:
// it cannot be migrated without the admins' keys, which the relay never holds. So it is refused
// at start, before any route can half-read it, and the log says what to do.

/** The data format this relay writes and reads. */
export const DATA_MAJOR = 2

/** A data dir this relay must not open. */
export class DataDirError extends Error {
  override readonly name = "DataDirError"
  readonly code = "DATA_DIR_VERSION"
}

interface DataVersion {
  readonly major: number
}

/**
 * Checks (and on a fresh data dir records) the data format version.
 * @throws DataDirError when the dir was written by protocol 1.x (a node without the version
 * marker) or by another major version. Nothing is written then.
 */
export async function checkDataVersion(store: Store, log: Logger): Promise<void> {
  const marker = await store.get<DataVersion>("settings", "dataVersion")
  if (marker?.major === DATA_MAJOR) return
  const node = await store.get<unknown>("settings", "node")
  if (marker === undefined && node === undefined) {
    await store.put("settings", "dataVersion", { major: DATA_MAJOR })
    return
  }
  const found = marker === undefined ? "1.x" : `${marker.major}.x`
  const message =
    `this data dir was written by protocol ${found}; this relay speaks protocol ${DATA_MAJOR}.0.0 ` +
    "and refuses it unread (its keys and directories cannot be migrated without the admins). " +
    "Start this relay on a new DATA_DIR and set the node up again, or run the old relay."
  log.error("data_dir_refused", { found, expected: `${DATA_MAJOR}.x` })
  throw new DataDirError(message)
}
