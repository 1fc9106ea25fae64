import { mkdir, writeFile } from "node:fs/promises"
import { dirname, join } from "node:path"
import { brotliCompressSync, gzipSync } from "node:zlib"
import {
  encodeSignedManifest,
  fileDigest,
  type IntegrityManifest,
  releaseKeyFromSeed,
  signerOf,
  signManifest,
} from "@sotto/crypto-core/release-manifest"
import { SECURITY_HEADERS } from "@sotto/protocol/securityHeaders"

// A small built app with a signed integrity manifest, as `npm run build:pwa` + `release:sign`
// make it, for the relay and sotto-verify tests. Signed by a throwaway key, never a real one.

/** The throwaway release key of these tests. */
export const TEST_RELEASE_KEY = releaseKeyFromSeed(new Uint8Array(32).fill(42))
/** Its public key, as `sotto-verify --release-key` takes it. */
export const TEST_RELEASE_PUBLIC = signerOf(TEST_RELEASE_KEY)

/** The files of the app, path (no leading slash) → text. */
export const DIST_FILES: Readonly<Record<string, string>> = {
  "index.html": "<!doctype html><title>Sotto</title><script src=/assets/app-1.js></script>",
  "assets/app-1.js": "console.log('the genuine app');\n".repeat(40),
  "sw.js": "self.addEventListener('fetch', () => {})\n",
  "manifest.webmanifest": "{}",
}

/** Writes the app into `dir` (with .gz and .br siblings of the script) and its signed manifest. */
export async function writeSignedDist(dir: string): Promise<IntegrityManifest> {
  const files: Record<string, string> = {}
  for (const [rel, text] of Object.entries(DIST_FILES)) {
    await mkdir(dirname(join(dir, rel)), { recursive: true })
    await writeFile(join(dir, rel), text)
    files[`/${rel}`] = fileDigest(new TextEncoder().encode(text))
  }
  const script = DIST_FILES["assets/app-1.js"] ?? ""
  await writeFile(join(dir, "assets/app-1.js.gz"), gzipSync(script))
  await writeFile(join(dir, "assets/app-1.js.br"), brotliCompressSync(script))
  const [csp, ...others] = SECURITY_HEADERS
  const manifest: IntegrityManifest = {
    app_name: "sotto",
    app_version: "0.1.0",
    commit: "test",
    default_csp: csp?.[1] ?? "",
    headers: Object.fromEntries(others),
    default_index: "index.html",
    default_fallback: "/index.html",
    files,
  }
  const signed = signManifest({ manifest, signatures: {} }, TEST_RELEASE_KEY)
  await writeFile(join(dir, "manifest.integrity.json"), encodeSignedManifest(signed))
  return manifest
}
