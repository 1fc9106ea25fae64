import { strFromU8, strToU8, unzipSync, type Zippable, zipSync } from "fflate"
import { expectBytes, expectString } from "./_validate.js"
import { type AgeRecipient, encryptToRecipients } from "./age.js"
import { CryptoError } from "./errors.js"
import type { Json } from "./tip.js"

/** Everything a recipient exports about one tip, decrypted. */
export interface TipBundle {
  /** Public facts and decrypted metadata (id, context, dates, labels). */
  readonly tip: Json
  readonly answers: Json
  readonly comments: readonly Json[]
  readonly files: readonly TipBundleFile[]
}

/** One attachment of an exported tip. */
export interface TipBundleFile {
  readonly name: string
  readonly type?: string
  readonly bytes: Uint8Array
}

/**
 * Packs a tip as a ZIP archive (stored, not compressed, so sizes leak nothing new): `tip.json`
 * holds tip, answers, comments and the file list; each file sits under `files/` with a safe name.
 * @throws CryptoError `BAD_INPUT` on a malformed bundle.
 */
export function buildTipArchive(bundle: TipBundle): Uint8Array {
  const used = new Set<string>()
  const entries: Zippable = {}
  const listed = bundle.files.map((f, i) => {
    const name = uniqueName(safeFileName(expectString(`files[${i}].name`, f.name, 1000)), used)
    entries[`files/${name}`] = [expectBytes(`files[${i}].bytes`, f.bytes), { level: 0 }]
    return {
      name,
      path: `files/${name}`,
      type: f.type ?? "application/octet-stream",
      size: f.bytes.length,
    }
  })
  const manifest = {
    format: "sotto/v1/tip-export",
    tip: bundle.tip,
    answers: bundle.answers,
    comments: bundle.comments,
    files: listed,
  }
  entries["tip.json"] = [strToU8(JSON.stringify(manifest, null, 2)), { level: 0 }]
  // A fixed date keeps the archive free of the exporting device's clock.
  return zipSync(entries, { mtime: new Date("2000-01-01T00:00:00Z") })
}

/**
 * Reads back an archive made by {@link buildTipArchive} (for tests and re-import).
 * @throws CryptoError `BAD_INPUT` when it is not such an archive.
 */
export function readTipArchive(archive: Uint8Array): {
  manifest: Json
  files: Record<string, Uint8Array>
} {
  try {
    const entries = unzipSync(archive)
    const manifestBytes = entries["tip.json"]
    if (!manifestBytes) throw new Error("no tip.json")
    const files: Record<string, Uint8Array> = {}
    for (const [path, bytes] of Object.entries(entries))
      if (path.startsWith("files/")) files[path] = bytes
    return { manifest: JSON.parse(strFromU8(manifestBytes)) as Json, files }
  } catch (cause) {
    throw new CryptoError("BAD_INPUT", "this is not a Sotto tip export", { cause })
  }
}

/**
 * Exports a tip as one binary age file to a recipient the user chose (`age1…`), readable with
 * `age -d -i key.txt export.age > tip.zip`.
 * @throws CryptoError `BAD_INPUT` on a bad recipient or bundle.
 */
export async function exportTipAge(
  bundle: TipBundle,
  recipient: AgeRecipient,
): Promise<Uint8Array> {
  return encryptToRecipients([recipient], buildTipArchive(bundle))
}

function safeFileName(name: string): string {
  const cleaned = name
    .normalize("NFC")
    .replace(/\p{Cc}+/gu, "_")
    .replace(/[/\\:*?"<>|]+/g, "_")
    .replace(/^\.+/, "_")
    .slice(0, 200)
  return cleaned.length === 0 ? "file" : cleaned
}

function uniqueName(name: string, used: Set<string>): string {
  let candidate = name
  for (let n = 2; used.has(candidate); n++) {
    const dot = name.lastIndexOf(".")
    candidate = dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`
  }
  used.add(candidate)
  return candidate
}
