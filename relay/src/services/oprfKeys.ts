import { randomBytes } from "node:crypto"
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs"
import { dirname } from "node:path"
import {
  evaluateOprf,
  MAX_MANIFEST_OPRF_KEYS,
  OPRF_SEED_BYTES,
  OPRF_SUITE,
  type OprfEvaluation,
  type OprfKeyPair,
  oprfKeyFromSeed,
  oprfKeyId,
} from "@sotto/crypto-core"
import type { RelayContext } from "../context.js"
import { RelayError } from "../errors.js"
import { perContext } from "./perContext.js"

// The relay's OPRF keys (SPEC §16) live in their own file outside the data dir (OPRF_KEY_FILE,
// default ./keys/oprf.key, directory 0700, file 0600), never in the Store, so a copy of the
// data dir cannot test a single password or receipt. One line per key, newest first:
//   sotto-oprf-v1 <32-byte seed, base64url> <ISO time it was made>
// Two lines only during a rotation's grace period (relay/README.md "OPRF key").

const LINE_TAG = "sotto-oprf-v1"

/** One OPRF key as the relay holds it. */
export interface OprfKeyEntry {
  readonly id: string
  readonly key: OprfKeyPair
  readonly createdAt: string
}

/** The relay's OPRF keys: `current` evaluates by default; `all` adds the one being retired. */
export class OprfKeyRing {
  constructor(readonly entries: readonly OprfKeyEntry[]) {
    if (entries.length < 1 || entries.length > MAX_MANIFEST_OPRF_KEYS) {
      throw new Error(`an OPRF key file holds 1 to ${MAX_MANIFEST_OPRF_KEYS} keys`)
    }
  }

  /** The newest key: new accounts and receipts are derived under it. */
  get current(): OprfKeyEntry {
    return this.entries[0] as OprfKeyEntry
  }

  /** The public keys as the node manifest lists them, newest first. */
  publicIds(): string[] {
    return this.entries.map((e) => e.id)
  }

  /**
   * Evaluates a blinded element with the key `id` (the current key when absent).
   * @throws RelayError `VALIDATION` for an unknown key id or an element that is not a point.
   */
  evaluate(blinded: Uint8Array, id?: string): OprfEvaluation {
    const entry = id === undefined ? this.current : this.entries.find((e) => e.id === id)
    if (!entry) {
      throw new RelayError(
        "VALIDATION",
        `"body.key" is not one of this node's OPRF keys`,
        "body.key",
      )
    }
    try {
      return evaluateOprf(entry.key, blinded)
    } catch {
      throw new RelayError(
        "VALIDATION",
        `"body.blinded" is not a ristretto255 element`,
        "body.blinded",
      )
    }
  }
}

function entryOf(seed: Uint8Array, createdAt: string): OprfKeyEntry {
  const key = oprfKeyFromSeed(seed)
  return { id: oprfKeyId(key.publicKey), key, createdAt }
}

function parse(path: string, text: string): OprfKeyRing {
  const lines = text.split("\n").filter((l) => l.trim() !== "")
  return new OprfKeyRing(
    lines.map((line, i) => {
      const [tag, seed, createdAt, ...rest] = line.trim().split(/\s+/)
      const bytes = Buffer.from(seed ?? "", "base64url")
      if (
        tag !== LINE_TAG ||
        bytes.length !== OPRF_SEED_BYTES ||
        Number.isNaN(Date.parse(createdAt ?? "")) ||
        rest.length > 0
      ) {
        throw new Error(`${path} line ${i + 1} is not "${LINE_TAG} <seed> <time>"`)
      }
      return entryOf(bytes, createdAt as string)
    }),
  )
}

function write(path: string, lines: readonly string[], exclusive: boolean): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  const text = `${lines.join("\n")}\n`
  if (exclusive) {
    writeFileSync(path, text, { mode: 0o600, flag: "wx" })
  } else {
    // Replace atomically: a crash mid-rotation leaves the old file, never half a key.
    const tmp = `${path}.new`
    writeFileSync(tmp, text, { mode: 0o600, flag: "w" })
    renameSync(tmp, path)
  }
  chmodSync(path, 0o600)
}

function newLine(now: Date): string {
  return `${LINE_TAG} ${randomBytes(OPRF_SEED_BYTES).toString("base64url")} ${now.toISOString()}`
}

/**
 * Reads the OPRF key file at `path`, or makes it with one fresh key when it does not exist.
 * @throws Error when the file exists but is malformed (the relay must not start with another key).
 */
export function loadOprfKeys(path: string, now: Date = new Date()): OprfKeyRing {
  try {
    return parse(path, readFileSync(path, "utf8"))
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e
  }
  write(path, [newLine(now)], true)
  return parse(path, readFileSync(path, "utf8"))
}

/**
 * Starts a rotation: puts a fresh key first and keeps the current one as the retiring key.
 * The admin then re-signs the manifest listing both; accounts move at their next login.
 * @throws Error when a rotation is already under way (two keys) or the file is malformed.
 */
export function rotateOprfKey(path: string, now: Date = new Date()): OprfKeyRing {
  const text = readFileSync(path, "utf8")
  const ring = parse(path, text)
  if (ring.entries.length >= MAX_MANIFEST_OPRF_KEYS) {
    throw new Error(`${path} already holds a retiring key: finish that rotation first`)
  }
  write(path, [newLine(now), ...text.split("\n").filter((l) => l.trim() !== "")], false)
  return parse(path, readFileSync(path, "utf8"))
}

/**
 * Ends a rotation's grace period: drops the retiring key. Whoever has not logged in since keeps
 * their recovery key (or an escrow reset) as the way back.
 * @throws Error when there is no retiring key or the file is malformed.
 */
export function retireOprfKey(path: string): OprfKeyRing {
  const text = readFileSync(path, "utf8")
  const ring = parse(path, text)
  if (ring.entries.length < 2) throw new Error(`${path} holds no retiring key`)
  write(path, [text.split("\n").filter((l) => l.trim() !== "")[0] as string], false)
  return parse(path, readFileSync(path, "utf8"))
}

/**
 * The rule for new password verifiers on this node (`checkKdf`): name the current key, and must
 * once the node's manifest lists OPRF keys.
 */
export function oprfRuleOf(
  ctx: RelayContext,
  manifest: { readonly body: { readonly oprf?: unknown } } | undefined,
): { keys: readonly string[]; required: boolean } {
  return { keys: oprfKeys(ctx).publicIds(), required: manifest?.body.oprf !== undefined }
}

/** The OPRF part a node manifest should carry for these keys. */
export function manifestOprfOf(ring: OprfKeyRing): { suite: typeof OPRF_SUITE; keys: string[] } {
  return { suite: OPRF_SUITE, keys: ring.publicIds() }
}

/** The OPRF keys of a running relay, read (or made) at start; a restart re-reads the file. */
export const oprfKeys: (ctx: RelayContext) => OprfKeyRing = perContext((ctx) =>
  loadOprfKeys(ctx.config.oprfKeyFile),
)
