import { readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"
import { brotliDecompressSync, gunzipSync } from "node:zlib"
import {
  fileDigest,
  manifestHash,
  parseSignedManifest,
  RELEASE_KEYS,
  type SignedIntegrityManifest,
  verifyManifest,
} from "@sotto/crypto-core/release-manifest"
import { RelayError } from "../errors.js"
import type { Logger } from "../log.js"
import type { Outgoing } from "./server.js"

// The relay serves exactly the signed integrity manifest of the build (SPEC §13): a file of
// STATIC_DIR whose bytes are not the ones the manifest lists is refused, a precompressed sibling
// that does not decompress to them is dropped, and the manifest itself is served at the
// well-known path for sotto-verify and the installed app. A folder without a manifest (a build
// by hand, the relay tests) is served as before, with a warning at start.

/** Where clients fetch the signed manifest. */
export const INTEGRITY_PATH = "/.well-known/sotto-integrity.json"
/** The manifest's name in the build folder (pwa/integrityManifest.ts writes it). */
export const MANIFEST_FILE = "manifest.integrity.json"

/** A file as the static handler holds it: its bytes and precompressed siblings. */
export interface ServedFile {
  readonly body: Uint8Array
  readonly br?: Uint8Array
  readonly gzip?: Uint8Array
}

/** The hook the static handler calls (see createStaticHandler). */
export interface StaticIntegrity {
  /** The manifest response, or null when the folder has none. */
  manifestResponse(): Outgoing | null
  /**
   * The file as it may be served: unchanged, or without a sibling that does not match.
   * @throws RelayError `INTEGRITY_MISMATCH` when a manifest exists and does not list these bytes.
   */
  admit<F extends ServedFile>(rel: string, file: F): F
}

interface Loaded {
  readonly stamp: string
  readonly bytes: Uint8Array
  readonly signed: SignedIntegrityManifest | null
}

function walk(dir: string, prefix = ""): string[] {
  return readdirSync(join(dir, prefix)).flatMap((name) => {
    const rel = prefix ? `${prefix}/${name}` : name
    return statSync(join(dir, rel)).isDirectory() ? walk(dir, rel) : [rel]
  })
}

/**
 * Reads `dir`'s integrity manifest, checks every file against it and logs the verdict
 * (`integrity_checked`, one `integrity_mismatch` per file refused, `integrity_unsigned` for a
 * development build, `integrity_manifest_missing`). The manifest is re-read when it changes on
 * disk, so a deployment copied into `dir` is checked against its own manifest.
 */
export function createIntegrity(dir: string, log: Logger): StaticIntegrity {
  const full = join(dir, MANIFEST_FILE)
  let loaded: Loaded | null = null
  const digests = new WeakMap<Uint8Array, string>()
  const siblingOk = new WeakMap<Uint8Array, boolean>()
  const digestOf = (bytes: Uint8Array) => {
    const known = digests.get(bytes)
    if (known !== undefined) return known
    const d = fileDigest(bytes)
    digests.set(bytes, d)
    return d
  }

  const current = (): Loaded | null => {
    const st = statSync(full, { throwIfNoEntry: false })
    if (!st?.isFile()) {
      loaded = null
      return null
    }
    const stamp = `${st.size}:${st.mtimeMs}`
    if (loaded?.stamp === stamp) return loaded
    const bytes = new Uint8Array(readFileSync(full))
    let signed: SignedIntegrityManifest | null = null
    try {
      signed = parseSignedManifest(JSON.parse(new TextDecoder().decode(bytes)))
    } catch (e) {
      // Fail closed: a manifest we cannot read admits no file.
      log.error("integrity_manifest_invalid", { file: full, reason: (e as Error).message })
    }
    loaded = { stamp, bytes, signed }
    return loaded
  }

  const admit = <F extends ServedFile>(rel: string, file: F): F => {
    const m = current()
    if (m === null) return file
    const expected = m.signed?.manifest.files[`/${rel}`]
    if (expected === undefined || expected !== digestOf(file.body))
      throw new RelayError("INTEGRITY_MISMATCH", `/${rel} does not match the signed manifest`)
    const matches = (encoded: Uint8Array | undefined, decode: (b: Uint8Array) => Uint8Array) => {
      if (!encoded) return false
      let ok = siblingOk.get(encoded)
      if (ok === undefined) {
        try {
          ok = digestOf(new Uint8Array(decode(encoded))) === expected
        } catch {
          ok = false
        }
        siblingOk.set(encoded, ok)
      }
      return ok
    }
    const { br, gzip, ...rest } = file
    return {
      ...rest,
      ...(matches(br, brotliDecompressSync) ? { br } : {}),
      ...(matches(gzip, gunzipSync) ? { gzip } : {}),
    } as F
  }

  // The check at start, for the log: what will be refused, and whether this is a release.
  const m = current()
  if (m === null) {
    log.warn("integrity_manifest_missing", { dir, note: "serving files without a manifest" })
  } else if (m.signed) {
    const files = m.signed.manifest.files
    const onDisk = walk(dir).filter(
      (rel) => !/\.(gz|br)$/.test(rel) && !rel.startsWith(".vite/") && rel !== MANIFEST_FILE,
    )
    for (const rel of onDisk) {
      if (files[`/${rel}`] === undefined)
        log.error("integrity_mismatch", { file: `/${rel}`, refused: true, why: "not listed" })
    }
    for (const [path, digest] of Object.entries(files)) {
      const st = statSync(join(dir, path), { throwIfNoEntry: false })
      const why = !st?.isFile()
        ? "missing"
        : fileDigest(new Uint8Array(readFileSync(join(dir, path)))) !== digest
          ? "content differs"
          : null
      if (why) log.error("integrity_mismatch", { file: path, refused: true, why })
    }
    let release = false
    try {
      verifyManifest(m.signed, RELEASE_KEYS)
      release = true
    } catch {
      log.warn("integrity_unsigned", { note: "unsigned development build (no release signature)" })
    }
    log.info("integrity_checked", {
      files: Object.keys(files).length,
      manifest: manifestHash(m.signed.manifest),
      release,
    })
  }

  return {
    admit,
    manifestResponse: () => {
      const now = current()
      if (now === null) return null
      return {
        kind: "bytes",
        status: 200,
        body: now.bytes,
        contentType: "application/json; charset=utf-8",
        headers: [["Cache-Control", "no-cache"]],
      }
    },
  }
}
