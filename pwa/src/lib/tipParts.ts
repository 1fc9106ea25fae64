import type {
  CheckedEntry,
  Json,
  QuestionSnapshot,
  TipIdentity,
  TipReaderTrust,
  TranscriptHead,
} from "@sotto/crypto-core"
import { crypto } from "./crypto.js"

// Opening what every reader of a tip sees (the whistleblower and staff alike): the answers, the
// comments and the files' metadata, each sealed to the tip key and opened in the tip worker.

/** File metadata as the sender's browser sealed it (lib/upload.ts `FileMeta`), read leniently. */
export interface OpenFileMeta {
  readonly name: string
  readonly type?: string
  readonly size?: number
  /** Lowercase hex SHA-256 of the plain file, as the sender's browser computed it. */
  readonly sha256?: string
}

/** The sealed parts of a tip as the relay hands them out. */
export interface SealedParts<
  C extends { readonly age: string },
  F extends { readonly meta: string },
> {
  readonly answers: string
  readonly comments: readonly C[]
  readonly files: readonly F[]
}

/** A problem the transcript check found with one message, in words (crypto-core codes). */
export interface EntryProblem {
  readonly code: string
  readonly message: string
}

/** How a comment or file record checked out (SPEC §6.2): shown beside it. */
export interface EntryCheck {
  /** True only when the signature, signer, chain and position all verify. */
  readonly authentic: boolean
  readonly problems: readonly EntryProblem[]
  /** The author the signed entry names: `wb`, or a staff user id; undefined when forged. */
  readonly signedBy?: string
}

/** The same parts opened and checked: comments carry `text`, files opened `meta`, both a check. */
export interface OpenedParts<C, F> {
  readonly answers: Readonly<Record<string, Json>>
  /** The questions exactly as the whistleblower saw them (sealed snapshot), in order. */
  readonly questions: readonly QuestionSnapshot[]
  /** Comments in written order; a forged one has empty `text`. */
  readonly comments: Array<Omit<C, "age"> & { readonly text: string } & EntryCheck>
  readonly files: Array<Omit<F, "meta"> & { readonly meta: OpenFileMeta } & EntryCheck>
  /** Where this reader's next comment or file goes in the transcript. */
  readonly head: TranscriptHead
}

/** A JSON object, or `{}` for anything else. */
export function recordOf(body: Json): Readonly<Record<string, Json>> {
  return body !== null && typeof body === "object" && !Array.isArray(body)
    ? (body as Readonly<Record<string, Json>>)
    : {}
}

/** A comment's words: the `text` of `{text}`, or a bare string. */
export function textOf(body: Json): string {
  if (typeof body === "string") return body
  const text = recordOf(body).text
  return typeof text === "string" ? text : ""
}

/** File metadata with a name to show even when the sealed one lacks it. */
export function fileMetaOf(body: Json): OpenFileMeta {
  const m = recordOf(body)
  return {
    name: typeof m.name === "string" ? m.name : "file",
    ...(typeof m.type === "string" ? { type: m.type } : {}),
    ...(typeof m.size === "number" ? { size: m.size } : {}),
    ...(typeof m.sha256 === "string" ? { sha256: m.sha256 } : {}),
  }
}

/**
 * Opens a tip's answers, comments and file metadata with its key and checks them in the tip
 * worker (crypto-core `readTip`): the binding (refused when it fails), the questionnaire
 * snapshot, and each comment and file record as a transcript entry.
 * @throws CryptoError `KEY_MISMATCH`, `BAD_SIGNATURE` or `TAMPERED` when the tip's binding does
 * not verify (the tip key is not the whistleblower's), `WRONG_KEY` for another tip's key.
 */
export async function openTipParts<
  C extends { readonly id: string; readonly age: string },
  F extends { readonly id: string; readonly meta: string },
>(key: TipIdentity, sealed: SealedParts<C, F>, trust: TipReaderTrust): Promise<OpenedParts<C, F>> {
  const checked = await crypto().tip.readTip(
    key,
    {
      answers: sealed.answers,
      comments: sealed.comments.map((c) => ({ id: c.id, age: c.age, ...authorOf(c) })),
      files: sealed.files.map((f) => ({ id: f.id, meta: f.meta, ...authorOf(f) })),
    },
    trust,
  )
  const check = (e: CheckedEntry): EntryCheck => ({
    authentic: e.authentic,
    problems: e.problems.map((p) => ({ code: p.code, message: p.message })),
    ...(e.entry ? { signedBy: e.entry.author.role === "staff" ? e.entry.author.id : "wb" } : {}),
  })
  const comments: OpenedParts<C, F>["comments"] = []
  const files: OpenedParts<C, F>["files"] = []
  for (const e of checked.transcript.entries) {
    if (e.list === "comment") {
      const c = sealed.comments.find((x) => x.id === e.ref)
      if (!c) continue
      const { age: _age, ...rest } = c
      comments.push({ ...rest, text: e.entry ? textOf(e.entry.content) : "", ...check(e) })
    } else {
      const f = sealed.files.find((x) => x.id === e.ref)
      if (!f) continue
      const { meta: _meta, ...rest } = f
      const meta = e.entry ? fileMetaOf(e.entry.content) : { name: "unverified file" }
      files.push({ ...rest, meta, ...check(e) })
    }
  }
  return {
    answers: recordOf(checked.answers.answers as Json),
    questions: checked.answers.questions,
    comments,
    files,
    head: checked.transcript.head,
  }
}

function authorOf(part: object): { author?: string } {
  const author = (part as { author?: unknown }).author
  return typeof author === "string" ? { author } : {}
}
