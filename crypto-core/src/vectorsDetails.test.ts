// The checks particular to each committed vector file in crypto-core/vectors/*.json, beyond
// recomputing it identically (vectors.test.ts): what its values must mean and how they relate.
import { sha256 } from "@noble/hashes/sha2.js"
import { hexToBytes } from "@noble/hashes/utils.js"
import { describe, expect, it } from "vitest"
import { expectCode, expectEveryFlipTampered, flipChar } from "./_testing.js"
import { readAll, streamOf } from "./_testStreams.js"
import { chunkPlaintext, filePlaintext, hex, load, sealerOf } from "./_vectorFiles.js"
import { sealWholeFile } from "./_vectorRecompute.js"
import { decryptAgeHeader } from "./age.js"
import {
  checkAuthKey,
  decryptFile,
  encodeDirectory,
  FILE_CHUNK_SIZE,
  fromUtf8,
  identityFromSecret,
  normaliseReceipt,
  openAccountIdentity,
  openFileHeader,
  openTipPart,
  parseRecoveryKey,
  recipientOf,
  unwrapTipKey,
  verifyDirectory,
  verifyPow,
} from "./index.js"

describe("passwordKdf.json", () => {
  const f = load("passwordKdf.json")

  it("auth keys check against their verifiers", () => {
    for (const d of f.derive) {
      expect(checkAuthKey(hexToBytes(d.authKey), hexToBytes(d.authVerifier))).toBe(true)
    }
  })

  it("NFC-equal passwords give equal keys; the others all differ", () => {
    const key = (d: (typeof f.derive)[number]) =>
      JSON.stringify([d.password.normalize("NFC"), d.salt, d.params])
    const spellings = new Set(f.derive.map((d) => d.password))
    const groups = new Set(f.derive.map(key))
    expect(groups.size).toBeLessThan(spellings.size) // at least one NFD/NFC pair
    for (const a of f.derive) {
      for (const b of f.derive) {
        expect(a.identity === b.identity, `${a.comment} / ${b.comment}`).toBe(key(a) === key(b))
        expect(a.authKey === b.authKey).toBe(key(a) === key(b))
      }
    }
  })

  it("usernames that normalise alike get the same fake salt; others differ", () => {
    const key = (s: (typeof f.fakeSalt)[number]) => `${s.nodeSecret}/${s.normalised}`
    expect(new Set(f.fakeSalt.map(key)).size).toBeLessThan(f.fakeSalt.length)
    for (const a of f.fakeSalt) {
      for (const b of f.fakeSalt) expect(a.salt === b.salt).toBe(key(a) === key(b))
    }
  })
})

describe("receipt.json", () => {
  const f = load("receipt.json")

  it("every typed variant normalises to the canonical receipt and gives the same keys", () => {
    for (const r of f.receipts) {
      expect(r.derived.length).toBeGreaterThanOrEqual(3)
      for (const d of r.derived) {
        expect(normaliseReceipt(d.input, r.pattern)).toBe(r.canonical)
        expect(d).toStrictEqual({ ...r.derived[0], input: d.input })
      }
    }
    expect(new Set(f.receipts.map((r) => r.derived[0]?.identity)).size).toBe(f.receipts.length)
  })
})

describe("recoveryKey.json", () => {
  it("every listed spelling parses back to the identity", () => {
    for (const k of load("recoveryKey.json").keys) {
      expect(k.parses.length).toBeGreaterThanOrEqual(4)
      for (const p of k.parses) expect(parseRecoveryKey(p), JSON.stringify(p)).toBe(k.identity)
    }
  })
})

describe("fileStream.json", () => {
  const f = load("fileStream.json")

  it("the stored header holds the stored file key for the stored identity", async () => {
    const header = hexToBytes(f.sealer.header)
    const fileKey = await decryptAgeHeader(header.subarray(0, -16), f.sealer.identity, undefined)
    expect(hex(fileKey)).toBe(f.sealer.fileKey)
  })

  it("every stored chunk opens at its index to its plaintext", async () => {
    const opener = await openFileHeader(hexToBytes(f.sealer.header), f.sealer.identity)
    const sealer = sealerOf(f)
    for (const c of f.chunks) {
      const sealed = c.sealed
        ? hexToBytes(c.sealed)
        : sealer.sealChunk(c.index, chunkPlaintext(c.index, c.plaintextLength), c.last)
      expect(opener.openChunk(c.index, sealed, c.last)).toEqual(
        chunkPlaintext(c.index, c.plaintextLength),
      )
    }
    expect(f.chunks.some((c) => c.plaintextLength === FILE_CHUNK_SIZE && !c.last)).toBe(true)
    expect(f.chunks.some((c) => c.index >= 2 ** 32)).toBe(true)
  })

  it("every file decrypts with decryptFile to its plaintext", async () => {
    const sealer = sealerOf(f)
    for (const file of f.files) {
      const bytes = file.file
        ? hexToBytes(file.file)
        : await sealWholeFile(sealer, file.plaintextLength)
      expect(hex(sha256(bytes))).toBe(file.sha256)
      const plaintext = await readAll(decryptFile(streamOf(bytes, [7_777]), f.sealer.identity))
      expect(plaintext).toEqual(filePlaintext(file.plaintextLength))
    }
  })
})

describe("keyDirectory.json", () => {
  const f = load("keyDirectory.json")

  it("signed directories verify against the pinned key; a flipped signature does not", () => {
    for (const v of f.vectors) {
      expect(verifyDirectory(v.signed, f.publicKey).directory).toStrictEqual(v.signed.directory)
      expect(v.encoded).toBe(fromUtf8(encodeDirectory(v.signed.directory)))
      const bad = { ...v.signed, signature: flipChar(v.signed.signature, 10, 0) }
      expect(() => verifyDirectory(bad, f.publicKey)).toThrow(
        expect.objectContaining({ code: "BAD_SIGNATURE" }),
      )
    }
  })
})

describe("pow.json", () => {
  it("each nonce is the smallest solution and its hash has the leading zero bits", () => {
    for (const v of load("pow.json").vectors) {
      const c = { challenge: v.challenge, difficulty: v.difficulty }
      expect(verifyPow(c, v.nonce)).toBe(true)
      for (let n = Math.max(0, v.nonce - 64); n < v.nonce; n++) expect(verifyPow(c, n)).toBe(false)
      const bits = [...hexToBytes(v.hash)].map((b) => b.toString(2).padStart(8, "0")).join("")
      expect(bits.slice(0, v.difficulty)).toBe("0".repeat(v.difficulty))
    }
  })
})

describe("sealed.json (decrypt-only)", () => {
  const f = load("sealed.json")

  it("the account identity's keyholders are the stored password, recovery and escrow keys", async () => {
    const a = f.accountIdentity
    expect(a.sealed.recipient).toBe(a.account.recipient)
    expect(a.sealed.to).toStrictEqual({
      password: a.passwordRecipient,
      recovery: await recipientOf(parseRecoveryKey(a.recoveryKey)),
      escrow: await recipientOf(a.escrowIdentity),
    })
    expect(await recipientOf(a.account.identity)).toBe(a.account.recipient)
  })

  it("an unrelated key is WRONG_KEY, a wrong kind or a flipped bit is TAMPERED", async () => {
    const a = f.accountIdentity
    const outsider = identityFromSecret(new Uint8Array(32).fill(7))
    await expectCode(openAccountIdentity(a.sealed, outsider), "WRONG_KEY")
    await expectCode(unwrapTipKey(f.tipKeyWrap.wrap, f.tipPart.tip.identity), "WRONG_KEY")
    await expectCode(openTipPart(f.tipPart.part, f.tipPart.tip, "comment"), "TAMPERED")
    const swapped = { ...a.sealed, recipient: f.tipPart.tip.recipient }
    await expectCode(openAccountIdentity(swapped, a.escrowIdentity), "TAMPERED")

    const tried = [
      await expectEveryFlipTampered(
        a.sealed.age,
        (age) => openAccountIdentity({ ...a.sealed, age }, a.escrowIdentity),
        29,
      ),
      await expectEveryFlipTampered(
        f.tipPart.part,
        (part) => openTipPart(part, f.tipPart.tip, f.tipPart.kind),
        29,
      ),
      await expectEveryFlipTampered(
        f.tipKeyWrap.wrap.age,
        (age) => unwrapTipKey({ ...f.tipKeyWrap.wrap, age }, f.tipKeyWrap.reader.identity),
        29,
      ),
    ]
    for (const n of tried) expect(n).toBeGreaterThan(50)
  })
})
