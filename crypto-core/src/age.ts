import { randomBytes } from "@noble/hashes/utils.js"
import { bech32 } from "@scure/base"
import { armor, Decrypter, Encrypter, type Identity, type Recipient } from "age-encryption"
import { expectBytes, expectString } from "./_validate.js"
import { X25519StanzaIdentity, X25519StanzaRecipient, x25519PublicKey } from "./_x25519Stanza.js"
import { CryptoError } from "./errors.js"

/** An age X25519 identity string, `AGE-SECRET-KEY-1…` (a private key: never leaves the browser). */
export type AgeIdentity = string
/** An age X25519 recipient string, `age1…` (a public key). */
export type AgeRecipient = string

const IDENTITY_HRP = "age-secret-key-"
const RECIPIENT_HRP = "age"

/**
 * Encodes 32 secret bytes as an age X25519 identity, exactly as `age-keygen` does
 * (Bech32, HRP `AGE-SECRET-KEY-`, upper case).
 * @throws CryptoError `BAD_INPUT` unless `secret` is 32 bytes.
 */
export function identityFromSecret(secret: Uint8Array): AgeIdentity {
  expectBytes("secret", secret, 32)
  return bech32.encode(IDENTITY_HRP, bech32.toWords(secret), false).toUpperCase()
}

/**
 * Decodes an age X25519 identity to its 32 secret bytes.
 * @throws CryptoError `BAD_INPUT` naming `name` when it is not a valid X25519 identity.
 */
export function secretFromIdentity(name: string, identity: unknown): Uint8Array {
  const s = expectString(name, identity, 200)
  try {
    const { prefix, words } = bech32.decode(s.toLowerCase() as `${string}1${string}`, false)
    const bytes = bech32.fromWords(words)
    if (prefix === IDENTITY_HRP && bytes.length === 32 && s === s.toUpperCase()) return bytes
  } catch {
    // fall through to the single error below
  }
  throw new CryptoError("BAD_INPUT", `"${name}" is not an age X25519 identity (AGE-SECRET-KEY-1…)`)
}

/** Draws a fresh random X25519 identity from `crypto.getRandomValues`. */
export function generateAgeIdentity(): AgeIdentity {
  return identityFromSecret(randomBytes(32))
}

/**
 * The recipient (public key) of an identity.
 * @throws CryptoError `BAD_INPUT` when `identity` is not an X25519 identity.
 */
export async function recipientOf(identity: AgeIdentity): Promise<AgeRecipient> {
  const publicKey = x25519PublicKey(secretFromIdentity("identity", identity))
  return bech32.encode(RECIPIENT_HRP, bech32.toWords(publicKey), false)
}

/** The age-encryption Recipient object for a recipient string (our pure-JS X25519 stanza). */
export function stanzaRecipient(name: string, recipient: unknown): Recipient {
  const r = expectRecipient(name, recipient)
  return new X25519StanzaRecipient(
    bech32.fromWords(bech32.decode(r as `${string}1${string}`, false).words),
  )
}

/** The age-encryption Identity object for an identity string (our pure-JS X25519 stanza). */
export function stanzaIdentity(name: string, identity: unknown): Identity {
  return new X25519StanzaIdentity(secretFromIdentity(name, identity))
}

/** True when `recipient` is a well-formed age X25519 recipient (checksum included). */
export function isAgeRecipient(recipient: unknown): recipient is AgeRecipient {
  if (typeof recipient !== "string" || recipient.length > 200) return false
  try {
    const { prefix, words } = bech32.decode(recipient as `${string}1${string}`, false)
    return prefix === RECIPIENT_HRP && bech32.fromWords(words).length === 32
  } catch {
    return false
  }
}

/**
 * Checks an age X25519 recipient given by a caller.
 * @throws CryptoError `BAD_INPUT` naming `name` otherwise.
 */
export function expectRecipient(name: string, recipient: unknown): AgeRecipient {
  if (!isAgeRecipient(recipient)) {
    throw new CryptoError("BAD_INPUT", `"${name}" is not an age X25519 recipient (age1…)`)
  }
  return recipient
}

/** Encrypts `plaintext` to every recipient as one binary age v1 file. */
export async function encryptToRecipients(
  recipients: readonly AgeRecipient[],
  plaintext: Uint8Array,
): Promise<Uint8Array> {
  if (recipients.length === 0) throw new CryptoError("BAD_INPUT", `"recipients" must not be empty`)
  const e = new Encrypter()
  recipients.forEach((r, i) => {
    e.addRecipient(stanzaRecipient(`recipients[${i}]`, r))
  })
  return e.encrypt(expectBytes("plaintext", plaintext))
}

/** Encrypts `plaintext` to every recipient as an ASCII-armored age v1 file (safe inside JSON). */
export async function encryptArmored(
  recipients: readonly AgeRecipient[],
  plaintext: Uint8Array,
): Promise<string> {
  return armor.encode(await encryptToRecipients(recipients, plaintext))
}

/**
 * Who the caller believes an age file is addressed to. With a list, failures are unambiguous: an
 * identity outside it is `WRONG_KEY`, and an addressed file that does not open is `TAMPERED`.
 * Without one (an import from elsewhere), "no stanza matched" is `WRONG_KEY`, anything else `TAMPERED`.
 */
export type AddressedTo = readonly string[] | undefined

/**
 * Decrypts a whole age file (binary, or armored text) held in memory.
 * @throws CryptoError `WRONG_KEY`, `TAMPERED` or `BAD_INPUT`.
 */
export async function decryptAgeFile(
  file: Uint8Array | string,
  identity: AgeIdentity,
  addressedTo: AddressedTo,
): Promise<Uint8Array> {
  await checkAddressed(identity, addressedTo)
  try {
    const bytes = typeof file === "string" ? armor.decode(file) : file
    const d = new Decrypter()
    d.addIdentity(stanzaIdentity("identity", identity))
    return await d.decrypt(bytes)
  } catch (cause) {
    throw classifyFailure(cause, addressedTo)
  }
}

/**
 * Recovers the 16-byte file key from an age header (everything up to and including the MAC line),
 * checking the header MAC. Used by the streaming and chunk-by-chunk file readers.
 * @throws CryptoError `WRONG_KEY`, `TAMPERED` or `BAD_INPUT`.
 */
export async function decryptAgeHeader(
  header: Uint8Array,
  identity: AgeIdentity,
  addressedTo: AddressedTo,
): Promise<Uint8Array> {
  await checkAddressed(identity, addressedTo)
  try {
    const d = new Decrypter()
    d.addIdentity(stanzaIdentity("identity", identity))
    return await d.decryptHeader(header)
  } catch (cause) {
    throw classifyFailure(cause, addressedTo)
  }
}

/** Shorthand for {@link decryptAgeFile} with a list of recipients. */
export function decryptAddressed(
  file: Uint8Array | string,
  identity: AgeIdentity,
  addressedTo: readonly string[],
): Promise<Uint8Array> {
  return decryptAgeFile(file, identity, addressedTo)
}

async function checkAddressed(identity: AgeIdentity, addressedTo: AddressedTo): Promise<void> {
  const mine = await recipientOf(identity)
  if (addressedTo === undefined) return
  for (const r of addressedTo) {
    if (!isAgeRecipient(r)) throw new CryptoError("TAMPERED", "a stored recipient is malformed")
  }
  if (!addressedTo.includes(mine)) {
    throw new CryptoError("WRONG_KEY", "this key is not one of the object's recipients")
  }
}

function classifyFailure(cause: unknown, addressedTo: AddressedTo): CryptoError {
  if (cause instanceof CryptoError) return cause
  const noMatch = cause instanceof Error && /no identity matched/i.test(cause.message)
  if (noMatch && addressedTo === undefined) {
    return new CryptoError("WRONG_KEY", "this key does not open the file", { cause })
  }
  return new CryptoError("TAMPERED", "the encrypted object does not authenticate", { cause })
}
