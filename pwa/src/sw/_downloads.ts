// Streamed downloads in the service worker (the page side is lib/saveStream.ts). A page opens
// one with a MessageChannel; the worker answers with a one-time URL under DOWNLOAD_PATH, which
// the page then navigates to. The response is a stream whose every read asks the page for the
// next chunk ("pull"), so at most a chunk or two are in flight whatever the file size. The page
// ends it with "close", or with "abort" (cancel, a chunk that did not verify, a fingerprint that
// did not match), which errors the stream so the browser marks the download failed.

/** Where streamed downloads are served; nothing else of the app lives there. */
export const DOWNLOAD_PATH = "/__sotto/download/"

/** An unclaimed download is dropped after this long (the page navigates to it at once). */
const UNCLAIMED_MS = 60_000

interface Pending {
  readonly name: string
  /** The plaintext size the sender sealed, when known: the browser then shows a percentage. */
  readonly size: number | undefined
  readonly port: MessagePort
}

const pending = new Map<string, Pending>()

type PageSays =
  | { readonly type: "chunk"; readonly chunk: Uint8Array }
  | { readonly type: "close" }
  | { readonly type: "abort"; readonly reason?: string }

/** What a page asks for: a file name and, when known, its size. */
export interface DownloadRequest {
  readonly name: string
  readonly size?: number | undefined
}

/** Whether a message to the worker opens a streamed download (`{ type, name, size? }` + a port). */
export function isDownloadRequest(data: unknown): data is DownloadRequest {
  const d = data as { type?: unknown; name?: unknown; size?: unknown } | null
  return (
    d?.type === "STREAM_DOWNLOAD" &&
    typeof d.name === "string" &&
    (d.size === undefined ||
      (typeof d.size === "number" && Number.isSafeInteger(d.size) && d.size >= 0))
  )
}

/** Registers a download announced on `port` and tells the page its URL. */
export function openDownload(request: DownloadRequest, port: MessagePort): void {
  const id = crypto.randomUUID()
  pending.set(id, { name: request.name, size: request.size, port })
  setTimeout(() => pending.delete(id), UNCLAIMED_MS)
  port.postMessage({ type: "url", url: `${DOWNLOAD_PATH}${id}` })
}

/** `attachment` with the name as RFC 6266/5987 `filename*` (UTF-8), and a plain ASCII fallback. */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%;]/g, "_") || "download"
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`
}

/** The response for a request under DOWNLOAD_PATH: the stream, or 404 when unknown or used. */
export function serveDownload(url: URL): Response {
  const id = url.pathname.slice(DOWNLOAD_PATH.length)
  const found = pending.get(id)
  pending.delete(id)
  if (!found) {
    return new Response("This download has ended or expired. Start it again from the tip page.", {
      status: 404,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    })
  }
  const { port } = found
  let wake: (() => void) | undefined
  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        port.onmessage = (event: MessageEvent<PageSays>) => {
          const said = event.data
          if (said.type === "chunk") controller.enqueue(said.chunk)
          else if (said.type === "close") controller.close()
          else controller.error(new Error(said.reason ?? "the download was stopped"))
          wake?.()
        }
      },
      pull() {
        // One request per read: the page sends the next chunk only when asked.
        return new Promise<void>((resolve) => {
          wake = resolve
          port.postMessage({ type: "pull" })
        })
      },
      cancel() {
        port.postMessage({ type: "cancel" })
        wake?.()
      },
    },
    { highWaterMark: 1 },
  )
  return new Response(body, {
    headers: {
      // Always a download, never rendered: the type the sender claimed is not trusted here.
      "Content-Type": "application/octet-stream",
      "Content-Disposition": contentDisposition(found.name),
      ...(found.size === undefined ? {} : { "Content-Length": String(found.size) }),
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "no-store",
    },
  })
}
