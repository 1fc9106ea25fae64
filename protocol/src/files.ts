import { Type } from "@sinclair/typebox"
import { ArmoredAge, Id, Obj } from "./common.js"
import { BINARY, route } from "./route.js"

// Route specs of the "files" group: resumable chunked uploads of age files and ranged downloads.
// Who may call them: the tip's whistleblower session, or a staff user who holds a wrap of the tip.

/** Smallest and largest upload chunk: one age stream chunk up to 1 MiB. */
export const MIN_CHUNK_SIZE = 64 * 1024
export const MAX_CHUNK_SIZE = 1024 * 1024
/** The largest age file any context may allow (16 GiB keeps chunk indexes within 6 digits). */
export const MAX_FILE_SIZE = 16 * 1024 ** 3
/** The request header carrying the base64url SHA-256 of an uploaded chunk. */
export const CHUNK_HASH_HEADER = "X-Chunk-Sha256"
/** The response header carrying the number of bytes a download will send. */
export const CONTENT_LENGTH_HEADER = "X-Content-Length"

/** A file id: 22 random base64url characters followed by the id of the tip it belongs to. */
export const FileId = Type.String({
  pattern: "^[A-Za-z0-9_-]{23,86}$",
  description: "file id (22 random characters, then the tip id)",
})
const FileParams = Obj({ fileId: FileId })
const Count = Type.Integer({ minimum: 0 })

/** Starts an upload: sealed metadata and the size of the age file; answers with the file id. */
export const createFile = route({
  id: "createFile",
  method: "POST",
  path: "/api/v1/tips/:tipId/files",
  summary: "Start a resumable upload of an encrypted file to a tip",
  access: "session",
  params: Obj({ tipId: Id }),
  body: Obj({
    meta: ArmoredAge(16 * 1024),
    size: Type.Integer({ minimum: 1, maximum: MAX_FILE_SIZE, description: "age file bytes" }),
    chunkSize: Type.Integer({ minimum: MIN_CHUNK_SIZE, maximum: MAX_CHUNK_SIZE }),
  }),
  bodyLimit: 20 * 1024,
  response: Obj({ fileId: FileId, chunkCount: Type.Integer({ minimum: 1 }) }),
  status: 201,
})

/**
 * Stores one chunk (raw bytes, `X-Chunk-Sha256` header). Idempotent: the same bytes again are
 * acknowledged, different bytes at a stored index are a conflict.
 */
export const putFileChunk = route({
  id: "putFileChunk",
  method: "PUT",
  path: "/api/v1/files/:fileId/chunks/:index",
  summary: "Upload one chunk of a file; acknowledged only once durably stored",
  access: "session",
  params: Obj({
    fileId: FileId,
    index: Type.String({ pattern: "^(0|[1-9][0-9]{0,5})$", description: "chunk index" }),
  }),
  body: BINARY,
  bodyLimit: MAX_CHUNK_SIZE,
  response: Obj({ index: Count, received: Count }),
})

/** What the relay holds of an upload, to resume it after a restart or a lost connection. */
export const getFileStatus = route({
  id: "getFileStatus",
  method: "GET",
  path: "/api/v1/files/:fileId/status",
  summary: "Upload progress: size, chunking and the chunks already stored",
  access: "session",
  params: FileParams,
  response: Obj({
    size: Count,
    chunkSize: Count,
    chunkCount: Count,
    received: Type.Array(Count),
    complete: Type.Boolean(),
  }),
})

/** Marks an upload complete once every chunk is stored, and notifies the tip's readers. */
export const finalizeFile = route({
  id: "finalizeFile",
  method: "POST",
  path: "/api/v1/files/:fileId/finalize",
  summary: "Complete an upload whose chunks are all stored",
  access: "session",
  params: FileParams,
  response: Obj({ complete: Type.Literal(true) }),
})

/** Streams a complete file's age bytes; honours a single `Range: bytes=…` (206). */
export const downloadFile = route({
  id: "downloadFile",
  method: "GET",
  path: "/api/v1/files/:fileId",
  summary: "Download a complete encrypted file, whole or one byte range",
  access: "session",
  params: FileParams,
  response: BINARY,
})
