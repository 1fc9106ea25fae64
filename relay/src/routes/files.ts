import {
  CONTENT_LENGTH_HEADER,
  createFile,
  downloadFile,
  finalizeFile,
  getFileStatus,
  putFileChunk,
} from "@sotto/protocol/files"
import type { RelayContext, RouteGroup } from "../context.js"
import { RelayError } from "../errors.js"
import { bind, Reply } from "../http/router.js"
import { diskGuard } from "../services/diskGuard.js"
import type { ContextRecord, TipRecord } from "../services/records.js"
import type { Session } from "../services/session.js"
import {
  createUpload,
  finalizeUpload,
  readFileRange,
  receivedChunks,
  requireFile,
  storeChunk,
  tipOfFile,
} from "../services/uploads.js"

// age adds a header (well under 64 KiB) and a 16-byte tag per 64 KiB of plaintext.
const AGE_HEADER_ALLOWANCE = 64 * 1024
const AGE_TAG_BYTES = 16
const AGE_PLAIN_CHUNK = 64 * 1024

/** Handlers of the "files" group: resumable uploads, upload status, finalize and ranged downloads. */
export const filesRoutes: RouteGroup = (ctx) => [
  bind(createFile, async ({ params, body, session }) => {
    const author = await requireTipAccess(ctx, session, params.tipId, "tip")
    if (author === "wb") await diskGuard(ctx).requireRoom()
    const tip = await ctx.store.require<TipRecord>("tips", `t/${params.tipId}`, "tip")
    const context = await ctx.store.require<ContextRecord>(
      "contexts",
      `c/${tip.contextId}`,
      "context",
    )
    const limit =
      context.maxFileBytes +
      AGE_HEADER_ALLOWANCE +
      AGE_TAG_BYTES * Math.ceil(context.maxFileBytes / AGE_PLAIN_CHUNK)
    if (body.size > limit) {
      throw new RelayError(
        "VALIDATION",
        `"body.size" exceeds this context's limit of ${context.maxFileBytes} bytes per file`,
        "body.size",
      )
    }
    const file = await createUpload(ctx, { tipId: tip.id, author, ...body }, context.maxFiles)
    return { fileId: file.id, chunkCount: file.chunkCount }
  }),

  bind(putFileChunk, async ({ params, body, session, headers }) => {
    const actor = await requireTipAccess(ctx, session, tipOfFile(params.fileId), "file")
    await requireUploader(ctx, params.fileId, actor)
    if (actor === "wb") await diskGuard(ctx).requireRoom()
    const sha256 = headers.get("x-chunk-sha256")
    if (!sha256 || !/^[A-Za-z0-9_-]{43}$/.test(sha256)) {
      throw new RelayError(
        "VALIDATION",
        `"headers.x-chunk-sha256" must be the base64url SHA-256 of the body`,
        "headers.x-chunk-sha256",
      )
    }
    const index = Number(params.index)
    const received = await storeChunk(ctx, params.fileId, index, body, sha256)
    return { index, received }
  }),

  bind(getFileStatus, async ({ params, session }) => {
    await requireTipAccess(ctx, session, tipOfFile(params.fileId), "file")
    const file = await requireFile(ctx, params.fileId)
    return {
      size: file.size,
      chunkSize: file.chunkSize,
      chunkCount: file.chunkCount,
      received: await receivedChunks(ctx, file.id),
      complete: file.complete,
    }
  }),

  bind(finalizeFile, async ({ params, session }) => {
    const actor = await requireTipAccess(ctx, session, tipOfFile(params.fileId), "file")
    await requireUploader(ctx, params.fileId, actor)
    await finalizeUpload(ctx, params.fileId, actor)
    return { complete: true as const }
  }),

  bind(downloadFile, async ({ params, session, headers }) => {
    await requireTipAccess(ctx, session, tipOfFile(params.fileId), "file")
    const file = await requireFile(ctx, params.fileId)
    if (!file.complete) {
      throw new RelayError("INCOMPLETE_UPLOAD", "this file's upload has not been finalized")
    }
    const range = parseRange(headers.get("range"), file.size)
    if (range === "unsatisfiable") {
      const error = new RelayError(
        "RANGE_NOT_SATISFIABLE",
        `send one range within the file's ${file.size} bytes`,
        "headers.range",
      )
      return new Reply({
        kind: "json",
        status: error.status,
        body: error.toBody(),
        headers: [["Content-Range", `bytes */${file.size}`]],
      })
    }
    const { start, end } = range ?? { start: 0, end: file.size - 1 }
    return new Reply({
      kind: "stream",
      status: range ? 206 : 200,
      contentType: "application/octet-stream",
      chunks: readFileRange(ctx, file, start, end),
      headers: [
        ["Accept-Ranges", "bytes"],
        [CONTENT_LENGTH_HEADER, String(end - start + 1)],
        ["Content-Disposition", "attachment"],
        ...(range ? [["Content-Range", `bytes ${start}-${end}/${file.size}`] as const] : []),
      ],
    })
  }),
]

/**
 * Who the caller is for a tip's files: `wb` for the tip's own whistleblower session, the user id
 * for a staff user who holds a wrap of the tip.
 * @throws RelayError NOT_FOUND for anyone else, so outsiders learn nothing about the tip.
 */
async function requireTipAccess(
  ctx: RelayContext,
  session: Session | undefined,
  tipId: string,
  what: "tip" | "file",
): Promise<string> {
  if (session?.kind === "wb" && session.tipId === tipId) return "wb"
  if (session?.kind === "staff" && (await ctx.store.get("wraps", `${tipId}/${session.userId}`))) {
    return session.userId
  }
  throw new RelayError("NOT_FOUND", `${what} not found`)
}

/**
 * Reads a `Range` header for a file of `size` bytes: one `bytes=a-b`, `bytes=a-` or `bytes=-n`.
 * @returns undefined when absent or in another unit (serve the whole file), the inclusive byte span,
 * or "unsatisfiable" for several ranges, a malformed one or one outside the file.
 */
function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | "unsatisfiable" | undefined {
  if (header === undefined || !/^\s*bytes=/i.test(header)) return undefined
  const m = /^\s*bytes=(\d{0,16})-(\d{0,16})\s*$/i.exec(header)
  if (!m || (m[1] === "" && m[2] === "")) return "unsatisfiable"
  const [first, last] = [m[1] ?? "", m[2] ?? ""]
  if (first === "") {
    const suffix = Number(last)
    return suffix === 0 ? "unsatisfiable" : { start: Math.max(0, size - suffix), end: size - 1 }
  }
  const start = Number(first)
  const end = last === "" ? size - 1 : Math.min(Number(last), size - 1)
  return start >= size || start > end ? "unsatisfiable" : { start, end }
}

/**
 * Only whoever started an upload (the same staff account, or the tip's whistleblower) may add
 * chunks to it or finish it: another holder could otherwise complete or corrupt it. By account
 * rather than by session, so a whistleblower who logs in again can still resume.
 * @throws RelayError FORBIDDEN for anyone else, NOT_FOUND for an unknown file.
 */
async function requireUploader(ctx: RelayContext, fileId: string, actor: string): Promise<void> {
  const file = await requireFile(ctx, fileId)
  if (file.author !== actor) {
    throw new RelayError("FORBIDDEN", "only whoever started this upload can add to it or finish it")
  }
}
