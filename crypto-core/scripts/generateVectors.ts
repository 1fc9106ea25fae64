// Writes crypto-core/vectors/*.json: fixed inputs and the outputs crypto-core computes from them,
// for src/vectors.test.ts and for any second implementation of SPEC.md.
//
// Run with `npm run vectors` (from the repository root or crypto-core). Every deterministic value
// is recomputed on each run, so re-running gives byte-identical files. Values that depend on
// randomness (the FileSealer header and file key, age ciphertexts) are drawn once and kept on later
// runs as long as the inputs stored beside them are unchanged.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { isDeepStrictEqual } from "node:util"
import { sha256 } from "@noble/hashes/sha2.js"
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js"
import nacl from "tweetnacl"
import {
  authVerifier,
  createEncryptStream,
  createFileSealer,
  type DirectoryEntry,
  derivePasswordKeys,
  deriveReceiptKeys,
  encodeDirectory,
  FILE_CHUNK_SIZE,
  FileSealer,
  fakeSalt,
  formatRecoveryKey,
  fromBase64url,
  fromUtf8,
  identityFromSecret,
  type KdfParams,
  type KeyDirectory,
  normaliseReceipt,
  normaliseUsername,
  parseRecoveryKey,
  recipientOf,
  sealAccountIdentity,
  sealTipPart,
  signDirectory,
  solvePow,
  toBase64url,
  utf8,
  wrapTipKey,
} from "../src/index.js"

const VECTORS = new URL("../vectors/", import.meta.url)
const KDF: KdfParams = { N: 2 ** 15, r: 8, p: 1 }

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

function write(name: string, value: Json): void {
  mkdirSync(VECTORS, { recursive: true })
  const url = new URL(name, VECTORS)
  const text = `${JSON.stringify(value, null, 2)}\n`
  const before = existsSync(url) ? readFileSync(url, "utf8") : undefined
  writeFileSync(url, text)
  console.log(
    `${before === text ? "unchanged" : before === undefined ? "created  " : "UPDATED  "} ${name}`,
  )
}

function readExisting(name: string): Record<string, Json> | undefined {
  const url = new URL(name, VECTORS)
  if (!existsSync(url)) return undefined
  return JSON.parse(readFileSync(url, "utf8")) as Record<string, Json>
}

/** 32 fixed secret bytes named by a label: SHA-256 of it, so the vectors say how they were made. */
function fixedSecret(label: string): Uint8Array {
  return sha256(utf8(label))
}

/** `n` bytes counting up from `start` (mod 256). */
function counting(n: number, start = 0): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (start + i) % 256)
}

async function fixedIdentity(label: string): Promise<{ identity: string; recipient: string }> {
  const identity = identityFromSecret(fixedSecret(label))
  return { identity, recipient: await recipientOf(identity) }
}

/**
 * Returns the kept randomised part of `existing` when the inputs stored with it equal `inputs`,
 * otherwise draws a new one with `make`.
 */
async function keep(
  existing: Json | undefined,
  inputs: Record<string, Json>,
  randomised: readonly string[],
  make: () => Promise<Record<string, Json>>,
): Promise<Record<string, Json>> {
  if (existing !== null && typeof existing === "object" && !Array.isArray(existing)) {
    const keptInputs = Object.fromEntries(
      Object.entries(existing).filter(([k]) => !randomised.includes(k)),
    )
    if (isDeepStrictEqual(keptInputs, inputs) && randomised.every((k) => k in existing)) {
      return { ...inputs, ...Object.fromEntries(randomised.map((k) => [k, existing[k] ?? null])) }
    }
  }
  return { ...inputs, ...(await make()) }
}

const params = (p: KdfParams): Json => ({ N: p.N, r: p.r, p: p.p })

// ---------------------------------------------------------------------------------------------

/** Latin-1 letters, an emoji and katakana, in NFC; its NFD form differs in 7 places. */
const NON_ASCII =
  "p\u00e4ssw\u00f6rd \u00fcn\u00efc\u00f6d\u00e9 \u{1f511} \u30d1\u30b9\u30ef\u30fc\u30c9"

async function passwordKdf(): Promise<void> {
  const cases: { comment: string; password: string; salt: Uint8Array; params: KdfParams }[] = [
    {
      comment: "ASCII password, salt 00..0f",
      password: "correct horse battery staple",
      salt: counting(16),
      params: KDF,
    },
    {
      comment: "non-ASCII password in NFC (Latin-1 letters, emoji, katakana)",
      password: NON_ASCII,
      salt: counting(16, 0xa0),
      params: KDF,
    },
    {
      comment: "the previous password in NFD: normalised to NFC first, so the same keys",
      password: NON_ASCII.normalize("NFD"),
      salt: counting(16, 0xa0),
      params: KDF,
    },
    {
      comment: "one-character password, 32-byte salt, p = 2",
      password: "x",
      salt: counting(32, 0x40),
      params: { N: 2 ** 15, r: 8, p: 2 },
    },
  ]
  const derive: Json[] = []
  for (const c of cases) {
    const keys = await derivePasswordKeys(c.password, c.salt, c.params)
    derive.push({
      comment: c.comment,
      password: c.password,
      salt: bytesToHex(c.salt),
      params: params(c.params),
      authKey: bytesToHex(keys.authKey),
      identity: keys.identity,
      recipient: keys.recipient,
      authVerifier: bytesToHex(authVerifier(keys.authKey)),
    })
  }
  const nodeSecret = counting(32)
  const otherSecret = fixedSecret("sotto/vectors/fake-salt/node-secret")
  const fake: Json[] = []
  for (const [secret, username] of [
    [nodeSecret, "alice"],
    [nodeSecret, "  Alice "],
    [nodeSecret, "ALICE"],
    [nodeSecret, "bob"],
    [nodeSecret, "Zo\u00eb"],
    [nodeSecret, "zoe\u0308"],
    [otherSecret, "alice"],
  ] as const) {
    fake.push({
      nodeSecret: bytesToHex(secret),
      username,
      normalised: normaliseUsername(username),
      salt: bytesToHex(fakeSalt(secret, username)),
    })
  }
  write("passwordKdf.json", {
    source:
      "crypto-core/scripts/generateVectors.ts (npm run vectors): derivePasswordKeys(password, salt, params) " +
      "→ authKey (hex), identity, recipient, authVerifier(authKey) (hex); fakeSalt(nodeSecret, username) " +
      "→ salt (hex), with normaliseUsername(username). Fully deterministic.",
    derive,
    fakeSalt: fake,
  })
}

async function receipt(): Promise<void> {
  const nodeSalt = counting(16, 0x10)
  const cases = [
    {
      pattern: "\\d{4} \\d{4} \\d{4} \\d{4}",
      inputs: [
        "1234 5678 9012 3456",
        "1234-5678-9012-3456",
        " \uff11\uff12\uff13\uff14 \uff15\uff16\uff17\uff18 \uff19\uff10\uff11\uff12 \uff13\uff14\uff15\uff16 ",
      ],
    },
    {
      pattern: "words:5",
      inputs: [
        "legal winner thank year wave",
        "Legal-Winner-Thank-Year-Wave",
        "  LEGA winn  than year.wave ",
      ],
    },
  ]
  const receipts: Json[] = []
  for (const c of cases) {
    const canonical = normaliseReceipt(c.inputs[0] ?? "", c.pattern)
    const derived: Json[] = []
    for (const input of c.inputs) {
      if (normaliseReceipt(input, c.pattern) !== canonical) {
        throw new Error(`receipt input ${JSON.stringify(input)} does not normalise to ${canonical}`)
      }
      const keys = await deriveReceiptKeys(input, nodeSalt, KDF, c.pattern)
      derived.push({
        input,
        authKey: bytesToHex(keys.authKey),
        identity: keys.identity,
        recipient: keys.recipient,
      })
    }
    receipts.push({ pattern: c.pattern, canonical, derived })
  }
  write("receipt.json", {
    source:
      "crypto-core/scripts/generateVectors.ts (npm run vectors): for each input, normaliseReceipt(input, pattern) " +
      "→ canonical and deriveReceiptKeys(input, nodeSalt, params, pattern) → authKey (hex), identity, recipient; " +
      "inputs of one pattern differ only in spacing, dashes, case, full-width digits or shortened words, so " +
      "they give the same keys. Fully deterministic.",
    nodeSalt: bytesToHex(nodeSalt),
    params: params(KDF),
    receipts,
  })
}

async function recoveryKey(): Promise<void> {
  const secrets: [string, Uint8Array][] = [
    ["all zero bytes", new Uint8Array(32)],
    ["bytes 00..1f", counting(32)],
    ["all 0xff bytes", new Uint8Array(32).fill(0xff)],
    ['SHA-256("sotto/vectors/recovery-key")', fixedSecret("sotto/vectors/recovery-key")],
  ]
  const keys: Json[] = []
  for (const [comment, secret] of secrets) {
    const identity = identityFromSecret(secret)
    const formatted = formatRecoveryKey(identity)
    const groups = formatted.split(" ")
    const parses = [
      formatted,
      formatted.toLowerCase(),
      groups.join("-"),
      `${groups.slice(0, 7).join(" ")}\n${groups.slice(7).join(" ")}`,
      identity.toLowerCase(),
    ]
    for (const p of parses) {
      if (parseRecoveryKey(p) !== identity) throw new Error(`recovery key parse: ${p}`)
    }
    keys.push({
      comment,
      secret: bytesToHex(secret),
      identity,
      recipient: await recipientOf(identity),
      formatted,
      parses,
    })
  }
  write("recoveryKey.json", {
    source:
      "crypto-core/scripts/generateVectors.ts (npm run vectors): identityFromSecret(secret) → identity, " +
      "recipientOf(identity) → recipient, formatRecoveryKey(identity) → formatted; every string in `parses` " +
      "must parseRecoveryKey to `identity`. Fully deterministic.",
    keys,
  })
}

/** Plaintext of a sealed chunk in these vectors: byte j is (j + index) mod 251. */
function chunkPlaintext(index: number, length: number): Uint8Array {
  const start = index % 251
  return Uint8Array.from({ length }, (_, j) => (start + j) % 251)
}

/** Plaintext of a whole file in these vectors: byte i is i mod 251. */
function filePlaintext(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => i % 251)
}

const HEX_LIMIT = 1024

async function encryptWhole(sealer: FileSealer, plaintext: Uint8Array): Promise<Uint8Array> {
  const pieces: Uint8Array[] = []
  for (let i = 0; i < plaintext.length; i += 10_000) pieces.push(plaintext.slice(i, i + 10_000))
  let at = 0
  const source = new ReadableStream<Uint8Array>({
    pull(controller) {
      const piece = pieces[at++]
      if (piece === undefined) controller.close()
      else controller.enqueue(piece)
    },
  })
  const out: Uint8Array[] = []
  const reader = source.pipeThrough(createEncryptStream(sealer)).getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    out.push(value)
  }
  const file = new Uint8Array(out.reduce((n, p) => n + p.length, 0))
  let offset = 0
  for (const p of out) {
    file.set(p, offset)
    offset += p.length
  }
  return file
}

async function fileStream(): Promise<void> {
  const { identity, recipient } = await fixedIdentity("sotto/vectors/file-stream/identity")
  const state = await keep(
    readExisting("fileStream.json")?.sealer,
    { identity, recipient },
    ["fileKey", "header"],
    async () => {
      const s = (await createFileSealer([recipient])).exportState()
      return { fileKey: bytesToHex(s.fileKey), header: bytesToHex(s.header) }
    },
  )
  const sealer = new FileSealer({
    fileKey: hexToBytes(String(state.fileKey)),
    header: hexToBytes(String(state.header)),
  })
  const chunkCases: [number, number, boolean][] = [
    [0, 0, true],
    [0, 1, true],
    [0, 100, true],
    [0, FILE_CHUNK_SIZE, true],
    [0, FILE_CHUNK_SIZE, false],
    [1, 1, true],
    [1, FILE_CHUNK_SIZE, false],
    [255, 3, true],
    [256, 3, true],
    [2 ** 32, 3, true],
    [2 ** 48 - 1, 3, true],
  ]
  const chunks: Json[] = chunkCases.map(([index, length, last]) => {
    const sealed = sealer.sealChunk(index, chunkPlaintext(index, length), last)
    return {
      index,
      last,
      plaintextLength: length,
      sealedLength: sealed.length,
      sealedSha256: bytesToHex(sha256(sealed)),
      ...(sealed.length <= HEX_LIMIT ? { sealed: bytesToHex(sealed) } : {}),
    }
  })
  const files: Json[] = []
  for (const length of [0, 1, 65_535, 65_536, 65_537, 3 * 65_536, 200_000]) {
    const file = await encryptWhole(sealer, filePlaintext(length))
    if (file.length !== sealer.sealedSize(length)) throw new Error("sealedSize disagrees")
    files.push({
      plaintextLength: length,
      size: file.length,
      sha256: bytesToHex(sha256(file)),
      ...(file.length <= HEX_LIMIT ? { file: bytesToHex(file) } : {}),
    })
  }
  write("fileStream.json", {
    source:
      "crypto-core/scripts/generateVectors.ts (npm run vectors): `sealer` (the age header plus payload " +
      "nonce, and the file key) was drawn once by createFileSealer([recipient]) and is kept on re-runs; " +
      "everything else is recomputed from it. chunks: new FileSealer({fileKey, header}).sealChunk(index, " +
      "plaintext, last) where plaintext byte j is (j + index) mod 251 → sealed bytes (hex when at most " +
      `${HEX_LIMIT} bytes) and their SHA-256. files: header + createEncryptStream(sealer) over a plaintext ` +
      "whose byte i is i mod 251 → the whole age file's size and SHA-256; `identity` decrypts it.",
    sealer: state,
    chunks,
    files,
  })
}

async function keyDirectory(): Promise<void> {
  const seed = fixedSecret("sotto/vectors/key-directory/seed")
  const key = nacl.sign.keyPair.fromSeed(seed)
  const people = await Promise.all(
    ["carol", "alice", "bob"].map((n) => fixedIdentity(`sotto/vectors/key-directory/${n}`)),
  )
  const entries: DirectoryEntry[] = [
    { id: "u-carol", name: 'Carol "CJ" \\ Jones\t', recipient: people[0]?.recipient ?? "" },
    {
      id: "u-alice",
      name: "Alice Zo\u00eb \u7de8\u96c6\u8005 \u{1f4f0}",
      recipient: people[1]?.recipient ?? "",
    },
    { id: "u-bob", name: "Bob", recipient: people[2]?.recipient ?? "" },
  ]
  const directories: KeyDirectory[] = [
    {
      v: 2,
      context: "ctx-investigations",
      version: 7,
      issuedAt: "2025-01-02T03:04:05.000Z",
      expiresAt: "2099-01-02T03:04:05.000Z",
      recipients: entries,
    },
    {
      v: 2,
      context: "ctx-empty",
      version: 1,
      issuedAt: "2025-06-30T23:59:59Z",
      expiresAt: "2099-06-30T23:59:59Z",
      recipients: [],
    },
  ]
  const vectors: Json[] = directories.map((directory) => {
    const signed = signDirectory(directory, key)
    return {
      directory: directory as unknown as Json,
      encoded: fromUtf8(encodeDirectory(signed.directory)),
      signed: signed as unknown as Json,
    }
  })
  write("keyDirectory.json", {
    source:
      "crypto-core/scripts/generateVectors.ts (npm run vectors): signing key = nacl.sign.keyPair.fromSeed(seed); " +
      "for each directory (entries deliberately unsorted), signDirectory(directory, key) → signed (entries " +
      "sorted by id, Ed25519 signature, signer public key, base64url) and encodeDirectory(signed.directory) " +
      "→ encoded, the exact signed text (label line + RFC 8785 JSON). Fully deterministic.",
    seed: bytesToHex(seed),
    publicKey: toBase64url(key.publicKey),
    vectors,
  })
}

async function pow(): Promise<void> {
  const challenges: [Uint8Array, number][] = [
    [counting(16), 0],
    [counting(16), 8],
    [fixedSecret("sotto/vectors/pow/1"), 10],
    [fixedSecret("sotto/vectors/pow/2"), 12],
    [new Uint8Array(64).fill(0xff), 12],
  ]
  const vectors: Json[] = []
  for (const [bytes, difficulty] of challenges) {
    const challenge = toBase64url(bytes)
    const nonce = await solvePow({ challenge, difficulty })
    const n = new Uint8Array(8)
    new DataView(n.buffer).setBigUint64(0, BigInt(nonce))
    const input = new Uint8Array([
      ...utf8("sotto/v1/pow"),
      0,
      ...fromBase64url("c", challenge),
      ...n,
    ])
    vectors.push({ challenge, difficulty, nonce, hash: bytesToHex(sha256(input)) })
  }
  write("pow.json", {
    source:
      "crypto-core/scripts/generateVectors.ts (npm run vectors): solvePow({challenge, difficulty}) → nonce, the " +
      'smallest with `difficulty` leading zero bits in hash = SHA-256("sotto/v1/pow" || 0x00 || challenge || ' +
      "nonce as 8-byte big-endian). Fully deterministic.",
    vectors,
  })
}

async function sealed(): Promise<void> {
  const existing = readExisting("sealed.json")
  const password = "sealed vector password \u00e9"
  const salt = counting(16, 0x77)
  const passwordKeys = await derivePasswordKeys(password, salt, KDF)
  const recovery = await fixedIdentity("sotto/vectors/sealed/recovery")
  const escrow = await fixedIdentity("sotto/vectors/sealed/escrow")
  const account = await fixedIdentity("sotto/vectors/sealed/account")
  const accountIdentity = await keep(
    existing?.accountIdentity,
    {
      password,
      salt: bytesToHex(salt),
      params: params(KDF),
      passwordRecipient: passwordKeys.recipient,
      recoveryKey: formatRecoveryKey(recovery.identity),
      escrowIdentity: escrow.identity,
      account,
    },
    ["sealed"],
    async () => ({
      sealed: (await sealAccountIdentity(account, {
        password: passwordKeys.recipient,
        recovery: recovery.recipient,
        escrow: escrow.recipient,
      })) as unknown as Json,
    }),
  )

  const tip = await fixedIdentity("sotto/vectors/sealed/tip")
  const body: Json = {
    what: "Invoices 2024-117 to 2024-131 were paid twice",
    where: "Z\u00fcrich office, \u7b2c\u4e09\u4f1a\u8b70\u5ba4",
    amounts: [1250.5, 0, -3],
    confidential: true,
    attachments: null,
  }
  const tipPart = await keep(
    existing?.tipPart,
    { tip, kind: "answers", body },
    ["part"],
    async () => ({
      part: await sealTipPart(tip.recipient, "answers", body),
    }),
  )

  const reader = await fixedIdentity("sotto/vectors/sealed/reader")
  const tipKeyWrap = await keep(existing?.tipKeyWrap, { reader, tip }, ["wrap"], async () => ({
    wrap: (await wrapTipKey(tip, reader.recipient)) as unknown as Json,
  }))

  write("sealed.json", {
    source:
      "crypto-core/scripts/generateVectors.ts (npm run vectors). Decrypt-only: age encryption is randomised, " +
      "so each ciphertext (`sealed`, `part`, `wrap`) was made once and is kept on re-runs while the inputs " +
      "beside it are unchanged. accountIdentity: sealAccountIdentity(account, {password: the recipient of " +
      "derivePasswordKeys(password, salt, params), recovery, escrow}); openAccountIdentity must give `account` " +
      "with the password identity, parseRecoveryKey(recoveryKey) and escrowIdentity. tipPart: " +
      "sealTipPart(tip.recipient, kind, body); openTipPart(part, tip, kind) must give `body`. tipKeyWrap: " +
      "wrapTipKey(tip, reader.recipient); unwrapTipKey(wrap, reader.identity) must give `tip`.",
    accountIdentity,
    tipPart,
    tipKeyWrap,
  })
}

await passwordKdf()
await receipt()
await recoveryKey()
await fileStream()
await keyDirectory()
await pow()
await sealed()
