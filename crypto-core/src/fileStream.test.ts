import { sha256 } from "@noble/hashes/sha2.js"
import { describe, expect, it } from "vitest"
import { expectCode, flippedBits } from "./_testing.js"
import { randomBytes, readAll, streamOf } from "./_testStreams.js"
import { createAccountIdentity } from "./accountIdentity.js"
import { decryptAgeFile } from "./age.js"
import { concatBytes } from "./encoding.js"
import { isCryptoError } from "./errors.js"
import {
  createFileSealer,
  decryptFile,
  encryptFile,
  FILE_CHUNK_SIZE,
  FILE_SEALED_CHUNK_SIZE,
  FileSealer,
  findHeaderLength,
  openFileHeader,
} from "./fileStream.js"

const sizes = [
  0,
  1,
  FILE_CHUNK_SIZE - 1,
  FILE_CHUNK_SIZE,
  FILE_CHUNK_SIZE + 1,
  3 * FILE_CHUNK_SIZE,
  200_003,
]

describe("streaming file encryption", () => {
  it.each(sizes)("round-trips %i bytes through encryptFile and decryptFile", async (size) => {
    const me = await createAccountIdentity()
    const plain = randomBytes(size)
    const sealed = await readAll(
      await encryptFile(streamOf(plain, [7, 65536, 1000]), [me.recipient]),
    )
    const sealer = await createFileSealer([me.recipient])
    expect(sealed.length).toBe(sealer.sealedSize(size))
    expect(await readAll(decryptFile(streamOf(sealed, [1, 65551, 333]), me.identity))).toEqual(
      plain,
    )
    // The one-shot age decrypter reads the same bytes: this is a standard age file.
    expect(await decryptAgeFile(sealed, me.identity, [me.recipient])).toEqual(plain)
  })

  it("reports progress in plaintext bytes", async () => {
    const me = await createAccountIdentity()
    const seen: number[] = []
    await readAll(
      await encryptFile(streamOf(randomBytes(300_000)), [me.recipient], {
        onProgress: (n) => seen.push(n),
      }),
    )
    expect(seen.at(-1)).toBe(300_000)
    expect(seen.length).toBe(5)
  })

  it("seals chunks in any order to the same bytes as the stream, and resumes from exported state", async () => {
    const me = await createAccountIdentity()
    const plain = randomBytes(5 * FILE_CHUNK_SIZE + 17)
    const sealer = await createFileSealer([me.recipient])
    const count = Math.ceil(plain.length / FILE_CHUNK_SIZE)
    const pieces: Uint8Array[] = []
    for (const i of [3, 0, 5, 1, 4, 2]) {
      const resumed = i % 2 === 0 ? sealer : new FileSealer(sealer.exportState())
      const chunk = plain.subarray(i * FILE_CHUNK_SIZE, (i + 1) * FILE_CHUNK_SIZE)
      pieces[i] = resumed.sealChunk(i, chunk, i === count - 1)
      expect(resumed.chunkOffset(i)).toBe(sealer.header.length + i * FILE_SEALED_CHUNK_SIZE)
    }
    const file = new Uint8Array(sealer.sealedSize(plain.length))
    file.set(sealer.header)
    for (const [i, p] of pieces.entries()) file.set(p, sealer.chunkOffset(i))
    expect(await readAll(decryptFile(streamOf(file), me.identity, [me.recipient]))).toEqual(plain)
  })

  it("opens single chunks by index for ranged reads", async () => {
    const me = await createAccountIdentity()
    const plain = randomBytes(3 * FILE_CHUNK_SIZE + 5)
    const file = await readAll(await encryptFile(streamOf(plain), [me.recipient]))
    const opener = await openFileHeader(file.subarray(0, 4096), me.identity, [me.recipient])
    const at = (i: number) => opener.headerLength + i * FILE_SEALED_CHUNK_SIZE
    expect(opener.openChunk(2, file.subarray(at(2), at(3)), false)).toEqual(
      plain.subarray(2 * FILE_CHUNK_SIZE, 3 * FILE_CHUNK_SIZE),
    )
    expect(opener.openChunk(3, file.subarray(at(3)), true)).toEqual(
      plain.subarray(3 * FILE_CHUNK_SIZE),
    )
    expect(() => opener.openChunk(1, file.subarray(at(2), at(3)), false)).toThrow(
      /does not authenticate/,
    )
  })

  it("refuses the wrong identity with WRONG_KEY, never garbage", async () => {
    const me = await createAccountIdentity()
    const other = await createAccountIdentity()
    const file = await readAll(await encryptFile(streamOf(randomBytes(1000)), [me.recipient]))
    await expectCode(readAll(decryptFile(streamOf(file), other.identity)), "WRONG_KEY")
    await expectCode(
      readAll(decryptFile(streamOf(file), other.identity, [me.recipient])),
      "WRONG_KEY",
    )
  })

  it("reports TAMPERED for every flipped bit of a two-chunk file (sampled across header and chunks)", async () => {
    const me = await createAccountIdentity()
    const file = await readAll(
      await encryptFile(streamOf(randomBytes(FILE_CHUNK_SIZE + 50)), [me.recipient]),
    )
    const headerLength = findHeaderLength(file) ?? 0
    const wrong: number[] = []
    let tried = 0
    // Every bit of the header and nonce, then every bit of every 997th byte of the chunks.
    const variants = [
      ...flippedBits(file.subarray(0, headerLength)),
      ...[...flippedBits(file.subarray(headerLength), 997)].map((v) => ({
        at: v.at + headerLength * 8,
        bytes: v.bytes,
      })),
    ]
    for (const { at, bytes } of variants) {
      const whole =
        at < headerLength * 8
          ? concatBytes(bytes, file.subarray(headerLength))
          : concatBytes(file.subarray(0, headerLength), bytes)
      tried++
      try {
        await readAll(decryptFile(streamOf(whole), me.identity, [me.recipient]))
        wrong.push(at)
      } catch (e) {
        if (!isCryptoError(e, "TAMPERED")) wrong.push(at)
      }
    }
    expect(wrong).toEqual([])
    expect(tried).toBeGreaterThanOrEqual(2000)
  })

  it("reports TAMPERED when the file is truncated, extended or its chunks reordered", async () => {
    const me = await createAccountIdentity()
    const file = await readAll(
      await encryptFile(streamOf(randomBytes(3 * FILE_CHUNK_SIZE + 9)), [me.recipient]),
    )
    const h = findHeaderLength(file) ?? 0
    const open = (bytes: Uint8Array) =>
      readAll(decryptFile(streamOf(bytes), me.identity, [me.recipient]))
    await expectCode(open(file.subarray(0, h + 2 * FILE_SEALED_CHUNK_SIZE)), "TAMPERED")
    await expectCode(open(file.subarray(0, file.length - 1)), "TAMPERED")
    await expectCode(open(new Uint8Array([...file, 0])), "TAMPERED")
    await expectCode(open(file.subarray(0, h)), "TAMPERED")
    await expectCode(open(file.subarray(0, 30)), "TAMPERED")
    const swapped = file.slice()
    swapped.set(file.subarray(h, h + FILE_SEALED_CHUNK_SIZE), h + FILE_SEALED_CHUNK_SIZE)
    swapped.set(file.subarray(h + FILE_SEALED_CHUNK_SIZE, h + 2 * FILE_SEALED_CHUNK_SIZE), h)
    await expectCode(open(swapped), "TAMPERED")
  })

  it("refuses a chunk of the wrong size with BAD_INPUT naming it", async () => {
    const me = await createAccountIdentity()
    const sealer = await createFileSealer([me.recipient])
    expect(() => sealer.sealChunk(0, new Uint8Array(10), false)).toThrow(
      `"plaintext" expected ${FILE_CHUNK_SIZE} bytes, got 10`,
    )
    expect(() => sealer.sealChunk(1, new Uint8Array(0), true)).toThrow(/only for chunk 0/)
  })

  it("gives a different file key and ciphertext every time", async () => {
    const me = await createAccountIdentity()
    const a = await createFileSealer([me.recipient])
    const b = await createFileSealer([me.recipient])
    const chunk = new Uint8Array(100)
    expect(a.sealChunk(0, chunk, true)).not.toEqual(b.sealChunk(0, chunk, true))
    expect(sha256(a.header)).not.toEqual(sha256(b.header))
  })
})
