// Runs the C2SP CCTV age vectors (parsed and planned in _cctvVector.ts) through crypto-core's own
// API and judges the outcomes. Shared by cctvAge.test.ts and cctvAge.noWebCrypto.test.ts; it imports
// crypto-core only as a type, so the second file can remove `crypto.subtle` before crypto-core and
// age-encryption load.
import { sha256 } from "@noble/hashes/sha2.js"
import { bytesToHex } from "@noble/hashes/utils.js"
import { describe, expect, it } from "vitest"
import {
  type CctvVector,
  countBy,
  describeCounts,
  loadCctvVectors,
  planCctvVector,
} from "./_cctvVector.js"
import { drain, seedOf, splitPieces, streamOfPieces } from "./_testStreams.js"
import type * as Core from "./index.js"

/** The CryptoError code crypto-core must fail with (the file is not addressed to a known list). */
export function expectedCode(v: CctvVector): Core.CryptoErrorCode | undefined {
  if (v.expect === "success") return undefined
  return v.expect === "no match" ? "WRONG_KEY" : "TAMPERED"
}

export function sha256Hex(bytes: Uint8Array): string {
  return bytesToHex(sha256(bytes))
}

/** What the suites need from the environment: crypto-core itself and typage's armor decoder. */
export interface CctvTarget {
  readonly core: typeof Core
  /** Decodes ASCII armor (age-encryption's `armor.decode`), to stream armored vectors as binary. */
  readonly armorDecode: (text: string) => Uint8Array
}

function describeError(e: unknown): string {
  if (e === undefined) return "no error"
  if (e instanceof Error) return `${e.name}${"code" in e ? ` ${String(e.code)}` : ""}: ${e.message}`
  return String(e)
}

/**
 * Checks a failed or successful outcome: success releases exactly the payload; a failure is the
 * expected CryptoError code. Returns a description of what is wrong, or undefined.
 */
function judge(
  core: typeof Core,
  v: CctvVector,
  plaintext: Uint8Array | undefined,
  error: unknown,
): string | undefined {
  const code = expectedCode(v)
  if (code === undefined) {
    if (error !== undefined) return `expected success, got ${describeError(error)}`
    if (plaintext === undefined) return "no plaintext"
    const got = sha256Hex(plaintext)
    return got === v.payload ? undefined : `payload SHA-256 ${got}, expected ${v.payload}`
  }
  if (error === undefined) return `expected CryptoError ${code}, got success`
  if (!core.isCryptoError(error, code)) {
    return `expected CryptoError ${code} (${v.expect}), got ${describeError(error)}`
  }
  return undefined
}

/**
 * The plaintext the reference reader (Go age's STREAM reader) releases before it stops, rebuilt
 * with crypto-core's chunk API: it reads 64 KiB + 16 bytes at a time; a full piece is tried as a
 * middle chunk, then as a final one; a short piece is final. It releases every chunk that opens,
 * including a final chunk followed by trailing data (the error comes after it). The vectors'
 * `payload` hash is of exactly this prefix.
 */
async function referencePrefix(
  core: typeof Core,
  binary: Uint8Array,
  identity: string,
): Promise<Uint8Array> {
  const opener = await core.openFileHeader(binary, identity)
  const payload = binary.subarray(opener.headerLength)
  const size = core.FILE_SEALED_CHUNK_SIZE
  const parts: Uint8Array[] = []
  const open = (index: number, sealed: Uint8Array, last: boolean): Uint8Array | undefined => {
    try {
      return opener.openChunk(index, sealed, last)
    } catch (e) {
      if (!core.isCryptoError(e, "TAMPERED")) throw e
      return undefined
    }
  }
  for (let index = 0; index * size < payload.length; index++) {
    const sealed = payload.subarray(index * size, (index + 1) * size)
    const middle = sealed.length === size ? open(index, sealed, false) : undefined
    if (middle) {
      parts.push(middle)
      continue
    }
    const final = open(index, sealed, true)
    if (final) parts.push(final)
    break
  }
  return core.concatBytes(...parts)
}

function isPrefix(prefix: Uint8Array, of: Uint8Array): boolean {
  if (prefix.length > of.length) return false
  for (let i = 0; i < prefix.length; i++) if (prefix[i] !== of[i]) return false
  return true
}

/** Files up to this size are also streamed one byte at a time. */
const BYTEWISE_LIMIT = 4096
/** Minimum number of vectors each mode must run, so that a silently dropped batch fails. */
export const MIN_ONE_SHOT = 99
export const MIN_STREAMED = 77

/**
 * Registers the CCTV suites against `target`: one-shot `decryptAgeFile` (binary or armored text)
 * and streamed `decryptFile` fed in random pieces and byte by byte.
 */
export function defineCctvSuites(label: string, target: () => CctvTarget): void {
  const vectors = loadCctvVectors()
  const plans = vectors.map((v) => ({ v, plan: planCctvVector(v) }))
  const run = plans.flatMap(({ v, plan }) => (plan.run ? [{ v, plan }] : []))
  const skipped = plans.flatMap(({ v, plan }) => (plan.run ? [] : [{ v, plan }]))
  const streamed = run.filter(({ v }) => v.expect !== "armor failure")

  const runCounts = describeCounts(countBy(run, ({ plan }) => plan.category))
  const skipCounts = describeCounts(countBy(skipped, ({ plan }) => plan.category))

  describe(`${label}: cctv-age (${vectors.length} vectors)`, () => {
    it(`runs ${run.length} one-shot (${runCounts}), ${streamed.length} streamed (all but armor failures), skips ${skipped.length} (${skipCounts})`, () => {
      expect(vectors.length).toBeGreaterThanOrEqual(143)
      expect(run.length).toBeGreaterThanOrEqual(MIN_ONE_SHOT)
      expect(streamed.length).toBeGreaterThanOrEqual(MIN_STREAMED)
      expect(countBy(run, ({ plan }) => plan.category).x25519).toBeGreaterThanOrEqual(96)
      // Every skip has a stated reason and falls in a category we decided to skip.
      for (const { plan } of skipped) {
        expect(plan.run).toBe(false)
        expect(["hybrid", "passphrase"]).toContain(plan.category)
      }
    })

    describe("one-shot decryptAgeFile", () => {
      it.each(run.map(({ v, plan }) => [v.name, v.expect, v, plan.identity] as const))(
        "%s (%s)",
        async (_name, _expect, v, identity) => {
          const { core } = target()
          const input = v.armored ? new TextDecoder().decode(v.file) : v.file
          let plaintext: Uint8Array | undefined
          let error: unknown
          try {
            plaintext = await core.decryptAgeFile(input, identity, undefined)
          } catch (e) {
            error = e
          }
          expect(judge(core, v, plaintext, error)).toBeUndefined()
        },
      )
    })

    describe("streamed decryptFile", () => {
      it.each(streamed.map(({ v, plan }) => [v.name, v.expect, v, plan.identity] as const))(
        "%s (%s)",
        async (_name, _expect, v, identity) => {
          const { core, armorDecode } = target()
          const binary = v.armored ? armorDecode(new TextDecoder().decode(v.file)) : v.file
          const layouts: ("bytes" | number)[] = [seedOf(v.name), seedOf(`${v.name}/2`)]
          if (binary.length <= BYTEWISE_LIMIT) layouts.push("bytes")
          // On a payload failure the plaintext released before the error must be a prefix of what
          // the reference reader releases (whose hash the vector gives): authenticated chunks only.
          // crypto-core may release less, as it holds a chunk back until it knows whether it is last.
          const reference =
            v.expect === "payload failure" ? await referencePrefix(core, binary, identity) : null
          if (reference) expect(sha256Hex(reference), "reference prefix").toBe(v.payload)
          for (const layout of layouts) {
            const pieces = splitPieces(binary, layout)
            const { released, error } = await drain(
              core.decryptFile(streamOfPieces(pieces), identity),
            )
            const where = `layout ${layout === "bytes" ? "1-byte" : `seed ${layout}`}, ${pieces.length} pieces`
            expect(judge(core, v, released, error), where).toBeUndefined()
            if (error !== undefined) {
              const allowed = reference ?? new Uint8Array(0)
              expect(isPrefix(released, allowed), `${where}: released unauthenticated bytes`).toBe(
                true,
              )
            }
          }
        },
      )
    })

    describe("skipped on purpose", () => {
      const hybrid = skipped.filter(({ plan }) => plan.category === "hybrid")
      it(`refuses the ${hybrid.length} hybrid-identity vectors with BAD_INPUT before decrypting`, async () => {
        const { core } = target()
        expect(hybrid.length).toBeGreaterThan(0)
        for (const { v } of hybrid) {
          const input = v.armored ? new TextDecoder().decode(v.file) : v.file
          const identity = v.identities[0] ?? ""
          await expect(core.decryptAgeFile(input, identity, undefined)).rejects.toMatchObject({
            name: "CryptoError",
            code: "BAD_INPUT",
          })
        }
      })
    })
  })
}
