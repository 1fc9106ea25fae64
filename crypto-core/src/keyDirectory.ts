import canonicalize from "canonicalize"
import nacl from "tweetnacl"
import { openLabeled, sealLabeled } from "./_labeledSecret.js"
import { expectBytes, expectInteger, expectString } from "./_validate.js"
import { type AgeIdentity, type AgeRecipient, isAgeRecipient } from "./age.js"
import { concatBytes, fromBase64url, toBase64url, utf8 } from "./encoding.js"
import { CryptoError } from "./errors.js"
import type { WrappedKey } from "./escrow.js"

const LABEL_SIGNING_KEY = "sotto/v1/signing-key"
const LABEL_DIRECTORY = "sotto/v2/key-directory"
/** Default lifetime of a signed directory: the console warns before it ends and re-signs. */
export const DIRECTORY_LIFETIME_DAYS = 180

/** One recipient a context's tips are wrapped to. */
export interface DirectoryEntry {
  /** The relay's user id. */
  readonly id: string
  /** Display name shown to the whistleblower. */
  readonly name: string
  readonly recipient: AgeRecipient
  /**
   * The user's account signing public key (base64url, `accountSigner`), which their transcript
   * entries must be signed with (protocol v2); absent for a user whose messages cannot verify.
   */
  readonly signer?: string
}

/** The recipients of one context, as the node vouches for them. */
export interface KeyDirectory {
  readonly v: 2
  readonly context: string
  /** Starts at 1 per context, +1 on every re-sign; clients refuse a lower one than they saw. */
  readonly version: number
  /** ISO 8601 time of signing. */
  readonly issuedAt: string
  /** ISO 8601 time after which clients refuse this directory (see {@link DIRECTORY_LIFETIME_DAYS}). */
  readonly expiresAt: string
  /** Sorted by `id`. */
  readonly recipients: readonly DirectoryEntry[]
  /**
   * The context's identity custodians (SPEC §8.1), sorted by `id`, none of them a recipient: the
   * only keys a whistleblower's identity answers are sealed to. Absent: the context has none.
   */
  readonly custodians?: readonly DirectoryEntry[]
}

/** A directory with its Ed25519 signature and the signer's public key (both base64url). */
export interface SignedKeyDirectory {
  readonly directory: KeyDirectory
  readonly signer: string
  readonly signature: string
}

/** The node signing key pair (tweetnacl Ed25519): 32-byte public key, 64-byte secret key. */
export interface SigningKeyPair {
  readonly publicKey: Uint8Array
  readonly secretKey: Uint8Array
}

/** Draws the node signing key pair, in the first admin's browser at setup. */
export function createSigningKey(): SigningKeyPair {
  return nacl.sign.keyPair()
}

/** Wraps the signing key's 32-byte seed to an admin, as an armored age file. */
export function wrapSigningKey(key: SigningKeyPair, admin: AgeRecipient): Promise<WrappedKey> {
  const seed = expectBytes("key.secretKey", key.secretKey, 64).subarray(0, 32)
  return sealLabeled(LABEL_SIGNING_KEY, toBase64url(seed), [admin])
}

/**
 * Opens an admin's signing key wrap.
 * @throws CryptoError `WRONG_KEY` or `TAMPERED`.
 */
export async function openSigningKey(
  wrap: WrappedKey,
  admin: AgeIdentity,
): Promise<SigningKeyPair> {
  const seed = fromBase64url("seed", await openLabeled(LABEL_SIGNING_KEY, wrap, admin))
  if (seed.length !== 32) throw new CryptoError("TAMPERED", "the signing key wrap holds no seed")
  return nacl.sign.keyPair.fromSeed(seed)
}

/** The expiry of a directory signed at `issuedAt`, {@link DIRECTORY_LIFETIME_DAYS} later by default. */
export function directoryExpiry(issuedAt: Date, days: number = DIRECTORY_LIFETIME_DAYS): string {
  return new Date(issuedAt.getTime() + days * 86_400_000).toISOString()
}

/** What a client remembers of the directories it saw, for {@link verifyDirectory}. */
export interface DirectoryCheck {
  /** The highest version of this context's directory seen before. */
  readonly seenVersion?: number
  /** The time to check expiry against (ms since the epoch), default now. */
  readonly now?: number
}

/**
 * The exact bytes that are signed: `"sotto/v2/key-directory\n"` followed by the RFC 8785 (JCS)
 * canonical JSON of the directory.
 * @throws CryptoError `BAD_INPUT` when the directory is malformed or not sorted by id.
 */
export function encodeDirectory(directory: KeyDirectory): Uint8Array {
  checkDirectory(directory)
  return concatBytes(utf8(`${LABEL_DIRECTORY}\n`), utf8(canonicalize(directory) ?? ""))
}

/** Signs a directory, sorting its entries by id first. */
export function signDirectory(directory: KeyDirectory, key: SigningKeyPair): SignedKeyDirectory {
  const byId = (a: DirectoryEntry, b: DirectoryEntry) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  const sorted: KeyDirectory = {
    ...directory,
    recipients: [...directory.recipients].sort(byId),
    ...(directory.custodians ? { custodians: [...directory.custodians].sort(byId) } : {}),
  }
  const signature = nacl.sign.detached(
    encodeDirectory(sorted),
    expectBytes("key.secretKey", key.secretKey, 64),
  )
  return {
    directory: sorted,
    signer: toBase64url(key.publicKey),
    signature: toBase64url(signature),
  }
}

/**
 * Verifies a signed directory against the node signing key the client pinned (from the verified
 * manifest), then its freshness: not expired and not older than the version seen before.
 * With `pinned` undefined this is the first use: the signer becomes the pin.
 * @returns the directory and the pin to keep.
 * @throws CryptoError `KEY_MISMATCH` when signed by another key than the pin, `BAD_SIGNATURE` when
 * the signature does not verify or the directory is malformed, `EXPIRED` past `expiresAt`,
 * `STALE` below `check.seenVersion`.
 */
export function verifyDirectory(
  signed: SignedKeyDirectory,
  pinned: string | undefined,
  check: DirectoryCheck = {},
): { readonly directory: KeyDirectory; readonly pin: string } {
  const signer = expectString("signed.signer", signed?.signer, 100)
  if (pinned !== undefined && signer !== pinned) {
    throw new CryptoError(
      "KEY_MISMATCH",
      "this node's key directory is signed by a different key than the one this device trusted before",
    )
  }
  const publicKey = fromBase64url("signed.signer", signer)
  const signature = fromBase64url("signed.signature", signed.signature)
  if (publicKey.length !== 32 || signature.length !== 64) {
    throw new CryptoError("BAD_SIGNATURE", "the directory signature is malformed")
  }
  let message: Uint8Array
  try {
    message = encodeDirectory(signed.directory)
  } catch (cause) {
    throw new CryptoError("BAD_SIGNATURE", "the signed directory is malformed", { cause })
  }
  if (!nacl.sign.detached.verify(message, signature, publicKey)) {
    throw new CryptoError("BAD_SIGNATURE", "the key directory's signature does not verify")
  }
  const d = signed.directory
  if (Date.parse(d.expiresAt) <= (check.now ?? Date.now())) {
    throw new CryptoError("EXPIRED", `the key directory expired at ${d.expiresAt}`)
  }
  if (check.seenVersion !== undefined && d.version < check.seenVersion) {
    throw new CryptoError(
      "STALE",
      `the key directory is version ${d.version}, older than version ${check.seenVersion} seen before`,
    )
  }
  return { directory: d, pin: signer }
}

function checkDirectory(d: KeyDirectory): void {
  if (typeof d !== "object" || d === null || d.v !== 2) {
    throw new CryptoError("BAD_INPUT", `"directory.v" expected 2`)
  }
  expectString("directory.context", d.context, 200)
  expectInteger("directory.version", d.version, 1, Number.MAX_SAFE_INTEGER)
  for (const field of ["issuedAt", "expiresAt"] as const) {
    if (Number.isNaN(Date.parse(expectString(`directory.${field}`, d[field], 40)))) {
      throw new CryptoError("BAD_INPUT", `"directory.${field}" expected an ISO 8601 time`)
    }
  }
  checkEntries("recipients", d.recipients)
  if (d.custodians === undefined) return
  checkEntries("custodians", d.custodians)
  // A custodian who also received tips would read identities without anyone's approval.
  const recipients = new Set(d.recipients.map((e) => e.id))
  for (const [i, e] of d.custodians.entries()) {
    if (recipients.has(e.id)) {
      throw new CryptoError("BAD_INPUT", `"directory.custodians[${i}]" is also a recipient`)
    }
  }
}

function checkEntries(list: "recipients" | "custodians", entries: unknown): void {
  if (!Array.isArray(entries)) {
    throw new CryptoError("BAD_INPUT", `"directory.${list}" expected an array`)
  }
  const typed = entries as readonly DirectoryEntry[]
  typed.forEach((e, i) => {
    expectString(`directory.${list}[${i}].id`, e.id, 200)
    expectString(`directory.${list}[${i}].name`, e.name, 200)
    if (!isAgeRecipient(e.recipient)) {
      throw new CryptoError(
        "BAD_INPUT",
        `"directory.${list}[${i}].recipient" is not an age recipient`,
      )
    }
    if (e.signer !== undefined && !/^[A-Za-z0-9_-]{43}$/.test(String(e.signer))) {
      throw new CryptoError(
        "BAD_INPUT",
        `"directory.${list}[${i}].signer" expected a base64url Ed25519 public key`,
      )
    }
    const prev = typed[i - 1]
    if (prev && prev.id >= e.id) {
      throw new CryptoError("BAD_INPUT", `"directory.${list}" must be sorted by unique id`)
    }
  })
}
