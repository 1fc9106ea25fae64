import { extname } from "node:path"
import { RelayError } from "../errors.js"
import type { Logger } from "../log.js"
import { staticKindOf } from "./headers.js"
import { INTEGRITY_PATH, type StaticIntegrity } from "./integrity.js"
import type { Incoming, Matched, Outgoing } from "./server.js"
import {
  buildStamp,
  buildStaticTable,
  DEFAULT_STATIC_MAX_BYTES,
  mimeOf,
  normaliseStaticPath,
  type StaticFile,
  type StaticTable,
} from "./staticTable.js"

const PLACEHOLDER = `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Sotto</title><body><main><h1>Sotto relay is running</h1><p>The web app has not been built yet. The API is at <a href="/api/v1/health">/api/v1/health</a>.</p></main></body></html>`

/** How often, at most, requests other than `sw.js` and the app shell check for a new build. */
export const STATIC_RECHECK_MS = 1000

export interface StaticOptions {
  readonly dir: string
  readonly log: Logger
  /** Memory budget of the table; defaults to {@link DEFAULT_STATIC_MAX_BYTES}. */
  readonly maxBytes?: number
  /** Milliseconds clock for the recheck throttle (tests move it). */
  readonly now?: () => number
  /**
   * The build's signed integrity manifest check: only files it lists with these bytes are
   * served, and the manifest itself at INTEGRITY_PATH (see integrity.ts).
   */
  readonly integrity?: StaticIntegrity
}

/**
 * Serves the built PWA from a fixed table (see staticTable.ts): correct MIME types, strong ETags,
 * precompressed `.br`/`.gz` siblings when the client accepts them, and `index.html` for
 * client-side routes. The table is rebuilt when a new build lands in the folder: its stamp is
 * checked on every request for `sw.js` or the app shell and at most once per
 * {@link STATIC_RECHECK_MS} otherwise, and once more after each rebuild, so a copied build is
 * served at once and its new `sw.js` lets running apps offer the update. A request only ever looks up its
 * normalised path: memory is the table's, whatever is asked.
 * @throws RelayError BAD_REQUEST for a URL that cannot name a file (malformed encoding, NUL…),
 *   METHOD_NOT_ALLOWED for anything but GET and HEAD.
 */
export function createStaticHandler(options: StaticOptions): (req: Incoming) => Matched {
  const now = options.now ?? Date.now
  const maxBytes = options.maxBytes ?? DEFAULT_STATIC_MAX_BYTES
  let table: StaticTable = { files: new Map(), bytes: 0, skipped: [] }
  let stamp = ""
  let checkedAt = Number.NEGATIVE_INFINITY
  // After a rebuild a deployment may still be writing files: the next check rebuilds once more.
  let settling = false
  const current = (force: boolean): StaticTable => {
    if (!force && now() - checkedAt < STATIC_RECHECK_MS) return table
    checkedAt = now()
    const next = buildStamp(options.dir)
    if (next === stamp && !settling) return table
    settling = next !== stamp
    stamp = next
    table = buildStaticTable(options.dir, maxBytes)
    if (table.skipped.length > 0)
      options.log.warn("static_over_budget", { skipped: table.skipped.length, maxBytes })
    return table
  }
  current(true)
  return (req) => {
    if (req.method !== "GET" && req.method !== "HEAD")
      throw new RelayError("METHOD_NOT_ALLOWED", "only GET here")
    const rel = normaliseStaticPath(req.path)
    if (rel === undefined) throw new RelayError("BAD_REQUEST", "this URL cannot name a file", "url")
    return {
      bodyLimit: 0,
      admit: async () => ({
        anonymous: true,
        // The service worker and the app shell always see the latest build (a few stats each):
        // that is how a running app learns of an update. Everything else checks once a second.
        run: async () => {
          const manifest =
            req.path === INTEGRITY_PATH ? options.integrity?.manifestResponse() : null
          if (manifest) return manifest
          return serve(current(isEntry(rel)), rel || "index.html", req, options.integrity)
        },
      }),
    }
  }
}

// The files that reveal a new build: the service worker, and the app shell (including client-side
// routes, which get it).
function isEntry(rel: string): boolean {
  return rel === "" || rel === "sw.js" || rel === "index.html" || extname(rel) === ""
}

function serve(
  table: StaticTable,
  rel: string,
  req: Incoming,
  integrity: StaticIntegrity | undefined,
): Outgoing {
  let name = rel
  let file = table.files.get(rel)
  // Client-side routes (no extension) get the app shell.
  if (!file && extname(rel) === "") {
    name = "index.html"
    file = table.files.get(name)
  }
  if (!file) {
    if (extname(rel) === "" || rel === "index.html")
      return {
        kind: "bytes",
        status: 200,
        body: new TextEncoder().encode(PLACEHOLDER),
        contentType: mimeOf("index.html"),
        security: "document",
      }
    throw new RelayError("NOT_FOUND", "no such file")
  }
  return respond(name, integrity ? integrity.admit(name, file) : file, req)
}

function respond(name: string, file: StaticFile, req: Incoming): Outgoing {
  const type = file.contentType
  const security = staticKindOf(name)
  const headers: Array<[string, string]> = [
    ["ETag", file.etag],
    ["Cache-Control", file.immutable ? "public, max-age=31536000, immutable" : "no-cache"],
    ["Vary", "Accept-Encoding"],
  ]
  if (req.headers.get("if-none-match") === file.etag)
    return {
      kind: "bytes",
      status: 304,
      body: new Uint8Array(0),
      contentType: type,
      headers,
      security,
    }
  const accept = req.headers.get("accept-encoding") ?? ""
  if (file.br && /\bbr\b/.test(accept))
    return {
      kind: "bytes",
      status: 200,
      body: file.br,
      contentType: type,
      headers: [...headers, ["Content-Encoding", "br"]],
      security,
    }
  if (file.gzip && /\bgzip\b/.test(accept))
    return {
      kind: "bytes",
      status: 200,
      body: file.gzip,
      contentType: type,
      headers: [...headers, ["Content-Encoding", "gzip"]],
      security,
    }
  return { kind: "bytes", status: 200, body: file.body, contentType: type, headers, security }
}
