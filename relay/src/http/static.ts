import { createHash } from "node:crypto"
import { existsSync, readFileSync, statSync } from "node:fs"
import { extname, join, normalize, sep } from "node:path"
import { RelayError } from "../errors.js"
import { INTEGRITY_PATH, type StaticIntegrity } from "./integrity.js"
import type { Incoming, Matched, Outgoing } from "./server.js"

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

interface CachedFile {
  readonly body: Uint8Array
  readonly etag: string
  readonly br?: Uint8Array
  readonly gzip?: Uint8Array
}

const PLACEHOLDER = `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Sotto</title><body><main><h1>Sotto relay is running</h1><p>The web app has not been built yet. The API is at <a href="/api/v1/health">/api/v1/health</a>.</p></main></body></html>`

/** Size and mtime of a file and its precompressed siblings: a new build changes at least one. */
function stampOf(full: string): string | null {
  const main = statSync(full, { throwIfNoEntry: false })
  if (!main?.isFile()) return null
  const part = (path: string) => {
    const st = statSync(path, { throwIfNoEntry: false })
    return st ? `${st.size}:${st.mtimeMs}` : "-"
  }
  return `${main.size}:${main.mtimeMs}|${part(`${full}.br`)}|${part(`${full}.gz`)}`
}

/**
 * Serves the built PWA from `dir`: correct MIME types, strong ETags, precompressed `.br`/`.gz`
 * siblings when the client accepts them, and `index.html` for client-side routes. Files are kept
 * in memory but re-stat'ed on every request, so a new build copied into `dir` is served at once
 * (its new `sw.js` is what lets running apps offer the update). With `integrity`, only files the
 * build's signed manifest lists with these bytes are served, and the manifest at INTEGRITY_PATH.
 */
export function createStaticHandler(
  dir: string,
  integrity?: StaticIntegrity,
): (req: Incoming) => Matched {
  const cache = new Map<string, { readonly stamp: string; readonly file: CachedFile }>()
  const load = (rel: string): CachedFile | null => {
    const full = normalize(join(dir, rel))
    if (!full.startsWith(dir + sep)) return null
    const stamp = stampOf(full)
    if (stamp === null) {
      cache.delete(rel)
      return null
    }
    const hit = cache.get(rel)
    if (hit?.stamp === stamp) return hit.file
    const body = new Uint8Array(readFileSync(full))
    const sibling = (ext: string) =>
      existsSync(full + ext) ? new Uint8Array(readFileSync(full + ext)) : undefined
    const br = sibling(".br")
    const gzip = sibling(".gz")
    const file: CachedFile = {
      body,
      etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`,
      ...(br ? { br } : {}),
      ...(gzip ? { gzip } : {}),
    }
    cache.set(rel, { stamp, file })
    return file
  }
  return (req) => {
    if (req.method !== "GET" && req.method !== "HEAD")
      throw new RelayError("METHOD_NOT_ALLOWED", "only GET here")
    return {
      bodyLimit: 0,
      run: async (): Promise<Outgoing> => {
        const manifest = req.path === INTEGRITY_PATH ? integrity?.manifestResponse() : null
        if (manifest) return manifest
        let rel = decodeURIComponent(req.path).replace(/^\/+/, "") || "index.html"
        let file = load(rel)
        // Client-side routes (no extension) get the app shell.
        if (!file && extname(rel) === "") {
          rel = "index.html"
          file = load(rel)
        }
        if (!file) {
          if (rel === "index.html")
            return {
              kind: "bytes",
              status: 200,
              body: new TextEncoder().encode(PLACEHOLDER),
              contentType: MIME[".html"] ?? "",
            }
          throw new RelayError("NOT_FOUND", "no such file")
        }
        if (integrity) file = integrity.admit(rel, file)
        const type = MIME[extname(rel)] ?? "application/octet-stream"
        const immutable = rel.startsWith("assets/")
        const headers: Array<[string, string]> = [
          ["ETag", file.etag],
          ["Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache"],
          ["Vary", "Accept-Encoding"],
        ]
        if (req.headers.get("if-none-match") === file.etag)
          return { kind: "bytes", status: 304, body: new Uint8Array(0), contentType: type, headers }
        const accept = req.headers.get("accept-encoding") ?? ""
        if (file.br && /\bbr\b/.test(accept))
          return {
            kind: "bytes",
            status: 200,
            body: file.br,
            contentType: type,
            headers: [...headers, ["Content-Encoding", "br"]],
          }
        if (file.gzip && /\bgzip\b/.test(accept))
          return {
            kind: "bytes",
            status: 200,
            body: file.gzip,
            contentType: type,
            headers: [...headers, ["Content-Encoding", "gzip"]],
          }
        return { kind: "bytes", status: 200, body: file.body, contentType: type, headers }
      },
    }
  }
}
