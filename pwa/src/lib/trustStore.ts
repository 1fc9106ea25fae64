import type { ManifestPin } from "@sotto/crypto-core"

// What this browser remembers to refuse a relay that changes the node key or rolls back: the
// manifest pin (node key and highest manifest version) and the highest directory version per
// context. IndexedDB, not localStorage: an installed app keeps it across Tor Browser sessions.
// Raw IndexedDB (no library) keeps the whistleblower's first load small. All of it is public.

const DB = "sotto-trust"
const STORE = "pins"
const LEGACY_PIN = "sotto.pin.v1"

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1)
    req.onupgradeneeded = () => req.result.createObjectStore(STORE)
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  })
}

async function get<T>(key: string): Promise<T | undefined> {
  try {
    const db = await open()
    return await new Promise<T | undefined>((resolve, reject) => {
      const req = db.transaction(STORE).objectStore(STORE).get(key)
      req.onsuccess = () => resolve(req.result as T | undefined)
      req.onerror = () => reject(req.error)
    })
  } catch {
    return undefined
  }
}

async function put(key: string, value: unknown): Promise<void> {
  try {
    const db = await open()
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction(STORE, "readwrite")
      tx.objectStore(STORE).put(value, key)
      tx.oncomplete = () => resolve()
      tx.onerror = () => reject(tx.error)
    })
  } catch {
    // Storage refused (private mode): the checks against this visit's manifest still ran.
  }
}

/** The manifest pin, or the node key an older version kept in localStorage (version 0). */
export async function readManifestPin(): Promise<ManifestPin | undefined> {
  const pin = await get<ManifestPin>("manifest")
  if (pin) return pin
  try {
    const legacy = localStorage.getItem(LEGACY_PIN)
    return legacy ? { signer: legacy, version: 0 } : undefined
  } catch {
    return undefined
  }
}

/** Keeps the pin (the caller verified the manifest against the previous one). */
export async function writeManifestPin(pin: ManifestPin): Promise<void> {
  await put("manifest", pin)
  try {
    localStorage.setItem(LEGACY_PIN, pin.signer)
  } catch {
    // IndexedDB holds it.
  }
}

/** The highest directory version of `contextId` this browser accepted, if any. */
export function readDirectoryVersion(contextId: string): Promise<number | undefined> {
  return get<number>(`directory/${contextId}`)
}

/** Remembers `version` for `contextId` when it is higher than the one kept. */
export async function writeDirectoryVersion(contextId: string, version: number): Promise<void> {
  const seen = await readDirectoryVersion(contextId)
  if (seen === undefined || version > seen) await put(`directory/${contextId}`, version)
}

/** The highest k-of-n escrow policy version this browser verified (crypto-core SPEC §4.1). */
export function readEscrowPolicyVersion(): Promise<number | undefined> {
  return get<number>("escrow-policy")
}

/** Remembers `version` as the escrow policy version seen when it is higher than the one kept. */
export async function writeEscrowPolicyVersion(version: number): Promise<void> {
  const seen = await readEscrowPolicyVersion()
  if (seen === undefined || version > seen) await put("escrow-policy", version)
}

/**
 * Whether this browser has seen `username` log in on the OPRF derivation (SPEC §16): from then on
 * a params answer without `oprf` for it is a downgrade and is refused.
 */
export async function accountOnOprf(username: string): Promise<boolean> {
  return (await get<boolean>(`oprf/account/${username}`)) === true
}

/** Remembers that `username` logged in on the OPRF derivation. */
export async function markAccountOprf(username: string): Promise<void> {
  await put(`oprf/account/${username}`, true)
}

/** Whether this browser has verified a manifest of this node that lists OPRF keys. */
export async function nodeOnOprf(): Promise<boolean> {
  return (await get<boolean>("oprf/node")) === true
}

/** Remembers that the node's manifest listed OPRF keys. */
export async function markNodeOprf(): Promise<void> {
  await put("oprf/node", true)
}
