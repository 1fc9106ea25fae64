// The C2SP CCTV age test vectors (npm `cctv-age`, CC0): parsing them and planning how
// crypto-core's API can run each one (_cctvRun.ts runs and judges them). It imports nothing of
// crypto-core, so cctvAge.noWebCrypto.test.ts can remove `crypto.subtle` before crypto-core loads.
import * as cctv from "cctv-age"
import { unzlibSync } from "fflate"

/** What decrypting a vector must do, as the CCTV README defines it. */
export type CctvExpect =
  | "success"
  | "no match"
  | "HMAC failure"
  | "header failure"
  | "payload failure"
  | "armor failure"

const EXPECTS: readonly CctvExpect[] = [
  "success",
  "no match",
  "HMAC failure",
  "header failure",
  "payload failure",
  "armor failure",
]
const KNOWN_KEYS = [
  "expect",
  "payload",
  "file key",
  "identity",
  "passphrase",
  "armored",
  "compressed",
  "comment",
]

/** One parsed vector: the textual header, and the age file (decompressed when it was zlib'd). */
export interface CctvVector {
  readonly name: string
  readonly expect: CctvExpect
  /** SHA-256 (hex) of all plaintext an implementation may release, even when decryption fails. */
  readonly payload: string | undefined
  readonly fileKey: string | undefined
  readonly identities: readonly string[]
  readonly passphrases: readonly string[]
  readonly armored: boolean
  readonly comment: string | undefined
  /** Header keys this parser does not know; the README says to ignore such vectors. */
  readonly unknownKeys: readonly string[]
  /** The age file: binary, or the armored text's bytes when `armored`. */
  readonly file: Uint8Array
}

/**
 * Parses one vector: `key: value` lines, an empty line, then the age file (zlib-compressed when
 * `compressed: zlib`).
 * @throws Error when the vector is malformed (a broken package, not a test outcome).
 */
export function parseCctvVector(name: string, bytes: Uint8Array): CctvVector {
  const fields: [string, string][] = []
  let offset = 0
  for (;;) {
    const end = bytes.indexOf(0x0a, offset)
    if (end === -1) throw new Error(`cctv vector ${name}: no empty line after the header`)
    const line = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(offset, end))
    offset = end + 1
    if (line === "") break
    const colon = line.indexOf(": ")
    if (colon === -1) throw new Error(`cctv vector ${name}: malformed line ${JSON.stringify(line)}`)
    fields.push([line.slice(0, colon), line.slice(colon + 2)])
  }
  const all = (key: string) => fields.filter(([k]) => k === key).map(([, v]) => v)
  const one = (key: string): string | undefined => {
    const values = all(key)
    if (values.length > 1) throw new Error(`cctv vector ${name}: "${key}" appears twice`)
    return values[0]
  }
  const expected = one("expect")
  if (!EXPECTS.includes(expected as CctvExpect)) {
    throw new Error(`cctv vector ${name}: unknown expect ${JSON.stringify(expected)}`)
  }
  const compressed = one("compressed")
  if (compressed !== undefined && compressed !== "zlib") {
    throw new Error(`cctv vector ${name}: unknown compression ${compressed}`)
  }
  const raw = bytes.subarray(offset)
  return {
    name,
    expect: expected as CctvExpect,
    payload: one("payload"),
    fileKey: one("file key"),
    identities: all("identity"),
    passphrases: all("passphrase"),
    armored: one("armored") === "yes",
    comment: one("comment"),
    unknownKeys: [...new Set(fields.map(([k]) => k).filter((k) => !KNOWN_KEYS.includes(k)))],
    file: compressed === "zlib" ? unzlibSync(raw) : raw.slice(),
  }
}

/** Every vector in the installed cctv-age package, sorted by name. */
export function loadCctvVectors(): CctvVector[] {
  return Object.entries(cctv as Record<string, Uint8Array>)
    .filter(([, v]) => v instanceof Uint8Array)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, bytes]) => parseCctvVector(name, bytes))
}

/** An X25519 identity unrelated to every vector (secret bytes 0..31), for vectors without one. */
export const UNRELATED_IDENTITY =
  "AGE-SECRET-KEY-1QQQSYQCYQ5RQWZQFPG9SCRGWPUGPZYSNZS23V9CCRYDPK8QARC0SWRYDWG"

/** How crypto-core's API (one X25519 identity per call) can run a vector. */
export type CctvPlan =
  | { readonly run: true; readonly category: string; readonly identity: string }
  | { readonly run: false; readonly category: string; readonly reason: string }

const isX25519 = (id: string) => id.startsWith("AGE-SECRET-KEY-1")
const isHybrid = (id: string) => id.startsWith("AGE-SECRET-KEY-PQ-1")

export function planCctvVector(v: CctvVector): CctvPlan {
  if (v.unknownKeys.length > 0) {
    return {
      run: false,
      category: "unknown header key",
      reason: `the README says to ignore vectors with unknown keys (${v.unknownKeys.join(", ")})`,
    }
  }
  const x25519 = v.identities.filter(isX25519)
  const hybrid = v.identities.filter(isHybrid)
  if (v.passphrases.length > 0) {
    return {
      run: false,
      category: "passphrase",
      reason: "crypto-core has no passphrase (scrypt recipient) decryption",
    }
  }
  if (x25519.length === 1 && hybrid.length === 0 && v.identities.length === 1) {
    return { run: true, category: "x25519", identity: x25519[0] ?? "" }
  }
  if (
    v.identities.length === 0 &&
    (v.expect === "header failure" || v.expect === "armor failure")
  ) {
    // The file fails before any key is tried, so the key offered does not matter.
    return { run: true, category: "no identity (header failure)", identity: UNRELATED_IDENTITY }
  }
  if (x25519.length === 1 && hybrid.length > 0 && v.expect === "header failure") {
    // A malformed X25519 stanza: it must fail whichever other identities are offered too.
    return { run: true, category: "x25519 + hybrid (header failure)", identity: x25519[0] ?? "" }
  }
  if (hybrid.length > 0 && x25519.length === 0) {
    return {
      run: false,
      category: "hybrid",
      reason: "crypto-core accepts X25519 identities only (BAD_INPUT for AGE-SECRET-KEY-PQ-1)",
    }
  }
  return { run: false, category: "other", reason: "no single X25519 identity to offer" }
}

/** Counts per category, for test names and count assertions. */
export function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {}
  for (const item of items) {
    const k = key(item)
    out[k] = (out[k] ?? 0) + 1
  }
  return out
}

export function describeCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ")
}
