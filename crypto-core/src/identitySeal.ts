import { sha256 } from "@noble/hashes/sha2.js"
import { openLabeled, sealLabeled } from "./_labeledSecret.js"
import { createAccountIdentity } from "./accountIdentity.js"
import {
  type AgeIdentity,
  type AgeRecipient,
  decryptAddressed,
  encryptArmored,
  expectRecipient,
  recipientOf,
  secretFromIdentity,
} from "./age.js"
import { fromUtf8, toBase64url, utf8 } from "./encoding.js"
import { CryptoError } from "./errors.js"
import type { WrappedKey } from "./escrow.js"
import { type DirectoryCheck, type SignedKeyDirectory, verifyDirectory } from "./keyDirectory.js"
import type { Json, TipIdentity } from "./tip.js"

// A whistleblower's identity answers, sealed apart from the tip (SPEC §6.3): to an identity key of
// their own, whose wraps go to the context's custodians only; a custodian's browser re-wraps it to
// one recipient on approval, taking that recipient's key from the verified directory alone.

const LABEL_IDENTITY_KEY = "sotto/v2/identity-key"
const LABEL_IDENTITY_PART = "sotto/v2/identity"

/** The identity key pair: an age X25519 identity like a tip's, drawn in the whistleblower's browser. */
export type IdentityKey = TipIdentity

/** What the sealed identity part holds. */
export interface IdentityContent {
  readonly v: 2
  /** The recipient of the tip these answers belong to (a relay cannot move them to another tip). */
  readonly tip: AgeRecipient
  /** Answers to the fields marked `identity`, by field id. */
  readonly answers: Readonly<Record<string, Json>>
  /** The questions of those fields as the whistleblower saw them, by field id. */
  readonly labels?: Readonly<Record<string, string>>
}

/** Draws a new identity key. */
export function createIdentityKey(): Promise<IdentityKey> {
  return createAccountIdentity()
}

/**
 * Seals the identity answers to the identity key, as an armored age file whose plaintext is
 * `"sotto/v2/identity\n" ‖ JSON(IdentityContent)`.
 * @throws CryptoError `BAD_INPUT` on a malformed key.
 */
export function sealIdentity(
  identityKey: AgeRecipient,
  tip: AgeRecipient,
  answers: Readonly<Record<string, Json>>,
  labels?: Readonly<Record<string, string>>,
): Promise<string> {
  const content: IdentityContent = {
    v: 2,
    tip: expectRecipient("tip", tip),
    answers,
    ...(labels ? { labels } : {}),
  }
  const text = `${LABEL_IDENTITY_PART}\n${JSON.stringify(content)}`
  return encryptArmored([expectRecipient("identityKey", identityKey)], utf8(text))
}

/**
 * The digest the whistleblower puts in the sealed answers (`identity.digest`) so tip readers can
 * tell the identity part is the one the whistleblower sealed: b64u(SHA-256(armored part)).
 */
export function identityDigest(sealed: string): string {
  return toBase64url(sha256(utf8(sealed)))
}

/**
 * Opens the identity part with the identity key; it must belong to the tip `tip` (when given) and
 * match `digest` (from the tip's verified answers, when given).
 * @throws CryptoError `TAMPERED` when another key is given (as for tip parts, the reader's key is
 * the only addressee), when it is modified, of another kind, for another tip or off the digest.
 */
export async function openIdentity(
  sealed: string,
  identityKey: IdentityKey,
  expect: { tip?: AgeRecipient; digest?: string } = {},
): Promise<IdentityContent> {
  if (expect.digest !== undefined && identityDigest(sealed) !== expect.digest) {
    throw new CryptoError("TAMPERED", "the identity part is not the one the whistleblower sealed")
  }
  const recipient = await recipientOf(identityKey.identity)
  const text = fromUtf8(await decryptAddressed(sealed, identityKey.identity, [recipient]))
  const prefix = `${LABEL_IDENTITY_PART}\n`
  if (!text.startsWith(prefix)) throw new CryptoError("TAMPERED", "this part is not an identity")
  let content: IdentityContent
  try {
    content = JSON.parse(text.slice(prefix.length)) as IdentityContent
  } catch (cause) {
    throw new CryptoError("TAMPERED", "the identity part is not valid JSON", { cause })
  }
  if (content?.v !== 2 || typeof content.answers !== "object" || content.answers === null) {
    throw new CryptoError("TAMPERED", "the identity part has no answers")
  }
  if (expect.tip !== undefined && content.tip !== expect.tip) {
    throw new CryptoError("TAMPERED", "the identity part belongs to another tip")
  }
  return content
}

/**
 * Wraps the identity key to one reader (a custodian, or a recipient a custodian approved), with the
 * §2 labelled seal `sotto/v2/identity-key`, so a tip-key wrap can never pass for one.
 * @throws CryptoError `BAD_INPUT` on a malformed key.
 */
export function wrapIdentityKey(key: IdentityKey, reader: AgeRecipient): Promise<WrappedKey> {
  secretFromIdentity("key.identity", key.identity)
  return sealLabeled(LABEL_IDENTITY_KEY, key.identity, [expectRecipient("reader", reader)])
}

/**
 * Opens an identity key wrap.
 * @throws CryptoError `WRONG_KEY` when it is for someone else, `TAMPERED` when modified.
 */
export async function unwrapIdentityKey(
  wrap: WrappedKey,
  reader: AgeIdentity,
): Promise<IdentityKey> {
  const identity = await openLabeled(LABEL_IDENTITY_KEY, wrap, reader)
  try {
    return { identity, recipient: await recipientOf(identity) }
  } catch (cause) {
    throw new CryptoError("TAMPERED", "the wrap holds no valid identity key", { cause })
  }
}

/** What a custodian's browser needs to approve a request. */
export interface IdentityApproval {
  /** The context's signed directory, as the relay served it (verified here, never trusted). */
  readonly signed: SignedKeyDirectory
  /** The node's directory signer this browser pinned (from the verified node manifest). */
  readonly pin: string
  readonly check?: DirectoryCheck
  /** The context the tip belongs to (the directory must be this context's). */
  readonly contextId: string
  /** The recipient who asked. */
  readonly requesterId: string
  /** The custodian's own wrap of the identity key, and their account identity. */
  readonly custodianWrap: WrappedKey
  readonly custodian: AgeIdentity
}

/**
 * Approves an identity request in the custodian's browser: verifies the directory against the pin,
 * takes the requester's key from its `recipients` (never from anything else the relay says),
 * opens the custodian's wrap and wraps the identity key to that key.
 * @throws CryptoError `KEY_MISMATCH`, `BAD_SIGNATURE`, `EXPIRED`, `STALE` from the directory check;
 * `NOT_CERTIFIED` when the directory is for another context or the requester is not one of its
 * recipients; `WRONG_KEY`/`TAMPERED` from the custodian's wrap.
 */
export async function approveIdentityRequest(a: IdentityApproval): Promise<WrappedKey> {
  const { directory } = verifyDirectory(a.signed, a.pin, a.check)
  if (directory.context !== a.contextId) {
    throw new CryptoError("NOT_CERTIFIED", "the key directory is for another context")
  }
  const entry = directory.recipients.find((e) => e.id === a.requesterId)
  if (!entry) {
    throw new CryptoError(
      "NOT_CERTIFIED",
      "the person asking is not a recipient in this context's signed key directory",
    )
  }
  const key = await unwrapIdentityKey(a.custodianWrap, a.custodian)
  return wrapIdentityKey(key, entry.recipient)
}

const LABEL_REQUEST_REASON = "sotto/v2/identity-request"
/** The longest reason a recipient may write for an identity request (characters). */
export const MAX_REASON_CHARS = 2000

/**
 * Seals a recipient's written reason for an identity request to the context's custodians (from
 * the verified directory), with the §2 labelled seal: the relay stores it but cannot read it.
 * @throws CryptoError `BAD_INPUT` for an empty or too long reason, or no custodian.
 */
export function sealIdentityReason(
  reason: string,
  custodians: readonly AgeRecipient[],
): Promise<WrappedKey> {
  const text = reason.trim()
  if (text.length === 0 || text.length > MAX_REASON_CHARS) {
    throw new CryptoError("BAD_INPUT", `"reason" must be 1 to ${MAX_REASON_CHARS} characters`)
  }
  if (custodians.length === 0) throw new CryptoError("BAD_INPUT", `"custodians" is empty`)
  return sealLabeled(LABEL_REQUEST_REASON, text, custodians)
}

/**
 * Opens a request's reason with a custodian's identity.
 * @throws CryptoError `WRONG_KEY` when not sealed to this custodian, `TAMPERED` when modified.
 */
export function openIdentityReason(sealed: WrappedKey, custodian: AgeIdentity): Promise<string> {
  return openLabeled(LABEL_REQUEST_REASON, sealed, custodian)
}
