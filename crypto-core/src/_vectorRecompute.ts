// Recomputes each committed vector file from its own inputs with crypto-core's public API, the
// whole file as crypto-core computes it today: inputs are carried over, every output is computed
// afresh. Decrypt-only ciphertexts are carried over and what they hold is recomputed by opening.
import { isDeepStrictEqual } from "node:util"
import { sha256 } from "@noble/hashes/sha2.js"
import { hexToBytes } from "@noble/hashes/utils.js"
import nacl from "tweetnacl"
import { readAll, streamOf } from "./_testStreams.js"
import {
  chunkPlaintext,
  type FileStreamFile,
  filePlaintext,
  HEX_LIMIT,
  hex,
  type KeyDirectoryFile,
  load,
  type PasswordKdfFile,
  type PowFile,
  type ReceiptFile,
  type RecoveryKeyFile,
  type SealedFile,
  sealerOf,
} from "./_vectorFiles.js"
import {
  authVerifier,
  concatBytes,
  createEncryptStream,
  derivePasswordKeys,
  deriveReceiptKeys,
  encodeDirectory,
  type FileSealer,
  fakeSalt,
  formatRecoveryKey,
  fromBase64url,
  fromUtf8,
  identityFromSecret,
  normaliseReceipt,
  normaliseUsername,
  openAccountIdentity,
  openTipPart,
  parseRecoveryKey,
  recipientOf,
  signDirectory,
  solvePow,
  toBase64url,
  unwrapTipKey,
  utf8,
} from "./index.js"

async function recomputePasswordKdf(f: PasswordKdfFile): Promise<PasswordKdfFile> {
  const derive: PasswordKdfFile["derive"] = []
  for (const d of f.derive) {
    const keys = await derivePasswordKeys(d.password, hexToBytes(d.salt), d.params)
    derive.push({
      comment: d.comment,
      password: d.password,
      salt: d.salt,
      params: d.params,
      authKey: hex(keys.authKey),
      identity: keys.identity,
      recipient: keys.recipient,
      authVerifier: hex(authVerifier(keys.authKey)),
    })
  }
  return {
    source: f.source,
    derive,
    fakeSalt: f.fakeSalt.map((s) => ({
      nodeSecret: s.nodeSecret,
      username: s.username,
      normalised: normaliseUsername(s.username),
      salt: hex(fakeSalt(hexToBytes(s.nodeSecret), s.username)),
    })),
  }
}

async function recomputeReceipt(f: ReceiptFile): Promise<ReceiptFile> {
  const receipts: ReceiptFile["receipts"] = []
  for (const r of f.receipts) {
    const derived: ReceiptFile["receipts"][number]["derived"] = []
    for (const d of r.derived) {
      const keys = await deriveReceiptKeys(d.input, hexToBytes(f.nodeSalt), f.params, r.pattern)
      derived.push({
        input: d.input,
        authKey: hex(keys.authKey),
        identity: keys.identity,
        recipient: keys.recipient,
      })
    }
    const canonical = normaliseReceipt(r.derived[0]?.input ?? "", r.pattern)
    receipts.push({ pattern: r.pattern, canonical, derived })
  }
  return { source: f.source, nodeSalt: f.nodeSalt, params: f.params, receipts }
}

async function recomputeRecoveryKey(f: RecoveryKeyFile): Promise<RecoveryKeyFile> {
  const keys: RecoveryKeyFile["keys"] = []
  for (const k of f.keys) {
    const identity = identityFromSecret(hexToBytes(k.secret))
    keys.push({
      comment: k.comment,
      secret: k.secret,
      identity,
      recipient: await recipientOf(identity),
      formatted: formatRecoveryKey(identity),
      parses: k.parses,
    })
  }
  return { source: f.source, keys }
}

/** fileStream.json's file of `length` plaintext bytes, sealed by `sealer` through the stream API. */
export async function sealWholeFile(sealer: FileSealer, length: number): Promise<Uint8Array> {
  return readAll(streamOf(filePlaintext(length), [10_000]).pipeThrough(createEncryptStream(sealer)))
}

async function recomputeFileStream(f: FileStreamFile): Promise<FileStreamFile> {
  const sealer = sealerOf(f)
  const files: FileStreamFile["files"] = []
  for (const file of f.files) {
    const bytes = await sealWholeFile(sealer, file.plaintextLength)
    files.push({
      plaintextLength: file.plaintextLength,
      size: bytes.length,
      sha256: hex(sha256(bytes)),
      ...(bytes.length <= HEX_LIMIT ? { file: hex(bytes) } : {}),
    })
  }
  return {
    source: f.source,
    sealer: { ...f.sealer, recipient: await recipientOf(f.sealer.identity) },
    chunks: f.chunks.map((c) => {
      const sealed = sealer.sealChunk(c.index, chunkPlaintext(c.index, c.plaintextLength), c.last)
      return {
        index: c.index,
        last: c.last,
        plaintextLength: c.plaintextLength,
        sealedLength: sealed.length,
        sealedSha256: hex(sha256(sealed)),
        ...(sealed.length <= HEX_LIMIT ? { sealed: hex(sealed) } : {}),
      }
    }),
    files,
  }
}

async function recomputeKeyDirectory(f: KeyDirectoryFile): Promise<KeyDirectoryFile> {
  const key = nacl.sign.keyPair.fromSeed(hexToBytes(f.seed))
  return {
    source: f.source,
    seed: f.seed,
    publicKey: toBase64url(key.publicKey),
    vectors: f.vectors.map((v) => {
      const signed = signDirectory(v.directory, key)
      return {
        directory: v.directory,
        encoded: fromUtf8(encodeDirectory(signed.directory)),
        signed,
      }
    }),
  }
}

/** SHA-256("sotto/v1/pow" || 0x00 || challenge || nonce as 8-byte big-endian), as SPEC.md says. */
function powHash(challenge: string, nonce: number): Uint8Array {
  const n = new Uint8Array(8)
  new DataView(n.buffer).setBigUint64(0, BigInt(nonce))
  return sha256(
    concatBytes(utf8("sotto/v1/pow"), new Uint8Array([0]), fromBase64url("c", challenge), n),
  )
}

async function recomputePow(f: PowFile): Promise<PowFile> {
  const vectors: PowFile["vectors"] = []
  for (const v of f.vectors) {
    const nonce = await solvePow({ challenge: v.challenge, difficulty: v.difficulty })
    vectors.push({
      challenge: v.challenge,
      difficulty: v.difficulty,
      nonce,
      hash: hex(powHash(v.challenge, nonce)),
    })
  }
  return { source: f.source, vectors }
}

/** Decrypt-only: the ciphertexts are carried over, and what they hold is recomputed by opening. */
async function recomputeSealed(f: SealedFile): Promise<SealedFile> {
  const a = f.accountIdentity
  const password = await derivePasswordKeys(a.password, hexToBytes(a.salt), a.params)
  const account = await openAccountIdentity(a.sealed, password.identity)
  // Every keyholder opens the same record to the same identity.
  for (const key of [parseRecoveryKey(a.recoveryKey), a.escrowIdentity]) {
    const other = await openAccountIdentity(a.sealed, key)
    if (!isDeepStrictEqual(other, account)) throw new Error("keyholders disagree on the account")
  }
  const t = f.tipPart
  const w = f.tipKeyWrap
  return {
    source: f.source,
    accountIdentity: { ...a, passwordRecipient: password.recipient, account },
    tipPart: { ...t, body: await openTipPart(t.part, t.tip, t.kind) },
    tipKeyWrap: { ...w, tip: await unwrapTipKey(w.wrap, w.reader.identity) },
  }
}

export type Recompute = (file: never) => Promise<unknown>

/** How to recompute each vector file, by name: exactly the files crypto-core/vectors holds. */
export const FILES: Record<string, Recompute> = {
  "fileStream.json": recomputeFileStream,
  "keyDirectory.json": recomputeKeyDirectory,
  "passwordKdf.json": recomputePasswordKdf,
  "pow.json": recomputePow,
  "receipt.json": recomputeReceipt,
  "recoveryKey.json": recomputeRecoveryKey,
  "sealed.json": recomputeSealed,
}

const recomputed = new Map<string, Promise<unknown>>()
/** Recomputes a file once per run (scrypt is slow); shared by the equality and bit-flip tests. */
export function recompute(name: string): Promise<unknown> {
  let p = recomputed.get(name)
  if (!p) {
    const fn = FILES[name]
    if (!fn) throw new Error(`no recomputation for ${name}`)
    p = fn(load(name) as never)
    recomputed.set(name, p)
  }
  return p
}
