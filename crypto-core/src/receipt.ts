import { hkdf } from "@noble/hashes/hkdf.js"
import { sha256 } from "@noble/hashes/sha2.js"
import { randomBytes } from "@noble/hashes/utils.js"
import nacl from "tweetnacl"
import { expectString } from "./_validate.js"
import { drawWords, wordlist } from "./_words.js"
import { type AgeIdentity, secretFromIdentity } from "./age.js"
import { utf8 } from "./encoding.js"
import { CryptoError } from "./errors.js"
import type { SigningKeyPair } from "./keyDirectory.js"
import { type DerivedKeys, type KdfOptions, type KdfParams, stretchSecret } from "./passwordKdf.js"

/**
 * A node's receipt pattern, parsed. Admins write either a digit template made of `\d`, `\d{n}`,
 * spaces and dashes (`\d{4} \d{4} \d{4} \d{4}`), or `words:N` for N words of the bundled
 * BIP-39 English list (2048 words, 11 bits each).
 */
export type ReceiptPattern =
  | {
      readonly kind: "digits"
      readonly source: string
      readonly digits: number
      readonly layout: string
    }
  | { readonly kind: "words"; readonly source: string; readonly words: number }

/** Sixteen digits shown in groups of four, as GlobaLeaks does. */
export const DEFAULT_RECEIPT_PATTERN = "\\d{4} \\d{4} \\d{4} \\d{4}"
/** Receipt scrypt cost: a mid-range phone must finish it in about a second. */
export const DEFAULT_RECEIPT_KDF_PARAMS: KdfParams = Object.freeze({ N: 2 ** 16, r: 8, p: 1 })
/** A pattern must give at least this much entropy. */
export const MIN_RECEIPT_BITS = 50

const LABEL_RECEIPT_AUTH = "sotto/v1/receipt/auth-key"
const LABEL_RECEIPT_IDENTITY = "sotto/v1/receipt/identity"
const LABEL_RECEIPT_SIGNING = "sotto/v2/receipt/signing-key"

/**
 * Parses and checks an admin's receipt pattern.
 * @throws CryptoError `BAD_INPUT` naming the unsupported part, `WEAK_PARAMS` under {@link MIN_RECEIPT_BITS}.
 */
export function parseReceiptPattern(pattern: string): ReceiptPattern {
  const source = expectString("pattern", pattern, 200)
  const words = /^words:(\d{1,2})$/.exec(source)
  if (words) {
    const n = Number(words[1])
    requireBits(source, n * 11)
    return { kind: "words", source, words: n }
  }
  let layout = ""
  let digits = 0
  for (let i = 0; i < source.length; ) {
    const token = /^\\d(?:\{(\d{1,2})\})?/.exec(source.slice(i))
    if (token) {
      const n = token[1] === undefined ? 1 : Number(token[1])
      if (n < 1) throw new CryptoError("BAD_INPUT", `receipt pattern: \\d{0} at position ${i + 1}`)
      layout += "#".repeat(n)
      digits += n
      i += token[0].length
    } else if (source[i] === " " || source[i] === "-") {
      layout += source[i]
      i++
    } else {
      throw new CryptoError(
        "BAD_INPUT",
        `receipt pattern: "${source[i]}" at position ${i + 1} is not supported (use \\d, \\d{n}, spaces, dashes, or words:N)`,
      )
    }
  }
  requireBits(source, digits * Math.log2(10))
  return { kind: "digits", source, digits, layout }
}

function requireBits(source: string, bits: number): void {
  if (bits < MIN_RECEIPT_BITS) {
    throw new CryptoError(
      "WEAK_PARAMS",
      `receipt pattern "${source}" gives ${bits.toFixed(1)} bits; at least ${MIN_RECEIPT_BITS} are required`,
    )
  }
}

/**
 * How hard a receipt of this pattern is to guess: its entropy in bits (`digits·log2(10)` or
 * `11·words`) and a sentence for the console. Never throws: an invalid pattern gives `bits: 0`
 * and the reason, so a form can show it while the admin types.
 */
export function receiptStrength(pattern: string): { readonly bits: number; readonly text: string } {
  let p: ReceiptPattern
  try {
    p = parseReceiptPattern(pattern)
  } catch (e) {
    return { bits: 0, text: e instanceof Error ? e.message : "not a receipt pattern" }
  }
  const bits = p.kind === "digits" ? p.digits * Math.log2(10) : p.words * 11
  const what = p.kind === "digits" ? `${p.digits} digits` : `${p.words} words`
  return {
    bits,
    text: `${what}: ${bits.toFixed(1)} bits, about 10^${(bits * Math.log10(2)).toFixed(0)} receipts`,
  }
}

/** Draws a receipt in the pattern's display form, uniformly at random (rejection sampling). */
export function drawReceipt(pattern: string = DEFAULT_RECEIPT_PATTERN): string {
  const p = parseReceiptPattern(pattern)
  if (p.kind === "words") {
    return drawWords(p.words).join(" ")
  }
  let out = ""
  for (const c of p.layout) out += c === "#" ? String(uniformDigit()) : c
  return out
}

function uniformDigit(): number {
  for (;;) {
    const b = randomBytes(1)[0] ?? 255
    if (b < 250) return b % 10
  }
}

/**
 * Turns what a whistleblower typed into the canonical receipt: the digits alone, or the words in
 * lower case joined by single spaces. Spaces, dashes, dots, underscores and full-width digits are
 * forgiven; a word may be shortened to a unique prefix of at least four letters.
 * @throws CryptoError `BAD_RECEIPT_FORMAT` saying what is wrong (length, a non-digit, an unknown word).
 */
export function normaliseReceipt(input: string, pattern: string = DEFAULT_RECEIPT_PATTERN): string {
  const p = parseReceiptPattern(pattern)
  const text = expectString("receipt", input, 1000).normalize("NFKC").toLowerCase()
  if (p.kind === "digits") {
    const digits = text.replace(/[\s._\-\u2010-\u2015]+/g, "")
    const bad = /[^0-9]/.exec(digits)
    if (bad) {
      throw new CryptoError(
        "BAD_RECEIPT_FORMAT",
        `"${bad[0]}" is not a digit: a receipt has only digits (${p.digits} of them)`,
      )
    }
    if (digits.length !== p.digits) {
      throw new CryptoError(
        "BAD_RECEIPT_FORMAT",
        `a receipt has ${p.digits} digits, this one has ${digits.length}`,
      )
    }
    return digits
  }
  const typed = text.split(/[\s._,\-\u2010-\u2015]+/).filter((w) => w.length > 0)
  if (typed.length !== p.words) {
    throw new CryptoError(
      "BAD_RECEIPT_FORMAT",
      `a receipt has ${p.words} words, this one has ${typed.length}`,
    )
  }
  return typed.map((w, i) => completeWord(w, i)).join(" ")
}

function completeWord(typed: string, index: number): string {
  if (wordlist.includes(typed)) return typed
  const matches = typed.length >= 4 ? wordlist.filter((w) => w.startsWith(typed)) : []
  if (matches.length === 1 && matches[0] !== undefined) return matches[0]
  throw new CryptoError(
    "BAD_RECEIPT_FORMAT",
    `word ${index + 1} ("${typed}") is not in the receipt word list`,
  )
}

/**
 * Derives the whistleblower's keys from a receipt: `scrypt(canonical receipt, nodeSalt)` then HKDF
 * into `authKey` (label `sotto/v1/receipt/auth-key`, used for lookup) and the WB identity
 * (label `sotto/v1/receipt/identity`, which opens the WB's wrap of each tip key).
 * @throws CryptoError `BAD_RECEIPT_FORMAT`, `WEAK_PARAMS`, `BAD_INPUT` or `ABORTED`.
 */
export async function deriveReceiptKeys(
  receipt: string,
  nodeSalt: Uint8Array,
  params: KdfParams = DEFAULT_RECEIPT_KDF_PARAMS,
  pattern: string = DEFAULT_RECEIPT_PATTERN,
  options: KdfOptions = {},
): Promise<DerivedKeys> {
  const canonical = normaliseReceipt(receipt, pattern)
  return stretchSecret(
    utf8(canonical),
    nodeSalt,
    params,
    { auth: LABEL_RECEIPT_AUTH, identity: LABEL_RECEIPT_IDENTITY },
    options,
  )
}

/**
 * The whistleblower's Ed25519 key pair (protocol v2), derived from the receipt identity of
 * {@link deriveReceiptKeys}: seed = HKDF-SHA-256(identity secret, ∅, "sotto/v2/receipt/signing-key",
 * 32). It signs the tip binding and the whistleblower's transcript entries; whoever typed the
 * receipt can re-derive it, and the relay, which never sees the receipt, cannot.
 * @throws CryptoError `BAD_INPUT` when `receiptIdentity` is not an X25519 identity.
 */
export function receiptSigningKey(receiptIdentity: AgeIdentity): SigningKeyPair {
  const secret = secretFromIdentity("receiptIdentity", receiptIdentity)
  return nacl.sign.keyPair.fromSeed(
    hkdf(sha256, secret, new Uint8Array(0), utf8(LABEL_RECEIPT_SIGNING), 32),
  )
}
