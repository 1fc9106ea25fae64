import type { DirectoryEntry } from "./keyDirectory.js"
import type { TipIdentity } from "./tip.js"
import { type OpenedAnswers, openAnswers } from "./tipBinding.js"
import { entryHash, openTranscriptEntry, type TranscriptKind } from "./tipTranscript.js"
import {
  type CheckedTranscript,
  type DeliveredEntry,
  verifyTranscript,
} from "./tipTranscriptCheck.js"

/** A tip's sealed parts as the relay hands them out (staff and whistleblower views alike). */
export interface SealedTipRead {
  readonly answers: string
  readonly comments: readonly {
    readonly id: string
    readonly author?: string
    readonly age: string
  }[]
  readonly files: readonly {
    readonly id: string
    readonly author?: string
    readonly meta: string
  }[]
}

/** What a reader trusts of its own accord when it reads a tip. */
export interface TipReaderTrust {
  /** Staff see user ids as relay authors, the whistleblower sees `recipient`. */
  readonly view: "staff" | "whistleblower"
  /**
   * The whistleblower's signing key re-derived from the typed receipt (whistleblower view);
   * staff take it from the verified answers.
   */
  readonly whistleblower?: string
  /** The tip's context, when the reader knows it; the binding must name it. */
  readonly context?: string
  /** The recipients of the current verified key directory (their `signer`s sign as staff). */
  readonly directory: readonly Pick<DirectoryEntry, "id" | "signer">[]
}

/** A tip read and checked: bound answers with their questionnaire snapshot, the transcript. */
export interface CheckedTip {
  readonly answers: OpenedAnswers
  readonly transcript: CheckedTranscript
}

/**
 * Opens and checks a whole tip: the binding (refusing the tip when it does not verify), then
 * every comment and file record as a transcript entry, each judged and annotated.
 * @throws CryptoError `KEY_MISMATCH`, `BAD_SIGNATURE` or `TAMPERED` when the answers or the
 * binding do not verify (the tip key is not the whistleblower's), `WRONG_KEY` for another tip.
 */
export async function readTip(
  tip: TipIdentity,
  sealed: SealedTipRead,
  trust: TipReaderTrust,
): Promise<CheckedTip> {
  const answers = await openAnswers(sealed.answers, tip, {
    ...(trust.whistleblower === undefined ? {} : { whistleblower: trust.whistleblower }),
    ...(trust.context === undefined ? {} : { context: trust.context }),
  })
  const deliver = async (
    ref: string,
    list: TranscriptKind,
    text: string,
    relayAuthor: string | undefined,
  ): Promise<DeliveredEntry> => ({
    ref,
    list,
    hash: entryHash(text),
    signed: await openTranscriptEntry(text, tip, list),
    ...(relayAuthor === undefined ? {} : { relayAuthor }),
  })
  const delivered = await Promise.all([
    ...sealed.comments.map((c) => deliver(c.id, "comment", c.age, c.author)),
    ...sealed.files.map((f) => deliver(f.id, "file", f.meta, f.author)),
  ])
  const staff = new Map<string, string>()
  for (const e of trust.directory) if (e.signer !== undefined) staff.set(e.id, e.signer)
  const transcript = verifyTranscript(delivered, {
    bindingHash: answers.bindingHash,
    whistleblower: answers.whistleblower,
    staff,
    view: trust.view,
  })
  return { answers, transcript }
}
