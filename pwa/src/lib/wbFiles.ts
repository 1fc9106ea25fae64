import { type FileApi, proxy, type WorkerPool } from "@sotto/workers"
import { formatNumber, tp } from "../i18n/index.js"
import { crypto } from "./crypto.js"
import { formatBytes, toHex } from "./format.js"
import { messageFor } from "./messages.js"

// Files a whistleblower attaches, before anything is sent: their fingerprint (SHA-256, computed
// in a file worker while the person goes on typing), a warning for types that can run code on
// the recipients' computers, and the context's limits on count and size.

/** Extensions of files that can run programs or macros when opened. */
const HARMFUL = new Set([
  "exe", "js", "mjs", "vbs", "vbe", "scr", "bat", "cmd", "ps1", "psm1", "jar", "msi", "com",
  "lnk", "hta", "docm", "dotm", "xlsm", "xltm", "xlam", "pptm", "potm", "ppam", "sh", "app",
  "dll", "cpl", "msc", "wsf", "wsh", "reg", "pif", "apk", "dmg", "pkg", "deb", "rpm", "iso",
  "svg", "html", "htm", "xht", "xhtml", "chm", "gadget", "inf", "url",
]) // biome-ignore format: one dense list reads better than one extension per line

/** Whether a file name has an extension that can harm the recipients' computers. */
export function isHarmful(name: string): boolean {
  const dot = name.lastIndexOf(".")
  return dot >= 0 && HARMFUL.has(name.slice(dot + 1).toLowerCase())
}

/** Fills `{placeholders}` (staff catalogue) or `{{placeholders}}` (i18n/) of a sentence. */
export function fill(key: string, values: Readonly<Record<string, string | number>>): string {
  const template = messageFor(key) ?? key
  return template.replace(/\{\{?\s*(\w+)\s*\}?\}/g, (_, name: string) => String(values[name] ?? ""))
}

/** The limits problem of a set of files, in words, or undefined when they fit. */
export function limitProblem(
  files: readonly File[],
  limits: { readonly maxFiles: number; readonly maxFileBytes: number },
): string | undefined {
  if (files.length > limits.maxFiles) {
    return tp("wb.tooManyFiles", limits.maxFiles, { max: formatNumber(limits.maxFiles) })
  }
  const big = files.find((f) => f.size > limits.maxFileBytes)
  if (big) return fill("wb.fileTooLarge", { name: big.name, max: formatBytes(limits.maxFileBytes) })
  return undefined
}

let hashPool: WorkerPool<FileApi> | undefined

/**
 * The SHA-256 of a file as lowercase hex, streamed through a file worker (one kept for hashing),
 * with `onProgress(fraction)`.
 * @throws when the file cannot be read (removed or changed on disk).
 */
export async function digestFile(
  file: Blob,
  onProgress?: (fraction: number) => void,
): Promise<string> {
  hashPool ??= crypto().filePool(1)
  const callback = proxy((fraction: number) => onProgress?.(fraction))
  return toHex(await hashPool.run((remote) => remote.digestBlob(file, callback)))
}
