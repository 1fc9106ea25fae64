import { accounts, files, RelayClientError } from "@sotto/protocol"
import { relay } from "./api.js"
import { crypto } from "./crypto.js"
import { errorCode } from "./errors.js"
import { trustManifest } from "./nodeTrust.js"
import {
  deleteChunks,
  deleteSubmission,
  listSubmissions,
  type OutboxSubmission,
  putSubmission,
  readChunk,
  readSubmission,
} from "./outboxDb.js"
import { UPLOAD_CHUNK } from "./upload.js"
import { toBase64url } from "./wbBytes.js"
import { sendSealedTip } from "./wbSubmit.js"

// Delivering the outbox: for each pending submission, the proof of work is solved now (it
// expires, so it could not be stored), then submitTip, then each file's chunks from IndexedDB,
// asking the relay first which it already holds (getFileStatus), so an interrupted delivery
// resumes where it stopped. A submission leaves the database only once everything is finalized;
// only then is its receipt confirmed. Triggers: the online event, a periodic retry, Background
// Sync where a service worker offers it, and every page that starts the outbox.

/** What the outbox tells the pages. */
export type OutboxEvent =
  | { readonly type: "changed" }
  | { readonly type: "sending"; readonly id: string | undefined }
  | {
      readonly type: "delivered"
      readonly id: string
      readonly tipId: string
      readonly session: string
      readonly expiresAt: number
    }

const listeners = new Set<(event: OutboxEvent) => void>()
let running: Promise<void> | undefined
let started = false

/** The Background Sync tag; a service worker's `sync` handler posts {type: SYNC_MESSAGE}. */
export const SYNC_TAG = "sotto-outbox"
/** The message a service worker posts to its pages when the sync tag fires. */
export const SYNC_MESSAGE = "sotto-outbox-sync"
/** Pause between periodic retries while something is pending. */
export const RETRY_EVERY_MS = 20_000

/** Listens to the outbox. @returns a function that stops listening. */
export function onOutbox(listener: (event: OutboxEvent) => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/** Tells every listener. */
export function emitOutbox(event: OutboxEvent): void {
  for (const listener of listeners) listener(event)
}

/** Whether an error means "try again later" (no connection, 5xx, 429) rather than a refusal. */
function isTransient(error: unknown): boolean {
  if (error instanceof RelayClientError) return error.status >= 500 || error.status === 429
  return errorCode(error) === "NETWORK"
}

/**
 * Tries to deliver every pending submission now; one run at a time per tab. Never throws: a
 * network failure leaves the rest for the next trigger, a refusal is recorded on its submission.
 */
export function flushOutbox(): Promise<void> {
  // Across tabs too where Web Locks exist (secure contexts): one delivery at a time per origin.
  const locks = (navigator as { locks?: LockManager }).locks
  const run = locks
    ? () =>
        locks.request(SYNC_TAG, { ifAvailable: true }, (lock) => (lock ? deliverAll() : undefined))
    : deliverAll
  running ??= run().finally(() => {
    running = undefined
    emitOutbox({ type: "sending", id: undefined })
  })
  return running
}

async function deliverAll(): Promise<void> {
  let pending: OutboxSubmission[]
  try {
    pending = await listSubmissions()
  } catch {
    return
  }
  for (const submission of pending) {
    if (submission.failed) continue
    emitOutbox({ type: "sending", id: submission.id })
    try {
      await deliver(submission)
    } catch (error) {
      if (isTransient(error)) return
      await putSubmission({ ...submission, failed: errorCode(error) }).catch(() => undefined)
      emitOutbox({ type: "changed" })
    }
  }
}

async function deliver(start: OutboxSubmission): Promise<void> {
  let submission = start
  // Deleted by the person meanwhile: it must not come back.
  const stillThere = async () => (await readSubmission(submission.id)) !== undefined
  if (!submission.sent) {
    if (!(await stillThere())) return
    // The proof-of-work bounds come from the manifest verified against this browser's pin now.
    const { pow } = await trustManifest((await relay.call(accounts.getNode)).manifest)
    const res = await sendSealedTip(submission.body, pow, () => undefined)
    submission = { ...submission, sent: res }
    await putSubmission(submission)
  }
  const sent = submission.sent
  if (!sent) throw new Error("unreachable: the submission was not sent")
  const pool = crypto().filePool(1)
  try {
    for (const [index, file] of submission.files.entries()) {
      if (file.done) continue
      if (!(await stillThere())) return
      const start = async () => {
        const { fileId } = await relay.call(files.createFile, {
          session: sent.session,
          params: { tipId: sent.tipId },
          body: { meta: file.meta, size: file.size, chunkSize: UPLOAD_CHUNK },
        })
        submission = withFile(submission, index, { fileId })
        await putSubmission(submission)
        return fileId
      }
      let id = file.fileId ?? (await start())
      // The relay collects an upload left without a new chunk for 6 hours (relay/README.md
      // "Quotas and disk"); the chunks are still here, so the file starts again from the first.
      const status = await relay
        .call(files.getFileStatus, { session: sent.session, params: { fileId: id } })
        .catch(async (error: unknown) => {
          if (!(error instanceof RelayClientError) || error.code !== "NOT_FOUND") throw error
          id = await start()
          return { received: [] as number[] }
        })
      const held = new Set(status.received)
      for (let chunk = 0; chunk < file.chunkCount; chunk++) {
        if (held.has(chunk)) continue
        const bytes = await readChunk(submission.id, index, chunk)
        const hash = toBase64url(await pool.run((remote) => remote.sha256(bytes)))
        await relay.call(files.putFileChunk, {
          session: sent.session,
          params: { fileId: id, index: String(chunk) },
          body: bytes,
          headers: { [files.CHUNK_HASH_HEADER]: hash },
        })
      }
      await relay.call(files.finalizeFile, { session: sent.session, params: { fileId: id } })
      submission = withFile(submission, index, { done: true })
      await putSubmission(submission)
      await deleteChunks(submission.id, index)
    }
  } finally {
    pool.terminate()
  }
  await deleteSubmission(submission.id)
  emitOutbox({ type: "delivered", id: submission.id, ...sent })
  emitOutbox({ type: "changed" })
}

function withFile(
  submission: OutboxSubmission,
  index: number,
  patch: { fileId?: string; done?: boolean },
): OutboxSubmission {
  return {
    ...submission,
    files: submission.files.map((f, i) => (i === index ? { ...f, ...patch } : f)),
  }
}

/** Deletes a pending submission (the person's choice); it will never be sent. */
export async function deletePending(id: string): Promise<void> {
  await deleteSubmission(id)
  emitOutbox({ type: "changed" })
}

/**
 * Starts the triggers once per tab (online event, periodic retry, Background Sync) and tries
 * once now. Safe to call from every page that shows or fills the outbox.
 */
export function startOutbox(): void {
  if (!started) {
    started = true
    addEventListener("online", () => void flushOutbox())
    setInterval(() => {
      if (navigator.onLine) void flushOutbox()
    }, RETRY_EVERY_MS)
    // navigator.serviceWorker is missing outside secure contexts (e.g. .onion pages on iOS).
    navigator.serviceWorker?.addEventListener("message", (event: MessageEvent) => {
      if ((event.data as { type?: unknown } | null)?.type === SYNC_MESSAGE) void flushOutbox()
    })
  }
  if (navigator.onLine) void flushOutbox()
}

/** Asks for a Background Sync (where a service worker offers it) once something is queued. */
export function requestSync(): void {
  const workers = navigator.serviceWorker
  if (!workers?.controller) return
  void workers.ready
    .then((registration) => {
      const sync = (registration as { sync?: { register(tag: string): Promise<void> } }).sync
      return sync?.register(SYNC_TAG)
    })
    .catch(() => undefined)
}
