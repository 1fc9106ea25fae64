import { openLabeled, sealLabeled } from "./_labeledSecret.js"
import { type AccountIdentity, createAccountIdentity } from "./accountIdentity.js"
import {
  type AgeIdentity,
  type AgeRecipient,
  decryptAddressed,
  encryptArmored,
  expectRecipient,
  recipientOf,
  secretFromIdentity,
} from "./age.js"
import { fromUtf8, utf8 } from "./encoding.js"
import { CryptoError } from "./errors.js"
import type { WrappedKey } from "./escrow.js"

const LABEL_TIP_KEY = "sotto/v1/tip-key"
const LABEL_PART = "sotto/v1/tip-part/"

/**
 * A tip's own key pair, drawn in the whistleblower's browser. Its recipient is shared only with
 * the people who hold a wrap, never sent to the relay in clear, so the relay cannot write to a tip.
 */
export type TipIdentity = AccountIdentity

/** What a sealed tip part holds: answers (the questionnaire), a comment, or file metadata. */
export type TipPartKind = "answers" | "comment" | "metadata"

/** A JSON value, as sealed inside a tip part. */
export type Json =
  | null
  | boolean
  | number
  | string
  | readonly Json[]
  | { readonly [key: string]: Json }

const KINDS: readonly TipPartKind[] = ["answers", "comment", "metadata"]

/** Draws a new tip identity. */
export function createTipIdentity(): Promise<TipIdentity> {
  return createAccountIdentity()
}

/**
 * Seals a JSON value to the tip as an armored age file; the plaintext names its kind
 * (`sotto/v1/tip-part/<kind>` line) so the relay cannot pass a comment off as answers.
 * @throws CryptoError `BAD_INPUT` on a bad recipient, kind or a value JSON cannot represent.
 */
export async function sealTipPart(
  tip: AgeRecipient,
  kind: TipPartKind,
  body: Json,
): Promise<string> {
  expectRecipient("tip", tip)
  expectKind(kind)
  let json: string | undefined
  try {
    json = JSON.stringify(body)
  } catch (cause) {
    throw new CryptoError("BAD_INPUT", `"body" is not serialisable as JSON`, { cause })
  }
  if (json === undefined) throw new CryptoError("BAD_INPUT", `"body" is not a JSON value`)
  return encryptArmored([tip], utf8(`${LABEL_PART}${kind}\n${json}`))
}

/**
 * Opens a tip part that belongs to the tip of `tip` and must be of `kind`.
 * @throws CryptoError `TAMPERED` when it does not authenticate or is of another kind.
 */
export async function openTipPart(
  part: string,
  tip: TipIdentity,
  kind: TipPartKind,
): Promise<Json> {
  expectKind(kind)
  const recipient = await recipientOf(tip.identity)
  const text = fromUtf8(await decryptAddressed(part, tip.identity, [recipient]))
  const prefix = `${LABEL_PART}${kind}\n`
  if (!text.startsWith(prefix)) throw new CryptoError("TAMPERED", `this tip part is not a ${kind}`)
  try {
    return JSON.parse(text.slice(prefix.length)) as Json
  } catch (cause) {
    throw new CryptoError("TAMPERED", "the tip part is not valid JSON", { cause })
  }
}

/**
 * Wraps the tip key to one reader: a recipient's account key, or the whistleblower's receipt key.
 * Granting access means adding such a wrap; revoking means deleting it.
 * @throws CryptoError `BAD_INPUT` on a malformed key.
 */
export function wrapTipKey(tip: TipIdentity, reader: AgeRecipient): Promise<WrappedKey> {
  secretFromIdentity("tip.identity", tip.identity)
  return sealLabeled(LABEL_TIP_KEY, tip.identity, [expectRecipient("reader", reader)])
}

/**
 * Opens a wrap with the reader's identity.
 * @throws CryptoError `WRONG_KEY` when the wrap is for someone else (e.g. after a revoke the reader
 * has no wrap of their own), `TAMPERED` when modified.
 */
export async function unwrapTipKey(wrap: WrappedKey, reader: AgeIdentity): Promise<TipIdentity> {
  const identity = await openLabeled(LABEL_TIP_KEY, wrap, reader)
  try {
    return { identity, recipient: await recipientOf(identity) }
  } catch (cause) {
    throw new CryptoError("TAMPERED", "the wrap holds no valid tip key", { cause })
  }
}

/**
 * Picks the reader's own wrap from a tip's wraps and opens it.
 * @throws CryptoError `WRONG_KEY` when none is addressed to the reader (no access, or revoked).
 */
export async function unwrapTipKeyFrom(
  wraps: readonly WrappedKey[],
  reader: AgeIdentity,
): Promise<TipIdentity> {
  const mine = await recipientOf(reader)
  const wrap = wraps.find((w) => w.to.includes(mine))
  if (!wrap) throw new CryptoError("WRONG_KEY", "no wrap of this tip is addressed to this reader")
  return unwrapTipKey(wrap, reader)
}

function expectKind(kind: unknown): asserts kind is TipPartKind {
  if (!KINDS.includes(kind as TipPartKind)) {
    throw new CryptoError("BAD_INPUT", `"kind" expected one of ${KINDS.join(", ")}`)
  }
}
