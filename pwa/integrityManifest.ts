import { spawnSync } from "node:child_process"
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import {
  encodeSignedManifest,
  fileDigest,
  type IntegrityManifest,
  parseReleaseKey,
  RELEASE_KEYS,
  type SignedIntegrityManifest,
  signerOf,
  signManifest,
} from "@sotto/crypto-core/release-manifest"
import { SECURITY_HEADERS } from "@sotto/protocol/securityHeaders"

// The last build step: `manifest.integrity.json` lists every file the relay serves from the build
// with its SHA-256, the CSP and the security headers, and the commit (SPEC §13). Signed here only
// with a throwaway development key (SOTTO_DEV_RELEASE_KEY); a release is signed afterwards with
// `npm run release:sign`, the private key staying outside the repository.
// Run under tsx by pwaPlugin.ts (Vite's config loader cannot import workspace TypeScript):
//   tsx integrityManifest.ts keys          → JSON list of the release keys sw.js pins
//   tsx integrityManifest.ts write OUTDIR  → writes OUTDIR/manifest.integrity.json

/** Name of the manifest in the build folder; the relay serves it at the well-known path. */
export const MANIFEST_FILE = "manifest.integrity.json"

/** Files of the build that are not served as themselves (siblings, build metadata, the manifest). */
function listed(rel: string): boolean {
  return !/\.(gz|br)$/.test(rel) && !rel.startsWith(".vite/") && rel !== MANIFEST_FILE
}

function walk(dir: string, prefix = ""): string[] {
  return readdirSync(join(dir, prefix)).flatMap((name) => {
    const rel = prefix ? `${prefix}/${name}` : name
    return statSync(join(dir, rel)).isDirectory() ? walk(dir, rel) : [rel]
  })
}

/** The commit being built (a clone of the same commit gives the same manifest). */
function commitOf(root: string): string {
  const git = spawnSync("git", ["rev-parse", "HEAD"], { cwd: root, encoding: "utf8" })
  return git.status === 0 ? git.stdout.trim() : "unknown"
}

/**
 * Writes `outDir/manifest.integrity.json` for the finished build, signed by `devKey` (a base64url
 * seed) when given, else unsigned (a development build).
 */
export function writeIntegrityManifest(root: string, outDir: string, devKey?: string): void {
  const files: Record<string, string> = {}
  for (const rel of walk(outDir).filter(listed).sort())
    files[`/${rel}`] = fileDigest(new Uint8Array(readFileSync(join(outDir, rel))))
  const [csp, ...others] = SECURITY_HEADERS
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }
  const manifest: IntegrityManifest = {
    app_name: "sotto",
    app_version: pkg.version,
    commit: commitOf(root),
    default_csp: csp?.[1] ?? "",
    headers: Object.fromEntries(others.map(([name, value]) => [name, value])),
    default_index: "index.html",
    default_fallback: "/index.html",
    files,
  }
  let signed: SignedIntegrityManifest = { manifest, signatures: {} }
  if (devKey) signed = signManifest(signed, parseReleaseKey(devKey))
  writeFileSync(join(outDir, MANIFEST_FILE), encodeSignedManifest(signed))
}

/**
 * Release keys the service worker pins: the project's, plus the throwaway development key
 * (SOTTO_DEV_RELEASE_KEY, a base64url seed) that tests and dev builds sign with.
 */
export function trustedKeys(devKey: string | undefined): string[] {
  return devKey ? [...RELEASE_KEYS, signerOf(parseReleaseKey(devKey))] : [...RELEASE_KEYS]
}

const [command, outDir] = process.argv.slice(2)
const devKey = process.env.SOTTO_DEV_RELEASE_KEY?.trim() || undefined
if (command === "keys") process.stdout.write(JSON.stringify(trustedKeys(devKey)))
if (command === "write" && outDir)
  writeIntegrityManifest(new URL("..", import.meta.url).pathname, outDir, devKey)
