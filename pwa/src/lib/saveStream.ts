// Saving a decrypted file to the user's disk as it is decrypted, so a file of any size never sits
// in the tab's memory. Three ways, in this order:
//  1. A service-worker streaming download, whenever a service worker controls the page (every
//     browser once the app is installed: Chromium, Firefox, Tor Browser, Safari, Android): the
//     page hands the bytes to the service worker over a MessageChannel, one chunk per request of
//     the download (backpressure), and the service worker serves them as an ordinary download
//     from a one-time same-origin URL. An aborted save fails the download (the browser shows it
//     as failed and keeps no finished file). First because it needs no dialog and behaves the
//     same everywhere: a closed File System Access dialog and a browser that cannot show one
//     (headless Chromium) both answer AbortError, which cannot be told apart.
//  2. File System Access (`showSaveFilePicker`, desktop Chromium) when no service worker
//     controls the page yet: the user picks where; the bytes go to a swap file that only
//     becomes the chosen file on `close`, so an aborted save leaves nothing.
//  3. Without either (e.g. a private window of a browser without the picker): the bytes are
//     gathered in small Blobs (the browser may keep them on disk) and saved through a Blob URL.

import { saveBlob } from "./download.js"

/** How a save reaches the disk, for tests and for the page's wording. */
export type SaveVia = "picker" | "service-worker" | "memory"

/** Where the decrypted bytes go, in order. */
export interface SaveSink {
  readonly via: SaveVia
  /** Writes the next bytes (their buffer may be transferred); resolves when more may come. */
  write(bytes: Uint8Array): Promise<void>
  /** Ends the file: it is saved under its name. */
  close(): Promise<void>
  /** Drops the file (partial data is discarded where the API allows, see the file comment). */
  abort(reason: string): Promise<void>
}

/** The message a page posts to the service worker to open a streamed download (sw/_downloads.ts). */
export const STREAM_DOWNLOAD = "STREAM_DOWNLOAD"

interface PickerWindow {
  showSaveFilePicker?: (options: { suggestedName: string }) => Promise<FileSystemFileHandle>
}

/** Thrown when the user closes the save dialog: nothing to report, nothing was saved. */
export class SaveCancelledError extends Error {
  readonly code = "SAVE_CANCELLED"
  constructor() {
    super("the save was cancelled")
    this.name = "SaveCancelledError"
  }
}

/**
 * Opens where `fileName` will be saved. Call it straight from the click (the picker needs the
 * user's gesture), before any network wait.
 * @throws SaveCancelledError when the user closes the save dialog.
 */
export async function openSaveSink(fileName: string, size: number | undefined): Promise<SaveSink> {
  const worker = navigator.serviceWorker?.controller
  if (worker) return serviceWorkerSink(worker, fileName, size)
  const picker = (window as unknown as PickerWindow).showSaveFilePicker
  if (typeof picker === "function") {
    let handle: FileSystemFileHandle | undefined
    try {
      handle = await picker.call(window, { suggestedName: fileName })
    } catch (error) {
      if (error instanceof DOMException && error.name === "AbortError") {
        throw new SaveCancelledError()
      }
      // Refused for another reason (policy, no gesture left): the Blob way still works.
    }
    if (handle) return pickerSink(await handle.createWritable())
  }
  return memorySink(fileName)
}

/** Writes through a File System Access writable (swap file until `close`). */
export function pickerSink(writable: FileSystemWritableFileStream): SaveSink {
  return {
    via: "picker",
    write: (bytes) => writable.write(bytes as Uint8Array<ArrayBuffer>),
    close: () => writable.close(),
    abort: (reason) => writable.abort(reason),
  }
}

/** What the service worker sends back on the download's channel. */
type WorkerSays =
  | { readonly type: "url"; readonly url: string }
  | { readonly type: "pull" | "cancel" }

// The service worker may stop when idle; a message to it every 10 s keeps it alive mid-download.
const KEEPALIVE_MS = 10_000

function serviceWorkerSink(
  worker: ServiceWorker,
  fileName: string,
  size: number | undefined,
): SaveSink {
  const channel = new MessageChannel()
  const port = channel.port1
  let pulls = 0
  let waiting: (() => void) | undefined
  let cancelled = false
  let opened: ((url: string) => void) | undefined
  const url = new Promise<string>((resolve) => {
    opened = resolve
  })
  port.onmessage = (event: MessageEvent<WorkerSays>) => {
    const said = event.data
    if (said.type === "url") opened?.(said.url)
    if (said.type === "pull") pulls++
    if (said.type === "cancel") cancelled = true
    waiting?.()
  }
  const keepAlive = setInterval(() => worker.postMessage({ type: "KEEPALIVE" }), KEEPALIVE_MS)
  worker.postMessage({ type: STREAM_DOWNLOAD, name: fileName, size }, [channel.port2])
  // The download starts at once (the browser shows it with its size) and pulls as it writes.
  const started = url.then((href) => {
    const a = document.createElement("a")
    a.href = href
    // "external": the app's router must let this navigation reach the service worker.
    a.rel = "noopener external"
    document.body.append(a)
    a.click()
    a.remove()
  })
  const done = () => {
    clearInterval(keepAlive)
    port.close()
  }
  return {
    via: "service-worker",
    async write(bytes) {
      await started
      while (pulls === 0 && !cancelled) await new Promise<void>((r) => (waiting = r))
      if (cancelled) throw new SaveCancelledError()
      pulls--
      const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
      const chunk = own ? bytes : bytes.slice()
      port.postMessage({ type: "chunk", chunk }, [chunk.buffer])
    },
    async close() {
      port.postMessage({ type: "close" })
      done()
    },
    async abort(reason) {
      port.postMessage({ type: "abort", reason })
      done()
    },
  }
}

function memorySink(fileName: string): SaveSink {
  let parts: Blob[] = []
  return {
    via: "memory",
    async write(bytes) {
      parts.push(new Blob([bytes as Uint8Array<ArrayBuffer>]))
    },
    async close() {
      saveBlob(new Blob(parts, { type: "application/octet-stream" }), fileName)
      parts = []
    },
    async abort() {
      parts = []
    },
  }
}
