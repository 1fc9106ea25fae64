import type { Json, TipBundle } from "@sotto/crypto-core"
import { files } from "@sotto/protocol"
import { decryptWithPool } from "@sotto/workers"
import { relay } from "./api.js"
import { crypto } from "./crypto.js"
import { toHex } from "./format.js"
import type { SaveSink } from "./saveStream.js"
import { loadTipIdentity, openTipIdentity } from "./staffIdentity.js"
import type { OpenFile, OpenTip } from "./staffTips.js"

// Downloads of a tip's files, decrypted as a stream on a pool of file workers (every age chunk is
// verified before it is released) and written to disk as they come (lib/saveStream.ts), so a
// download never holds the file in the tab. Exports of a whole tip (age or OpenPGP) are made in
// the tip worker and still hold the tip in memory: see pwa/README.md.

/** A saved file's check: its SHA-256, and whether it matches what the sender's browser recorded. */
export interface FileCheck {
  /** Lowercase hex SHA-256 of the decrypted bytes, computed in a file worker. */
  readonly sha256: string
  /** undefined when the sender recorded no fingerprint. */
  readonly matches?: boolean
}

/** A decrypted file held in memory (for exports), and its check. */
export interface DecryptedFile extends FileCheck {
  readonly blob: Blob
}

/** The decrypted file is not the one the sender fingerprinted (SHA-256 or size differ). */
export class FileMismatchError extends Error {
  readonly code = "FILE_MISMATCH"
  constructor(name: string) {
    super(`"${name}" does not match the fingerprint its sender recorded`)
    this.name = "FileMismatchError"
  }
}

/**
 * Downloads and decrypts one file, handing each verified batch of plaintext to `write` in order
 * (the next batch is decrypted while `write` waits: that is the backpressure).
 * @returns the check and the plaintext size.
 * @throws RelayClientError from the download; CryptoError `WRONG_KEY`/`TAMPERED`; the abort reason.
 */
async function streamTipFile(
  session: string,
  tip: OpenTip,
  file: OpenFile,
  write: (plaintext: Uint8Array) => Promise<void>,
  onProgress: (done: number, total: number) => void,
  signal?: AbortSignal,
): Promise<FileCheck & { readonly size: number }> {
  const res = await relay.raw(files.downloadFile, {
    session,
    params: { fileId: file.id },
    ...(signal ? { signal } : {}),
  })
  if (!res.body) throw new TypeError("the download has no body")
  const total = file.meta.size ?? file.size
  const pool = crypto().filePool()
  try {
    let digest: Uint8Array | undefined
    let size = 0
    // The SHA-256 is computed inside the decrypt pipeline, not in a second pass.
    const plain = decryptWithPool(pool, res.body, tip.key.identity, {
      onProgress: (done) => onProgress(done, total),
      onDigest: (sha256) => {
        digest = sha256
      },
    })
    for await (const piece of plain as unknown as AsyncIterable<Uint8Array>) {
      size += piece.length
      await write(piece)
    }
    if (digest === undefined) throw new TypeError("the decrypted file has no digest")
    const sha256 = toHex(digest)
    const expected = file.meta.sha256?.toLowerCase()
    return {
      sha256,
      size,
      ...(expected ? { matches: expected === sha256 && size === (file.meta.size ?? size) } : {}),
    }
  } finally {
    pool.terminate()
  }
}

/**
 * Downloads, decrypts and saves one file into `sink` as it goes (see lib/saveStream.ts), then
 * checks the SHA-256 the sender sealed. On any failure, a mismatch included, the sink is aborted
 * so no finished file is left.
 * @throws FileMismatchError (`FILE_MISMATCH`); RelayClientError; CryptoError `WRONG_KEY` or
 * `TAMPERED`; SaveCancelledError when the download was cancelled in the browser; the abort reason.
 */
export async function saveTipFile(
  session: string,
  tip: OpenTip,
  file: OpenFile,
  sink: SaveSink,
  onProgress: (done: number, total: number) => void,
  signal?: AbortSignal,
): Promise<FileCheck> {
  let check: FileCheck
  try {
    check = await streamTipFile(
      session,
      tip,
      file,
      (bytes) => sink.write(bytes),
      onProgress,
      signal,
    )
    if (check.matches === false) throw new FileMismatchError(file.meta.name)
  } catch (error) {
    await sink.abort(error instanceof Error ? error.message : String(error)).catch(() => undefined)
    throw error
  }
  await sink.close()
  return {
    sha256: check.sha256,
    ...(check.matches === undefined ? {} : { matches: check.matches }),
  }
}

/**
 * Downloads and decrypts one file into memory (an export packs it); `onProgress(done, total)`
 * counts plaintext bytes. @throws RelayClientError; CryptoError `WRONG_KEY`/`TAMPERED`.
 */
export async function decryptTipFile(
  session: string,
  tip: OpenTip,
  file: OpenFile,
  onProgress: (done: number, total: number) => void,
  signal?: AbortSignal,
): Promise<DecryptedFile> {
  const parts: Blob[] = []
  const { sha256, matches } = await streamTipFile(
    session,
    tip,
    file,
    async (bytes) => {
      parts.push(new Blob([bytes as Uint8Array<ArrayBuffer>]))
    },
    onProgress,
    signal,
  )
  const blob = new Blob(parts, { type: file.meta.type ?? "application/octet-stream" })
  return { blob, sha256, ...(matches === undefined ? {} : { matches }) }
}

/** Where an export goes: an age recipient (`age1…`) or an armored OpenPGP public key. */
export type ExportTarget =
  | { readonly kind: "age"; readonly recipient: string }
  | { readonly kind: "pgp"; readonly armoredKey: string }

/**
 * Decrypts every complete file and packs the whole tip (facts, answers, comments, files) for
 * `target` in the tip worker; openpgp is loaded there only for a PGP export.
 * @returns the bytes to save and a file name.
 * @throws CryptoError `BAD_INPUT` (bad recipient or key), `TAMPERED`; RelayClientError.
 */
export async function exportTip(
  session: string,
  tip: OpenTip,
  target: ExportTarget,
  names: (author: string) => string,
  onProgress: (done: number, total: number) => void,
  /** The exporter's account identity: the whistleblower's identity goes in only if they hold it. */
  reader?: string,
): Promise<{ blob: Blob; fileName: string }> {
  const complete = tip.files.filter((f) => f.complete)
  const total = complete.reduce((sum, f) => sum + (f.meta.size ?? f.size), 0)
  let before = 0
  const bundleFiles: { name: string; type?: string; bytes: Uint8Array }[] = []
  for (const f of complete) {
    const { blob } = await decryptTipFile(session, tip, f, (done) =>
      onProgress(before + done, total),
    )
    before += f.meta.size ?? f.size
    bundleFiles.push({
      name: f.meta.name,
      ...(f.meta.type ? { type: f.meta.type } : {}),
      bytes: new Uint8Array(await blob.arrayBuffer()),
    })
  }
  const identity = reader === undefined ? undefined : await heldIdentity(session, tip, reader)
  const bundle: TipBundle = {
    tip: {
      ...(identity ? { identity } : {}),
      id: tip.tip.id,
      contextId: tip.tip.contextId,
      status: tip.tip.status,
      labels: [...tip.tip.labels],
      createdAt: new Date(tip.tip.createdAt).toISOString(),
      expiresAt: new Date(tip.tip.expiresAt).toISOString(),
    },
    // Each answer beside the question text the whistleblower saw (the sealed snapshot).
    answers: answersWithQuestions(tip),
    // In written order, with what the transcript check found; a forged comment's text is left out.
    comments: tip.comments.map((c) => ({
      author: c.signedBy === undefined ? "unverified" : names(c.signedBy),
      at: new Date(c.createdAt).toISOString(),
      verified: c.authentic,
      ...(c.problems.length > 0 ? { problems: c.problems.map((p) => p.message) } : {}),
      ...(c.problems.some((p) => p.code === "FORGED") ? {} : { text: c.text }),
    })),
    files: bundleFiles,
  }
  const worker = crypto().tip
  const base = `sotto-tip-${tip.tip.id}`
  if (target.kind === "age") {
    const bytes = await worker.exportTipAge(bundle, target.recipient.trim())
    return {
      blob: new Blob([bytes as Uint8Array<ArrayBuffer>], { type: "application/octet-stream" }),
      fileName: `${base}.zip.age`,
    }
  }
  const armored = await worker.exportTipPgp(bundle, target.armoredKey)
  return {
    blob: new Blob([armored], { type: "application/pgp-encrypted" }),
    fileName: `${base}.zip.asc`,
  }
}

/** The answers in questionnaire order, each with the sealed question text beside it. */
export function answersWithQuestions(tip: Pick<OpenTip, "answers" | "questions">): Json {
  const known = new Set(tip.questions.map((q) => q.id))
  return [
    ...tip.questions
      .filter((q) => tip.answers[q.id] !== undefined)
      .map((q) => ({
        id: q.id,
        question: q.label,
        type: q.type,
        answer: tip.answers[q.id] ?? null,
      })),
    ...Object.entries(tip.answers)
      .filter(([id]) => !known.has(id))
      .map(([id, answer]) => ({ id, question: id, type: "unknown", answer })),
  ]
}

/**
 * The whistleblower's identity for an export, only when the exporter holds an identity-key wrap
 * (a custodian's approval); else undefined, so an export never carries what its maker cannot read.
 */
async function heldIdentity(
  session: string,
  tip: OpenTip,
  reader: string,
): Promise<Json | undefined> {
  const view = await loadTipIdentity(session, tip.tip.id)
  if (!view?.wrap) return undefined
  const { answers, labels } = await openTipIdentity(view, reader, tip.key.recipient)
  return Object.entries(answers).map(([id, answer]) => ({ id, question: labels[id] ?? id, answer }))
}
