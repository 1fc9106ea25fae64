import { describe, expect, it } from "vitest"
import { utf8 } from "./encoding.js"
import { isCryptoError } from "./errors.js"
import {
  fileDigest,
  type IntegrityManifest,
  manifestHash,
  parseSignedManifest,
  releaseKeyFromSeed,
  signManifest,
  verifyManifest,
} from "./releaseManifest.js"
import { signerOf } from "./signedStatement.js"

const release = releaseKeyFromSeed(new Uint8Array(32).fill(1))
const operator = releaseKeyFromSeed(new Uint8Array(32).fill(2))
const stranger = releaseKeyFromSeed(new Uint8Array(32).fill(3))
const manifest: IntegrityManifest = {
  app_name: "sotto",
  app_version: "0.1.0",
  commit: "0123abcd",
  default_csp: "default-src 'self'",
  headers: { "X-Frame-Options": "DENY" },
  default_index: "index.html",
  default_fallback: "/index.html",
  files: { "/index.html": fileDigest(utf8("<!doctype html>")) },
}
const unsigned = { manifest, signatures: {} }

function codeOf(run: () => unknown): string | undefined {
  try {
    run()
  } catch (e) {
    return isCryptoError(e) ? e.code : "other"
  }
  return undefined
}

describe("release manifests", () => {
  it("verify when a trusted release key signed them", () => {
    const signed = signManifest(unsigned, release)
    expect(verifyManifest(signed, [signerOf(release)])).toEqual([signerOf(release)])
  })

  it("are refused as UNSIGNED without a trusted signature, even if a stranger signed", () => {
    expect(codeOf(() => verifyManifest(unsigned, [signerOf(release)]))).toBe("UNSIGNED")
    const byStranger = signManifest(unsigned, stranger)
    expect(codeOf(() => verifyManifest(byStranger, [signerOf(release)]))).toBe("UNSIGNED")
  })

  it("fail with BAD_SIGNATURE when one listed file changed after signing", () => {
    const signed = signManifest(unsigned, release)
    const changed = {
      ...signed,
      manifest: { ...manifest, files: { "/index.html": fileDigest(utf8("<script>")) } },
    }
    expect(codeOf(() => verifyManifest(changed, [signerOf(release)]))).toBe("BAD_SIGNATURE")
  })

  it("can require the node operator's second signature", () => {
    const both = signManifest(signManifest(unsigned, release), operator)
    const keys = [signerOf(release)]
    expect(verifyManifest(both, keys, [signerOf(operator)])).toHaveLength(2)
    const one = signManifest(unsigned, release)
    expect(codeOf(() => verifyManifest(one, keys, [signerOf(operator)]))).toBe("KEY_MISMATCH")
  })

  it("hash the same whoever signed them", () => {
    expect(manifestHash(signManifest(unsigned, release).manifest)).toBe(manifestHash(manifest))
    expect(manifestHash(manifest)).toMatch(/^[0-9a-f]{64}$/)
  })

  it("reject a path that leaves the app or a digest that is not SHA-256", () => {
    const outside = { manifest: { ...manifest, files: { "/../etc/passwd": "x" } }, signatures: {} }
    expect(codeOf(() => parseSignedManifest(outside))).toBe("BAD_INPUT")
    const short = { manifest: { ...manifest, files: { "/a.js": "AAAA" } }, signatures: {} }
    expect(codeOf(() => parseSignedManifest(short))).toBe("BAD_INPUT")
    expect(codeOf(() => parseSignedManifest({ files: {} }))).toBe("BAD_INPUT")
  })
})
