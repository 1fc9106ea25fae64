import type { NodeManifest } from "@sotto/crypto-core"
import { type PreparedReceipt, prepareReceipt } from "./wbSubmit.js"

// Receipts prepared ahead on a node whose manifest lists OPRF keys (crypto-core/SPEC.md §16):
// a receipt's keys need one evaluation by the relay, so the report page fills this pool at the
// first online moment and seals with a receipt from it, online or offline. Memory only (the tab):
// a receipt is never written anywhere, and each is handed out once.

/** How many reports a person can seal offline after one online moment. */
export const PREPARED_RECEIPTS = 2

interface Slot {
  /** Which node settings the receipt was derived under (pattern, salt, params, OPRF key). */
  readonly key: string
  readonly ready: Promise<PreparedReceipt | undefined>
}

let pool: Slot[] = []

function settingsKey(manifest: NodeManifest): string {
  return JSON.stringify([manifest.directorySigner, manifest.receipt, manifest.oprf?.keys[0]])
}

/**
 * Prepares receipts for `manifest` until {@link PREPARED_RECEIPTS} are ready or under way, one
 * after the other (each is a scrypt and a proof of work); nothing without a connection or on a
 * node without OPRF keys. Receipts prepared under other settings are dropped.
 * @returns when every receipt under way has settled (failures leave their slot empty).
 */
export function fillReceiptPool(manifest: NodeManifest): Promise<unknown> {
  if (manifest.oprf === undefined) return Promise.resolve()
  const key = settingsKey(manifest)
  pool = pool.filter((slot) => slot.key === key)
  let previous: Promise<unknown> = pool.at(-1)?.ready ?? Promise.resolve()
  while (navigator.onLine && pool.length < PREPARED_RECEIPTS) {
    const after = previous
    const slot: Slot = {
      key,
      ready: after.then(() =>
        prepareReceipt(manifest, () => undefined).catch(() => {
          pool = pool.filter((s) => s !== slot)
          return undefined
        }),
      ),
    }
    pool.push(slot)
    previous = slot.ready
  }
  return Promise.allSettled(pool.map((slot) => slot.ready))
}

/**
 * Takes one prepared receipt for `manifest` (waiting for it if under way), or undefined when none
 * is ready; refills the pool when online.
 */
export async function takePreparedReceipt(
  manifest: NodeManifest,
): Promise<PreparedReceipt | undefined> {
  const key = settingsKey(manifest)
  const slot = pool.find((s) => s.key === key)
  if (!slot) return undefined
  pool = pool.filter((s) => s !== slot)
  const receipt = await slot.ready
  void fillReceiptPool(manifest)
  return receipt
}
