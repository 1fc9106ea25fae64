import type { Json, TipIdentity } from "@sotto/crypto-core"
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

/** The same parts opened: comments carry `text` instead of `age`, files opened `meta`. */
export interface OpenedParts<C, F> {
  readonly answers: Readonly<Record<string, Json>>
  readonly comments: Array<Omit<C, "age"> & { readonly text: string }>
  readonly files: Array<Omit<F, "meta"> & { readonly meta: OpenFileMeta }>
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
 * Opens a tip's answers, comments and file metadata with its key, in the tip worker.
 * @throws CryptoError `TAMPERED` when any part was changed, `WRONG_KEY` for another tip's key.
 */
export async function openTipParts<
  C extends { readonly age: string },
  F extends { readonly meta: string },
>(key: TipIdentity, sealed: SealedParts<C, F>): Promise<OpenedParts<C, F>> {
  const worker = crypto().tip
  const [answers, comments, files] = await Promise.all([
    worker.openTipPart(sealed.answers, key, "answers"),
    Promise.all(
      sealed.comments.map(async ({ age, ...rest }) => ({
        ...rest,
        text: textOf(await worker.openTipPart(age, key, "comment")),
      })),
    ),
    Promise.all(
      sealed.files.map(async ({ meta, ...rest }) => ({
        ...rest,
        meta: fileMetaOf(await worker.openTipPart(meta, key, "metadata")),
      })),
    ),
  ])
  return { answers: recordOf(answers), comments, files }
}
