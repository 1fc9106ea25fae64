import { sha256 } from "@noble/hashes/sha2.js"
import { accountSigningKey } from "./accountSigning.js"
import { type AgeIdentity, type AgeRecipient, expectRecipient } from "./age.js"
import { toBase64url, utf8 } from "./encoding.js"
import { CryptoError } from "./errors.js"
import type { SigningKeyPair } from "./keyDirectory.js"
import { receiptSigningKey } from "./receipt.js"
import { type SignedStatement, signStatement } from "./signedStatement.js"
import { type Json, openTipPart, sealTipPart, type TipIdentity } from "./tip.js"

/** Statement label of a transcript entry (SPEC §6.2). */
export const TRANSCRIPT_ENTRY_LABEL = "sotto/v2/transcript-entry"

/** Who wrote an entry: the whistleblower, or a staff user by id. */
export type TranscriptAuthor =
  | { readonly role: "whistleblower" }
  | { readonly role: "staff"; readonly id: string }

/** What a transcript entry records: a comment's text or a file's metadata. */
export type TranscriptKind = "comment" | "file"

/** The signed body of one comment or file record, sealed to the tip key. */
export interface TranscriptEntry {
  readonly v: 2
  /** 1 for the first entry after the binding, then +1 per entry. */
  readonly seq: number
  /** {@link entryHash} of the previous sealed entry, or `bindingHash` for `seq` 1. */
  readonly prev: string
  readonly author: TranscriptAuthor
  readonly kind: TranscriptKind
  /** ISO 8601 time of writing, as the author's device saw it. */
  readonly at: string
  /** `{text}` for a comment, the file's metadata for a file. */
  readonly content: Json
}

/** Where the next entry goes: after the last entry whose signature verified, or the binding. */
export interface TranscriptHead {
  readonly seq: number
  readonly hash: string
}

/** b64u(SHA-256(utf8(sealed entry))): what the next entry's `prev` names. */
export function entryHash(sealed: string): string {
  return toBase64url(sha256(utf8(sealed)))
}

/**
 * The key an author signs with: staff sign with their account signing key (from the account
 * identity), the whistleblower with the key derived from the receipt identity.
 * @throws CryptoError `BAD_INPUT` when `identity` is not an X25519 identity.
 */
export function authorSigningKey(author: TranscriptAuthor, identity: AgeIdentity): SigningKeyPair {
  return author.role === "staff" ? accountSigningKey(identity) : receiptSigningKey(identity)
}

/**
 * Seals the next transcript entry: signed by `identity`'s key for `author`, chained after `head`,
 * encrypted to the tip as a `comment` or `metadata` part.
 * @returns the armored part and the new head (to chain a following entry, e.g. several files).
 * @throws CryptoError `BAD_INPUT` on a bad recipient, identity or content.
 */
export async function sealTranscriptEntry(request: {
  readonly tip: AgeRecipient
  readonly head: TranscriptHead
  readonly author: TranscriptAuthor
  readonly identity: AgeIdentity
  readonly kind: TranscriptKind
  readonly content: Json
  readonly at?: Date
}): Promise<{ readonly sealed: string; readonly head: TranscriptHead }> {
  const tip = expectRecipient("tip", request.tip)
  const { head, author } = request
  if (!Number.isSafeInteger(head.seq) || head.seq < 0 || typeof head.hash !== "string") {
    throw new CryptoError("BAD_INPUT", `"head" expected {seq, hash}`)
  }
  if (author.role === "staff" && typeof author.id !== "string") {
    throw new CryptoError("BAD_INPUT", `"author.id" expected a user id`)
  }
  const entry: TranscriptEntry = {
    v: 2,
    seq: head.seq + 1,
    prev: head.hash,
    author: author.role === "staff" ? { role: "staff", id: author.id } : { role: "whistleblower" },
    kind: request.kind,
    at: (request.at ?? new Date()).toISOString(),
    content: request.content,
  }
  const signed = signStatement(
    TRANSCRIPT_ENTRY_LABEL,
    entry,
    authorSigningKey(author, request.identity),
  )
  const sealed = await sealTipPart(tip, partKind(request.kind), signed as unknown as Json)
  return { sealed, head: { seq: entry.seq, hash: entryHash(sealed) } }
}

/**
 * Opens a sealed entry without judging it (see `verifyTranscript`).
 * @returns the signed statement as sealed, or undefined when it cannot be opened.
 */
export async function openTranscriptEntry(
  sealed: string,
  tip: TipIdentity,
  kind: TranscriptKind,
): Promise<SignedStatement<TranscriptEntry> | undefined> {
  try {
    return (await openTipPart(
      sealed,
      tip,
      partKind(kind),
    )) as unknown as SignedStatement<TranscriptEntry>
  } catch (error) {
    if (error instanceof CryptoError && error.code === "TAMPERED") return undefined
    throw error
  }
}

function partKind(kind: TranscriptKind): "comment" | "metadata" {
  if (kind !== "comment" && kind !== "file") {
    throw new CryptoError("BAD_INPUT", `"kind" expected comment or file`)
  }
  return kind === "comment" ? "comment" : "metadata"
}
