// Interop with the real `gpg` CLI (Debian package "gpg"): tips exported by exportTipPgp decrypt
// with GnuPG to the exact archive crypto-core builds.
import { writeFile } from "node:fs/promises"
import { join } from "node:path"
import { buildTipArchive, CryptoError, type TipBundle } from "@sotto/crypto-core"
import { exportTipPgp } from "@sotto/crypto-core/export-pgp"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  expectArchiveHolds,
  makeTempDir,
  rejectionOf,
  removeTempDirs,
  requireTools,
  run,
  runTool,
  sampleTipBundle,
  sha256Hex,
  toolProblems,
} from "./_tools.js"

let home = ""
let env: NodeJS.ProcessEnv = {}
let n = 0

/** gpg in the throwaway keyring, never prompting. */
function gpg(args: readonly string[], input?: string): Buffer {
  return run("gpg", ["--batch", "--no-tty", "--pinentry-mode", "loopback", ...args], {
    env,
    input,
  })
}

/** Makes a key pair without a passphrase and returns its armored public key. */
function generateKey(uid: string, algo: string): string {
  gpg(["--passphrase", "", "--quick-gen-key", uid, algo, "default", "never"])
  return gpg(["--armor", "--export", uid]).toString("utf8")
}

/** Writes an armored message and decrypts it with `gpg --decrypt`. */
async function gpgDecrypt(armored: string): Promise<{ plaintext: Uint8Array; log: string }> {
  const path = join(home, `export-${n++}.asc`)
  await writeFile(path, armored)
  const args = ["--batch", "--no-tty", "--pinentry-mode", "loopback", "--decrypt", path]
  const result = runTool("gpg", args, { env })
  expect(result.status, `gpg --decrypt failed:\n${result.stderr}`).toBe(0)
  return { plaintext: new Uint8Array(result.stdout), log: result.stderr }
}

const toolsPresent = toolProblems("gpg", "gpgconf").length === 0

beforeAll(async () => {
  if (!toolsPresent) return
  home = await makeTempDir("gnupg")
  env = { ...process.env, GNUPGHOME: home, LC_ALL: "C" }
})

afterAll(async () => {
  if (home !== "") runTool("gpgconf", ["--kill", "gpg-agent"], { env })
  await removeTempDirs()
})

describe("tips exported by exportTipPgp are read by the gpg CLI", () => {
  requireTools("gpg", "gpgconf")
  let bundle: TipBundle
  let publicKey = ""

  beforeAll(() => {
    bundle = sampleTipBundle()
    if (!toolsPresent) return
    publicKey = generateKey("Sotto Test <test@example.invalid>", "default")
  })

  it("decrypts an export to gpg's default key type to exactly buildTipArchive(bundle)", async () => {
    expect(publicKey).toMatch(/^-----BEGIN PGP PUBLIC KEY BLOCK-----/)
    const exported = await exportTipPgp(bundle, publicKey)
    expect(exported).toMatch(/^-----BEGIN PGP MESSAGE-----/)
    const { plaintext, log } = await gpgDecrypt(exported)
    const archive = buildTipArchive(bundle)
    expect(plaintext.length).toBe(archive.length)
    expect(sha256Hex(plaintext)).toBe(sha256Hex(archive))
    expect(log).toMatch(/test@example\.invalid/)
    expectArchiveHolds(plaintext, bundle)
  })

  it("decrypts an export to an RSA-3072 key to exactly buildTipArchive(bundle)", async () => {
    // An RSA primary key made this way can only sign, so it gets an RSA encryption subkey.
    gpg([
      "--passphrase",
      "",
      "--quick-gen-key",
      "Sotto RSA <rsa@example.invalid>",
      "rsa3072",
      "cert",
    ])
    const listing = gpg(["--with-colons", "--list-keys", "rsa@example.invalid"]).toString("utf8")
    const fingerprint = listing.match(/^fpr:+([0-9A-F]{40}):/m)?.[1] ?? ""
    expect(fingerprint, listing).not.toBe("")
    gpg(["--passphrase", "", "--quick-add-key", fingerprint, "rsa3072", "encr", "never"])
    const rsaKey = gpg(["--armor", "--export", fingerprint]).toString("utf8")
    const { plaintext, log } = await gpgDecrypt(await exportTipPgp(bundle, rsaKey))
    expect(sha256Hex(plaintext)).toBe(sha256Hex(buildTipArchive(bundle)))
    expect(log).toMatch(/rsa@example\.invalid/)
  })

  it("names the literal data tip.zip so gpg can save it under that name", async () => {
    const exported = await exportTipPgp(bundle, publicKey)
    const path = join(home, "named.asc")
    await writeFile(path, exported)
    const packets = gpg(["--list-packets", path]).toString("utf8")
    expect(packets).toMatch(/literal data packet:[\s\S]*name="tip\.zip"/)
  })
})

describe("exportTipPgp refuses what is not an OpenPGP key", () => {
  it("rejects a garbage key string with BAD_INPUT", async () => {
    const error = await rejectionOf(exportTipPgp(sampleTipBundle(), "not a key at all"))
    expect(error, String(error)).toBeInstanceOf(CryptoError)
    expect((error as CryptoError).code).toBe("BAD_INPUT")
  })

  it("rejects an armored block with a corrupted body with BAD_INPUT", async () => {
    const armored = [
      "-----BEGIN PGP PUBLIC KEY BLOCK-----",
      "",
      "bm90IGFuIE9wZW5QR1Aga2V5IGF0IGFsbA==",
      "-----END PGP PUBLIC KEY BLOCK-----",
      "",
    ].join("\n")
    const error = await rejectionOf(exportTipPgp(sampleTipBundle(), armored))
    expect(error, String(error)).toBeInstanceOf(CryptoError)
    expect((error as CryptoError).code).toBe("BAD_INPUT")
  })
})

describe("exportTipPgp refuses gpg keys it cannot encrypt to", () => {
  requireTools("gpg", "gpgconf")

  it("rejects a secret key exported by gpg with BAD_INPUT", async () => {
    generateKey("Sotto Secret <secret@example.invalid>", "default")
    const secret = gpg([
      "--passphrase",
      "",
      "--armor",
      "--export-secret-keys",
      "secret@example.invalid",
    ])
    expect(secret.toString("utf8")).toMatch(/^-----BEGIN PGP PRIVATE KEY BLOCK-----/)
    const error = await rejectionOf(exportTipPgp(sampleTipBundle(), secret.toString("utf8")))
    expect(error, String(error)).toBeInstanceOf(CryptoError)
    expect((error as CryptoError).code).toBe("BAD_INPUT")
  })

  it("rejects a sign-only gpg key with BAD_INPUT", async () => {
    gpg([
      "--passphrase",
      "",
      "--quick-gen-key",
      "Sotto Sign <sign@example.invalid>",
      "ed25519",
      "sign",
      "never",
    ])
    const publicKey = gpg(["--armor", "--export", "sign@example.invalid"]).toString("utf8")
    const error = await rejectionOf(exportTipPgp(sampleTipBundle(), publicKey))
    expect(error, String(error)).toBeInstanceOf(CryptoError)
    expect((error as CryptoError).code).toBe("BAD_INPUT")
  })
})
