// The committed vectors in crypto-core/vectors/*.json (written by scripts/generateVectors.ts): where
// they are, the shape of each file, and the plaintexts fileStream.json's ciphertexts are made from.
import { readFileSync } from "node:fs"
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js"
import {
  type AccountIdentity,
  FileSealer,
  type Json,
  type KdfParams,
  type KeyDirectory,
  type SealedAccountIdentity,
  type SignedKeyDirectory,
  type TipIdentity,
  type TipPartKind,
  type WrappedKey,
} from "./index.js"

export const DIR = new URL("../vectors/", import.meta.url)
export const SOURCE = "crypto-core/scripts/generateVectors.ts"
/** Sealed chunks and files up to this size are stored in full (hex), larger ones by SHA-256. */
export const HEX_LIMIT = 1024

export interface PasswordKdfFile {
  source: string
  derive: {
    comment: string
    password: string
    salt: string
    params: KdfParams
    authKey: string
    identity: string
    recipient: string
    authVerifier: string
  }[]
  fakeSalt: { nodeSecret: string; username: string; normalised: string; salt: string }[]
}

export interface ReceiptFile {
  source: string
  nodeSalt: string
  params: KdfParams
  receipts: {
    pattern: string
    canonical: string
    derived: { input: string; authKey: string; identity: string; recipient: string }[]
  }[]
}

export interface RecoveryKeyFile {
  source: string
  keys: {
    comment: string
    secret: string
    identity: string
    recipient: string
    formatted: string
    parses: string[]
  }[]
}

export interface FileStreamFile {
  source: string
  sealer: { identity: string; recipient: string; fileKey: string; header: string }
  chunks: {
    index: number
    last: boolean
    plaintextLength: number
    sealedLength: number
    sealedSha256: string
    sealed?: string
  }[]
  files: { plaintextLength: number; size: number; sha256: string; file?: string }[]
}

export interface KeyDirectoryFile {
  source: string
  seed: string
  publicKey: string
  vectors: { directory: KeyDirectory; encoded: string; signed: SignedKeyDirectory }[]
}

export interface PowFile {
  source: string
  vectors: { challenge: string; difficulty: number; nonce: number; hash: string }[]
}

export interface SealedFile {
  source: string
  accountIdentity: {
    password: string
    salt: string
    params: KdfParams
    passwordRecipient: string
    recoveryKey: string
    escrowIdentity: string
    account: AccountIdentity
    sealed: SealedAccountIdentity
  }
  tipPart: { tip: TipIdentity; kind: TipPartKind; body: Json; part: string }
  tipKeyWrap: { reader: AccountIdentity; tip: TipIdentity; wrap: WrappedKey }
}

/** The shape of each committed vector file, by name. */
export interface VectorFiles {
  "fileStream.json": FileStreamFile
  "keyDirectory.json": KeyDirectoryFile
  "passwordKdf.json": PasswordKdfFile
  "pow.json": PowFile
  "receipt.json": ReceiptFile
  "recoveryKey.json": RecoveryKeyFile
  "sealed.json": SealedFile
}

/** Parses the committed vector file `name`. */
export function load<N extends keyof VectorFiles>(name: N): VectorFiles[N]
export function load(name: string): unknown
export function load(name: string): unknown {
  return JSON.parse(readFileSync(new URL(name, DIR), "utf8"))
}

export const hex = bytesToHex

/** Plaintext of a sealed chunk in fileStream.json: byte j is (j + index) mod 251. */
export function chunkPlaintext(index: number, length: number): Uint8Array {
  const start = index % 251
  return Uint8Array.from({ length }, (_, j) => (start + j) % 251)
}

/** Plaintext of a whole file in fileStream.json: byte i is i mod 251. */
export function filePlaintext(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => i % 251)
}

/** The FileSealer fileStream.json's chunks and files were sealed with. */
export function sealerOf(f: FileStreamFile): FileSealer {
  return new FileSealer({
    fileKey: hexToBytes(f.sealer.fileKey),
    header: hexToBytes(f.sealer.header),
  })
}
