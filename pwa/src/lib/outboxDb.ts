import { type DBSchema, type IDBPDatabase, openDB } from "idb"
import { OUTBOX_DB } from "./outboxName.js"
import type { ContextView } from "./questionnaire.js"
import type { TrustedDirectory } from "./wbDirectory.js"
import type { NodeView, SealedTipBody } from "./wbSubmit.js"

// The whistleblower's outbox in IndexedDB. Only public data (the node's facts, a context's
// questionnaire and its verified key directory) and ciphertext (the sealed submitTip body, the
// sealed file metadata, the files sealed as age files cut into 1 MiB upload chunks) are ever
// written here. Never the answers, a file's bytes or name, the receipt or a private key.

export { OUTBOX_DB }

/** What a context's report form needs to seal a tip with no connection (all public). */
export interface CachedFacts {
  readonly contextId: string
  readonly node: NodeView
  readonly context: ContextView
  readonly directory: TrustedDirectory
  readonly savedAt: number
}

/** One file of a pending submission: sealed metadata and the sealed file's shape. */
export interface OutboxFile {
  /** The "metadata" tip part, sealed to the tip. */
  readonly meta: string
  /** Size of the sealed (age) file. */
  readonly size: number
  readonly chunkCount: number
  /** The relay's id once createFile answered. */
  readonly fileId?: string
  /** True once finalized; its chunks are gone from the database then. */
  readonly done?: boolean
}

/** A submission sealed on this device and not yet (fully) delivered. */
export interface OutboxSubmission {
  readonly id: string
  readonly contextId: string
  readonly contextName: string
  readonly createdAt: number
  /** submitTip's body without the proof of work (solved at send time). */
  readonly body: SealedTipBody
  readonly files: readonly OutboxFile[]
  /** What submitTip answered: the files still go up with this session. */
  readonly sent?: { readonly tipId: string; readonly session: string; readonly expiresAt: number }
  /** The code of a refusal that retrying will not fix (the person may delete it). */
  readonly failed?: string
}

interface OutboxSchema extends DBSchema {
  facts: { key: string; value: CachedFacts }
  submissions: { key: string; value: OutboxSubmission; indexes: { createdAt: number } }
  /** Sealed upload chunks by [submission id, file index, chunk index]. */
  chunks: { key: [string, number, number]; value: Uint8Array }
}

let opening: Promise<IDBPDatabase<OutboxSchema>> | undefined

/** The outbox database, opened once per tab. @throws DOMException when storage is refused. */
export function outboxDb(): Promise<IDBPDatabase<OutboxSchema>> {
  opening ??= openDB<OutboxSchema>(OUTBOX_DB, 1, {
    upgrade(db) {
      db.createObjectStore("facts")
      db.createObjectStore("submissions", { keyPath: "id" }).createIndex("createdAt", "createdAt")
      db.createObjectStore("chunks")
    },
  }).catch((error: unknown) => {
    opening = undefined
    throw error
  })
  return opening
}

/** Keeps a context's public facts for an offline visit; storage failures are ignored. */
export async function saveFacts(facts: CachedFacts): Promise<void> {
  try {
    await (await outboxDb()).put("facts", facts, facts.contextId)
  } catch {
    // Private modes may refuse IndexedDB: the form then simply works online only.
  }
}

/** The public facts kept for `contextId`, if any. */
export async function readFacts(contextId: string): Promise<CachedFacts | undefined> {
  try {
    return await (await outboxDb()).get("facts", contextId)
  } catch {
    return undefined
  }
}

/** Every pending submission, oldest first. */
export async function listSubmissions(): Promise<OutboxSubmission[]> {
  return (await outboxDb()).getAllFromIndex("submissions", "createdAt")
}

/** One pending submission. */
export async function readSubmission(id: string): Promise<OutboxSubmission | undefined> {
  return (await outboxDb()).get("submissions", id)
}

/** Writes (or replaces) a submission record. */
export async function putSubmission(submission: OutboxSubmission): Promise<void> {
  await (await outboxDb()).put("submissions", submission)
}

/** Stores one sealed upload chunk (a copy of exactly its bytes). */
export async function putChunk(
  id: string,
  file: number,
  index: number,
  bytes: Uint8Array,
): Promise<void> {
  // A view would be cloned with its whole buffer: store exactly the chunk.
  const exact = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
  await (await outboxDb()).put("chunks", exact ? bytes : bytes.slice(), [id, file, index])
}

/** One sealed upload chunk. @throws Error when it is missing (the database was damaged). */
export async function readChunk(id: string, file: number, index: number): Promise<Uint8Array> {
  const bytes = await (await outboxDb()).get("chunks", [id, file, index])
  if (!bytes) throw new Error(`chunk ${index} of file ${file} is missing from the outbox`)
  return bytes
}

/** Drops the chunks of one file of a submission, or of all its files. */
export async function deleteChunks(id: string, file?: number): Promise<void> {
  const range =
    file === undefined
      ? IDBKeyRange.bound([id, 0, 0], [id, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER])
      : IDBKeyRange.bound([id, file, 0], [id, file, Number.MAX_SAFE_INTEGER])
  await (await outboxDb()).delete("chunks", range)
}

/** Removes a submission and its chunks (delivered, or deleted by the person). */
export async function deleteSubmission(id: string): Promise<void> {
  await deleteChunks(id)
  await (await outboxDb()).delete("submissions", id)
}

/** A random id for a new submission (getRandomValues works without a secure context). */
export function newOutboxId(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(12))
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")
}
