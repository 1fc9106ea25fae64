import {
  fileDigest,
  manifestHash,
  parseSignedManifest,
  type SignedIntegrityManifest,
  verifyManifest,
} from "@sotto/crypto-core/release-manifest"

// Release checks inside the service worker (never in the page's first load): the manifest hash
// this worker was installed with, and the check of an update before the page may offer it.

/** Release keys pinned at build time (pwaPlugin.ts): the project's, plus a dev key in tests. */
declare const __SOTTO_TRUSTED_KEYS__: readonly string[]

/** Where the relay serves the signed manifest. */
export const MANIFEST_URL = "/.well-known/sotto-integrity.json"

/** What the footer shows: the manifest hash and whether a pinned release key signed it. */
export interface InstalledManifest {
  readonly hash: string | null
  readonly signed: boolean
}

/** The verdict on a waiting update. */
export type UpdateVerdict =
  | { readonly ok: true; readonly hash: string }
  | {
      readonly ok: false
      readonly reason: "unsigned" | "mismatch" | "unreachable"
      readonly files: readonly string[]
    }

async function fetchBytes(path: string): Promise<Uint8Array> {
  // no-store: the bytes the node serves now, not a cached copy.
  const res = await fetch(path, { cache: "no-store", credentials: "omit" })
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`)
  return new Uint8Array(await res.arrayBuffer())
}

async function fetchManifest(): Promise<SignedIntegrityManifest> {
  const text = new TextDecoder().decode(await fetchBytes(MANIFEST_URL))
  return parseSignedManifest(JSON.parse(text))
}

function isSigned(signed: SignedIntegrityManifest): boolean {
  try {
    verifyManifest(signed, __SOTTO_TRUSTED_KEYS__)
    return true
  } catch {
    return false
  }
}

/** Reads the node's current manifest (at install: the one this worker's files belong to). */
export async function readInstalledManifest(): Promise<InstalledManifest> {
  try {
    const signed = await fetchManifest()
    return { hash: manifestHash(signed.manifest), signed: isSigned(signed) }
  } catch {
    return { hash: null, signed: false }
  }
}

/**
 * Checks the update the node offers: its manifest must be signed by a pinned release key, and
 * sw.js, every file outside assets/ and every asset the new sw.js precaches must hash as listed.
 * Never throws: a failure is a verdict.
 */
export async function verifyUpdate(): Promise<UpdateVerdict> {
  let signed: SignedIntegrityManifest
  try {
    signed = await fetchManifest()
  } catch {
    return { ok: false, reason: "unreachable", files: [MANIFEST_URL] }
  }
  if (!isSigned(signed)) return { ok: false, reason: "unsigned", files: [] }
  const files = signed.manifest.files
  const bad: string[] = []
  let sw = ""
  try {
    const bytes = await fetchBytes("/sw.js")
    if (fileDigest(bytes) !== files["/sw.js"]) bad.push("/sw.js")
    sw = new TextDecoder().decode(bytes)
  } catch {
    bad.push("/sw.js")
  }
  // The precache list is inside sw.js: once sw.js matches, the assets it names are the ones to check.
  const paths = Object.keys(files).filter(
    (path) => path !== "/sw.js" && (!path.startsWith("/assets/") || sw.includes(path.slice(1))),
  )
  for (const path of paths) {
    try {
      if (fileDigest(await fetchBytes(path)) !== files[path]) bad.push(path)
    } catch {
      bad.push(path)
    }
  }
  return bad.length === 0
    ? { ok: true, hash: manifestHash(signed.manifest) }
    : { ok: false, reason: "mismatch", files: bad }
}
