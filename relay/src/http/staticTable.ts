import { createHash } from "node:crypto"
import { readdirSync, readFileSync, statSync } from "node:fs"
import { extname, join, posix } from "node:path"

// The built PWA as a fixed table: every file is read once when the table is built, keyed by its
// normalised path relative to the static folder. Requests only look names up in it, so no request
// can make the relay read, cache or keep anything the build does not contain.

/** One served file, with its precompressed siblings when the build has them. */
export interface StaticFile {
  /** Path relative to the static folder, `/`-separated, no leading slash (`assets/app-1a2b.js`). */
  readonly rel: string
  readonly body: Uint8Array
  readonly etag: string
  readonly contentType: string
  /** Only the build's own hashed assets are cached for a year. */
  readonly immutable: boolean
  readonly br?: Uint8Array
  readonly gzip?: Uint8Array
}

/** The files a table holds, keyed by `rel`, and what they weigh in memory. */
export interface StaticTable {
  readonly files: ReadonlyMap<string, StaticFile>
  readonly bytes: number
  /** Files left out because the table would pass its byte budget. */
  readonly skipped: readonly string[]
}

/** Default memory budget of a table (the built PWA is a few MiB). */
export const DEFAULT_STATIC_MAX_BYTES = 64 * 1024 * 1024

const MIME: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".webmanifest": "application/manifest+json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".wasm": "application/wasm",
}

/** The MIME type served for a path, by extension. */
export function mimeOf(rel: string): string {
  return MIME[extname(rel)] ?? "application/octet-stream"
}

/**
 * Lists the files the relay serves from `dir`: every regular file below it except precompressed
 * `.br`/`.gz` siblings and dot-files, as `/`-separated relative paths, sorted. An absent folder
 * lists nothing. This is the one place that decides what is served (an integrity check of the
 * build can verify exactly this list).
 */
export function listServedFiles(dir: string): string[] {
  const out: string[] = []
  const walk = (rel: string) => {
    let names: string[]
    try {
      names = readdirSync(join(dir, rel))
    } catch {
      return
    }
    for (const name of names) {
      if (name.startsWith(".")) continue
      const child = rel ? `${rel}/${name}` : name
      const st = statSync(join(dir, child), { throwIfNoEntry: false })
      if (st?.isDirectory()) walk(child)
      else if (st?.isFile() && !/\.(br|gz)$/.test(name)) out.push(child)
    }
  }
  walk("")
  return out.sort()
}

/**
 * Reads every listed file of `dir` into a table, within `maxBytes` (files that would pass it are
 * skipped and named in `skipped`). A file that vanishes mid-build is skipped too; the next
 * rebuild picks up the finished build.
 */
export function buildStaticTable(dir: string, maxBytes = DEFAULT_STATIC_MAX_BYTES): StaticTable {
  const files = new Map<string, StaticFile>()
  const skipped: string[] = []
  let bytes = 0
  const read = (path: string) => {
    try {
      return new Uint8Array(readFileSync(path))
    } catch {
      return undefined
    }
  }
  for (const rel of listServedFiles(dir)) {
    const full = join(dir, rel)
    const body = read(full)
    if (!body) continue
    const br = read(`${full}.br`)
    const gzip = read(`${full}.gz`)
    const weight = body.byteLength + (br?.byteLength ?? 0) + (gzip?.byteLength ?? 0)
    if (bytes + weight > maxBytes) {
      skipped.push(rel)
      continue
    }
    bytes += weight
    files.set(rel, {
      rel,
      body,
      etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`,
      contentType: mimeOf(rel),
      immutable: rel.startsWith("assets/"),
      ...(br ? { br } : {}),
      ...(gzip ? { gzip } : {}),
    })
  }
  return { files, bytes, skipped }
}

/**
 * What a new build changes: the mtimes and sizes of `index.html`, `sw.js`, the folder and its
 * `assets/` folder (a file added or removed changes its folder's mtime).
 */
export function buildStamp(dir: string): string {
  return ["index.html", "sw.js", ".", "assets"]
    .map((rel) => {
      const st = statSync(join(dir, rel), { throwIfNoEntry: false })
      return st ? `${st.size}:${st.mtimeMs}` : "-"
    })
    .join("|")
}

/**
 * Turns a request path into a table key: percent-decoded, `.`/`..` segments resolved, no leading
 * slash. Returns undefined for a path that cannot name a file: malformed percent-encoding, a NUL
 * or a backslash, or one that climbs above the root.
 */
export function normaliseStaticPath(path: string): string | undefined {
  let decoded: string
  try {
    decoded = decodeURIComponent(path)
  } catch {
    return undefined
  }
  // Control characters and backslashes never name a file of the build.
  if (hasForbiddenChar(decoded)) return undefined
  if (!decoded.startsWith("/")) return undefined
  const normal = posix.normalize(decoded)
  if (normal.startsWith("/..")) return undefined
  return normal.replace(/^\/+/, "")
}

function hasForbiddenChar(path: string): boolean {
  for (let i = 0; i < path.length; i++) {
    const code = path.charCodeAt(i)
    if (code < 0x20 || code === 0x7f || code === 0x5c) return true
  }
  return false
}
