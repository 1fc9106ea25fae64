// Interop with the real `age` CLI (Debian package "age"), in both directions, no mocks.
import { readFile, writeFile } from "node:fs/promises"
import { join } from "node:path"
import {
  buildTipArchive,
  CryptoError,
  createFileSealer,
  decryptAgeFile,
  decryptFile,
  encryptFile,
  exportTipAge,
  FILE_CHUNK_SIZE,
  FILE_SEALED_CHUNK_SIZE,
  FileSealer,
  findHeaderLength,
  generateAgeIdentity,
  recipientOf,
} from "@sotto/crypto-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  collect,
  expectArchiveHolds,
  makeTempDir,
  randomBytes,
  rejectionOf,
  removeTempDirs,
  requireTools,
  run,
  runTool,
  sampleTipBundle,
  sha256Hex,
  streamOf,
} from "./_tools.js"

/** Several full 64 KiB chunks and a partial last one. */
const ODD_SIZE = 1024 * 1024 + 123

const toolsPresent = requireTools("age", "age-keygen")
afterAll(removeTempDirs)

/** Asserts `error` is a CryptoError with `code`, showing the actual error when it is not. */
function expectCryptoError(error: unknown, code: CryptoError["code"]): void {
  expect(error, String(error)).toBeInstanceOf(CryptoError)
  expect((error as CryptoError).code).toBe(code)
}

describe("files crypto-core encrypts are read by the age CLI", () => {
  let dir = ""
  let keyFile = ""
  let recipient = ""
  let n = 0

  beforeAll(async () => {
    if (!toolsPresent) return
    dir = await makeTempDir("age-out")
    const identity = generateAgeIdentity()
    recipient = await recipientOf(identity)
    keyFile = join(dir, "key.txt")
    await writeFile(keyFile, `# public key: ${recipient}\n${identity}\n`, { mode: 0o600 })
  })

  /** Writes `file` to disk and decrypts it with `age -d -i key`. */
  async function ageDecrypt(file: Uint8Array, key = keyFile): Promise<Uint8Array> {
    const path = join(dir, `file-${n++}.age`)
    await writeFile(path, file)
    return new Uint8Array(run("age", ["--decrypt", "--identity", key, path]))
  }

  it("decrypts a 1 MiB + 123 byte file from encryptFile byte-identically", async () => {
    const plaintext = randomBytes(ODD_SIZE)
    const file = await collect(await encryptFile(streamOf(plaintext), [recipient]))
    const chunks = Math.ceil(ODD_SIZE / FILE_CHUNK_SIZE)
    expect(file.length).toBe(findHeaderLength(file)! + ODD_SIZE + chunks * 16)
    const decrypted = await ageDecrypt(file)
    expect(decrypted.length).toBe(ODD_SIZE)
    expect(sha256Hex(decrypted)).toBe(sha256Hex(plaintext))
  })

  it("decrypts a file of exactly two full chunks, whose last chunk is full", async () => {
    const plaintext = randomBytes(2 * FILE_CHUNK_SIZE)
    const file = await collect(await encryptFile(streamOf(plaintext, 4096), [recipient]))
    expect(file.length).toBe(findHeaderLength(file)! + 2 * FILE_SEALED_CHUNK_SIZE)
    expect(sha256Hex(await ageDecrypt(file))).toBe(sha256Hex(plaintext))
  })

  it("decrypts chunks sealed out of order, half of them after a resume, behind sealer.header", async () => {
    const plaintext = randomBytes(ODD_SIZE)
    const count = Math.ceil(ODD_SIZE / FILE_CHUNK_SIZE)
    const sealer = await createFileSealer([recipient])
    const resumed = new FileSealer(sealer.exportState())
    expect(resumed.header).toEqual(sealer.header)
    const file = new Uint8Array(sealer.sealedSize(ODD_SIZE))
    file.set(sealer.header, 0)
    // Odd indices first, from the end, then even ones by a sealer rebuilt from the saved state.
    const order = [
      ...Array.from({ length: count }, (_, i) => count - 1 - i).filter((i) => i % 2 === 1),
      ...Array.from({ length: count }, (_, i) => i).filter((i) => i % 2 === 0),
    ]
    expect(new Set(order).size).toBe(count)
    for (const i of order) {
      const last = i === count - 1
      const chunk = plaintext.subarray(i * FILE_CHUNK_SIZE, (i + 1) * FILE_CHUNK_SIZE)
      const sealed = (i % 2 === 1 ? sealer : resumed).sealChunk(i, chunk, last)
      expect(sealed.length).toBe(chunk.length + 16)
      file.set(sealed, sealer.chunkOffset(i))
    }
    expect(sealer.chunkOffset(count - 1) + (ODD_SIZE % FILE_CHUNK_SIZE) + 16).toBe(file.length)
    expect(sha256Hex(await ageDecrypt(file))).toBe(sha256Hex(plaintext))
  })

  it("decrypts an empty file from encryptFile to zero bytes", async () => {
    const file = await collect(await encryptFile(streamOf(new Uint8Array(0)), [recipient]))
    expect(file.length).toBe(findHeaderLength(file)! + 16)
    const decrypted = await ageDecrypt(file)
    expect(decrypted.length).toBe(0)
  })

  it("decrypts an empty file sealed as chunk 0 by createFileSealer", async () => {
    const sealer = await createFileSealer([recipient])
    const file = new Uint8Array(sealer.sealedSize(0))
    file.set(sealer.header, 0)
    file.set(sealer.sealChunk(0, new Uint8Array(0), true), sealer.chunkOffset(0))
    expect((await ageDecrypt(file)).length).toBe(0)
  })

  it("opens a file encrypted to two recipients with either recipient's key", async () => {
    const other = generateAgeIdentity()
    const otherKey = join(dir, "other-key.txt")
    await writeFile(otherKey, `${other}\n`, { mode: 0o600 })
    const plaintext = randomBytes(100_000)
    const file = await collect(
      await encryptFile(streamOf(plaintext), [recipient, await recipientOf(other)]),
    )
    expect(sha256Hex(await ageDecrypt(file))).toBe(sha256Hex(plaintext))
    expect(sha256Hex(await ageDecrypt(file, otherKey))).toBe(sha256Hex(plaintext))
  })

  it("refuses, in the CLI too, a crypto-core file with one flipped payload byte", async () => {
    const file = await collect(await encryptFile(streamOf(randomBytes(200_000)), [recipient]))
    file[findHeaderLength(file)! + FILE_SEALED_CHUNK_SIZE + 7]! ^= 0x01
    const path = join(dir, "flipped.age")
    await writeFile(path, file)
    const result = runTool("age", [
      "--decrypt",
      "--identity",
      keyFile,
      "--output",
      "/dev/null",
      path,
    ])
    expect(result.status).not.toBe(0)
    expect(result.stderr).toMatch(/decrypt|authentic|chunk/i)
  })

  it("decrypts a tip from exportTipAge to exactly buildTipArchive(bundle), readable by readTipArchive", async () => {
    const bundle = sampleTipBundle()
    const exported = await exportTipAge(bundle, recipient)
    const archive = buildTipArchive(bundle)
    // Deterministic: the same bundle always packs to the same bytes (fixed mtime, fixed order).
    expect(sha256Hex(buildTipArchive(bundle))).toBe(sha256Hex(archive))
    const decrypted = await ageDecrypt(exported)
    expect(decrypted.length).toBe(archive.length)
    expect(sha256Hex(decrypted)).toBe(sha256Hex(archive))
    expectArchiveHolds(decrypted, bundle)
  })
})

describe("files the age CLI encrypts are read by crypto-core", () => {
  let dir = ""
  let identity = ""
  let recipient = ""
  let n = 0

  beforeAll(async () => {
    if (!toolsPresent) return
    dir = await makeTempDir("age-in")
    const keyFile = join(dir, "key.txt")
    run("age-keygen", ["-o", keyFile])
    const text = await readFile(keyFile, "utf8")
    identity = text.match(/^AGE-SECRET-KEY-1[0-9A-Z]+$/m)?.[0] ?? ""
    recipient = text.match(/^# public key: (age1[0-9a-z]+)$/m)?.[1] ?? ""
    expect(identity, `no AGE-SECRET-KEY line in:\n${text}`).not.toBe("")
    expect(recipient, `no public key comment in:\n${text}`).not.toBe("")
  })

  /** Encrypts `plaintext` with `age [-a] -r <to>`, from a file on disk. */
  async function ageEncrypt(plaintext: Uint8Array, to = recipient, armor = false) {
    const path = join(dir, `plain-${n++}.bin`)
    await writeFile(path, plaintext)
    const args = ["--encrypt", ...(armor ? ["--armor"] : []), "--recipient", to, path]
    return new Uint8Array(run("age", args))
  }

  it("derives the same recipient from an age-keygen identity as age-keygen printed", async () => {
    expect(await recipientOf(identity)).toBe(recipient)
    const cli = run("age-keygen", ["-y"], { input: `${identity}\n` })
      .toString("utf8")
      .trim()
    expect(cli).toBe(recipient)
  })

  it("decrypts a 1 MiB + 123 byte file from age -r with decryptFile byte-identically", async () => {
    const plaintext = randomBytes(ODD_SIZE)
    const file = await ageEncrypt(plaintext)
    const decrypted = await collect(decryptFile(streamOf(file), identity))
    expect(decrypted.length).toBe(ODD_SIZE)
    expect(sha256Hex(decrypted)).toBe(sha256Hex(plaintext))
    // The whole-file reader agrees, with and without the recipient list.
    expect(sha256Hex(await decryptAgeFile(file, identity, undefined))).toBe(sha256Hex(plaintext))
    expect(sha256Hex(await decryptAgeFile(file, identity, [recipient]))).toBe(sha256Hex(plaintext))
  })

  it("decrypts a file of exactly two full chunks from age -r, fed in 1-byte pieces up to 64 KiB + 16", async () => {
    const plaintext = randomBytes(2 * FILE_CHUNK_SIZE)
    const file = await ageEncrypt(plaintext)
    expect(file.length).toBe(findHeaderLength(file)! + 2 * FILE_SEALED_CHUNK_SIZE)
    for (const piece of [undefined, FILE_SEALED_CHUNK_SIZE, file.length]) {
      const decrypted = await collect(decryptFile(streamOf(file, piece), identity))
      expect(sha256Hex(decrypted)).toBe(sha256Hex(plaintext))
    }
  })

  it("decrypts an empty file from age -r to zero bytes", async () => {
    const file = await ageEncrypt(new Uint8Array(0))
    expect((await collect(decryptFile(streamOf(file), identity))).length).toBe(0)
    expect((await decryptAgeFile(file, identity, undefined)).length).toBe(0)
  })

  it("decrypts a small armored file from age -a -r with decryptAgeFile", async () => {
    const plaintext = new TextEncoder().encode("Armored tip from the age CLI — ünïcödé ✓\n")
    const armored = new TextDecoder().decode(await ageEncrypt(plaintext, recipient, true))
    expect(armored).toMatch(/^-----BEGIN AGE ENCRYPTED FILE-----\n/)
    expect(await decryptAgeFile(armored, identity, undefined)).toEqual(plaintext)
    expect(await decryptAgeFile(armored, identity, [recipient])).toEqual(plaintext)
  })

  it("decrypts a file the CLI encrypted to another key and to ours", async () => {
    const other = await recipientOf(generateAgeIdentity())
    const plaintext = randomBytes(70_000)
    const path = join(dir, `plain-${n++}.bin`)
    await writeFile(path, plaintext)
    const file = new Uint8Array(run("age", ["-e", "-r", other, "-r", recipient, path]))
    const decrypted = await collect(decryptFile(streamOf(file), identity, [other, recipient]))
    expect(sha256Hex(decrypted)).toBe(sha256Hex(plaintext))
  })

  it("rejects a file the CLI encrypted to a different key with WRONG_KEY", async () => {
    const other = await recipientOf(generateAgeIdentity())
    const file = await ageEncrypt(randomBytes(100_000), other)
    expectCryptoError(
      await rejectionOf(collect(decryptFile(streamOf(file), identity))),
      "WRONG_KEY",
    )
    expectCryptoError(await rejectionOf(decryptAgeFile(file, identity, undefined)), "WRONG_KEY")
  })

  it("rejects a CLI file with one flipped payload byte with TAMPERED", async () => {
    const file = await ageEncrypt(randomBytes(ODD_SIZE))
    const headerLength = findHeaderLength(file)!
    for (const offset of [headerLength + 3, headerLength + 5 * FILE_SEALED_CHUNK_SIZE + 99]) {
      const flipped = file.slice()
      flipped[offset]! ^= 0x80
      const error = await rejectionOf(collect(decryptFile(streamOf(flipped), identity)))
      expectCryptoError(error, "TAMPERED")
      expectCryptoError(await rejectionOf(decryptAgeFile(flipped, identity, undefined)), "TAMPERED")
    }
  })

  it("rejects a CLI file cut after a full chunk with TAMPERED", async () => {
    const file = await ageEncrypt(randomBytes(3 * FILE_CHUNK_SIZE + 5))
    const cut = file.subarray(0, findHeaderLength(file)! + 2 * FILE_SEALED_CHUNK_SIZE)
    expectCryptoError(await rejectionOf(collect(decryptFile(streamOf(cut), identity))), "TAMPERED")
  })
})
