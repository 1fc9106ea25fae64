// `npm run release:sign -- [--key FILE] [--dist DIR]`: adds a signature to the build's integrity
// manifest (pwa/dist/manifest.integrity.json) without touching any other file. FILE holds an
// Ed25519 seed (base64url, 32 bytes) and must live outside the repository: the project's release
// key, or a node operator's key for the optional second signature. Default FILE:
// $SOTTO_RELEASE_KEY_FILE. `--generate FILE` writes a new key there (mode 0600) and prints
// its public key (add a release key to crypto-core/src/releaseKeys.ts).
import { randomBytes } from "node:crypto"
import { existsSync, readFileSync, realpathSync, writeFileSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"
import {
  encodeSignedManifest,
  manifestHash,
  parseReleaseKey,
  parseSignedManifest,
  releaseKeyFromSeed,
  signerOf,
  signManifest,
} from "../crypto-core/src/releaseManifest.js"

const root = resolve(new URL("..", import.meta.url).pathname)
const args = process.argv.slice(2)
const option = (name: string) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}

/** Refuses a key path inside the repository: a private key there would end up in a commit. */
function outsideRepo(path: string): string {
  const full = resolve(path)
  const real = existsSync(full) ? realpathSync(full) : join(realpathSync(dirname(full)), "x")
  if (!relative(realpathSync(root), real).startsWith("..")) {
    console.error(`release:sign: the key file ${full} is inside the repository; keep it outside.`)
    process.exit(2)
  }
  return full
}

const generate = option("--generate")
if (generate) {
  const file = outsideRepo(generate)
  if (existsSync(file)) {
    console.error(`release:sign: ${file} exists; not overwriting a key.`)
    process.exit(2)
  }
  const seed = new Uint8Array(randomBytes(32))
  writeFileSync(file, `${Buffer.from(seed).toString("base64url")}\n`, { mode: 0o600 })
  console.log(signerOf(releaseKeyFromSeed(seed)))
  process.exit(0)
}

const keyFile = option("--key") ?? process.env.SOTTO_RELEASE_KEY_FILE
if (!keyFile) {
  console.error("release:sign: give --key FILE or set SOTTO_RELEASE_KEY_FILE (outside the repo).")
  process.exit(2)
}
const key = parseReleaseKey(readFileSync(outsideRepo(keyFile), "utf8"))
const manifestFile = join(
  resolve(option("--dist") ?? join(root, "pwa/dist")),
  "manifest.integrity.json",
)
const signed = signManifest(
  parseSignedManifest(JSON.parse(readFileSync(manifestFile, "utf8"))),
  key,
)
writeFileSync(manifestFile, encodeSignedManifest(signed))
console.log(
  `Signed ${manifestFile} (manifest ${manifestHash(signed.manifest)}) with ${signerOf(key)}.`,
)
