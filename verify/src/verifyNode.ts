import {
  fileDigest,
  manifestHash,
  parseSignedManifest,
  RELEASE_KEYS,
  type SignedIntegrityManifest,
  verifyManifest,
} from "@sotto/crypto-core/release-manifest"
import { securityHeadersFor, staticKindOf } from "@sotto/protocol/securityHeaders"
import { createGetter, type Encoding } from "./_fetch.js"

// The check sotto-verify runs against a live node: its signed manifest must be signed by a
// pinned release key (and the operator's, when asked), and every listed file, in every encoding
// the node offers, must hash as listed and come with the listed CSP and security headers.

/** Where a node serves its signed manifest. */
export const INTEGRITY_PATH = "/.well-known/sotto-integrity.json"

/** What to check and how to reach the node. */
export interface VerifyOptions {
  /** The node's address, e.g. `https://sotto.example.org` or `http://xyz.onion`. */
  readonly url: string
  /** Release keys to trust (base64url Ed25519); default: the keys shipped with sotto-verify. */
  readonly releaseKeys?: readonly string[]
  /** The node operator's key, whose second signature is then required. */
  readonly operatorKey?: string
  /** A SOCKS5 proxy `host:port` (Tor: 127.0.0.1:9050). */
  readonly socks5?: string
}

/** One thing that differs from the signed manifest. */
export interface Difference {
  readonly path: string
  readonly problem: string
}

/** The verdict: `ok` only when the manifest is signed and nothing differs. */
export interface VerifyReport {
  readonly ok: boolean
  readonly url: string
  /** SHA-256 of the manifest (what the app's footer shows), when the node served one. */
  readonly manifestHash?: string
  readonly commit?: string
  readonly files: number
  /** Keys whose signatures verified. */
  readonly signers: readonly string[]
  readonly differences: readonly Difference[]
}

const ENCODINGS: readonly Encoding[] = ["identity", "gzip", "br"]

/**
 * Checks the node at `options.url`. Never throws for what the node does (an unreachable file is
 * a difference); rejects only when `options.url` is not an http(s) URL.
 */
export async function verifyNode(options: VerifyOptions): Promise<VerifyReport> {
  const base = new URL(options.url)
  if (base.protocol !== "http:" && base.protocol !== "https:")
    throw new Error(`"url" must be http:// or https://, got ${options.url}`)
  const get = createGetter(base, options.socks5)
  const differences: Difference[] = []
  const url = base.origin
  let signed: SignedIntegrityManifest
  try {
    const res = await get(INTEGRITY_PATH, "identity")
    if (res.status !== 200) throw new Error(`HTTP ${res.status}`)
    signed = parseSignedManifest(JSON.parse(new TextDecoder().decode(res.body)))
  } catch (e) {
    differences.push({ path: INTEGRITY_PATH, problem: `no readable manifest (${message(e)})` })
    return { ok: false, url, files: 0, signers: [], differences }
  }
  let signers: string[] = []
  try {
    signers = verifyManifest(
      signed,
      options.releaseKeys ?? RELEASE_KEYS,
      options.operatorKey ? [options.operatorKey] : [],
    )
  } catch (e) {
    differences.push({ path: INTEGRITY_PATH, problem: `signature: ${message(e)}` })
  }
  const { manifest } = signed
  const expectedHeaders: Array<[string, string]> = [
    ["content-security-policy", manifest.default_csp],
    ...Object.entries(manifest.headers).map(([k, v]): [string, string] => [k.toLowerCase(), v]),
  ]
  const checkOne = async (path: string, digest: string | undefined, shown = path) => {
    const problems = new Set<string>()
    for (const encoding of ENCODINGS) {
      try {
        const res = await get(path, encoding)
        if (res.status !== 200) {
          problems.add(`HTTP ${res.status}`)
          continue
        }
        if (fileDigest(res.body) !== digest) problems.add(`content differs (${encoding})`)
        // Each response type carries its share of the listed headers (documents all of them).
        const kind = staticKindOf(path === "/" ? "/index.html" : path)
        const names = new Set(securityHeadersFor(kind).map(([name]) => name.toLowerCase()))
        for (const [name, value] of expectedHeaders) {
          if (!names.has(name)) continue
          const got = res.headers[name]
          if (got !== value) problems.add(`header ${name} is ${JSON.stringify(got ?? null)}`)
        }
      } catch (e) {
        problems.add(`unreachable (${message(e)})`)
      }
    }
    for (const problem of problems) differences.push({ path: shown, problem })
  }
  const paths = Object.keys(manifest.files).sort()
  // A few at a time: quick on a LAN, gentle on Tor.
  for (let i = 0; i < paths.length; i += 4)
    await Promise.all(paths.slice(i, i + 4).map((p) => checkOne(p, manifest.files[p])))
  // The app shell every client-side route gets must be the listed index.html.
  await checkOne("/", manifest.files[`/${manifest.default_index}`], "/ (app shell)")
  return {
    ok: differences.length === 0,
    url,
    manifestHash: manifestHash(manifest),
    commit: manifest.commit,
    files: paths.length,
    signers,
    differences,
  }
}

/** The one-line verdict, then one line per difference. */
export function formatReport(report: VerifyReport): string {
  const head = report.ok
    ? `OK ${report.url} serves the signed release ${report.manifestHash} (commit ${report.commit}, ${report.files} files, signed by ${report.signers.join(", ")})`
    : `MISMATCH ${report.url}: ${report.differences.length} difference(s) from the signed manifest${report.manifestHash ? ` ${report.manifestHash}` : ""}`
  return [head, ...report.differences.map((d) => `  ${d.path}: ${d.problem}`)].join("\n")
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}
