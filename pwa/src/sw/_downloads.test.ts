import { afterEach, describe, expect, it } from "vitest"
import {
  contentDisposition,
  DOWNLOAD_PATH,
  isDownloadRequest,
  openDownload,
  serveDownload,
} from "./_downloads.js"

// The service worker's side of a streamed download, with a real MessageChannel standing in for
// the page: the URL it hands out, one chunk per pull, close, abort and the one-time URL.

const channels: MessageChannel[] = []
afterEach(() => {
  for (const c of channels.splice(0)) {
    c.port1.close()
    c.port2.close()
  }
})

/** Opens a download and plays the page: answers each pull with the next of `chunks`, then `end`. */
async function open(
  chunks: Uint8Array[],
  end: { type: "close" } | { type: "abort"; reason: string },
  size?: number,
): Promise<{ url: URL; pulls: () => number }> {
  const channel = new MessageChannel()
  channels.push(channel)
  let pulls = 0
  const url = new Promise<URL>((resolve) => {
    channel.port1.onmessage = (event: MessageEvent<{ type: string; url?: string }>) => {
      if (event.data.type === "url") resolve(new URL(event.data.url ?? "", "https://node.test"))
      if (event.data.type !== "pull") return
      pulls++
      const chunk = chunks.shift()
      channel.port1.postMessage(chunk ? { type: "chunk", chunk } : end)
    }
  })
  openDownload({ name: "report ü.pdf", ...(size === undefined ? {} : { size }) }, channel.port2)
  return { url: await url, pulls: () => pulls }
}

describe("streamed downloads in the service worker", () => {
  it("serves the page's chunks in order as an attachment, one pull per chunk", async () => {
    const { url, pulls } = await open(
      [new Uint8Array([1, 2]), new Uint8Array([3])],
      { type: "close" },
      3,
    )
    expect(url.pathname.startsWith(DOWNLOAD_PATH)).toBe(true)
    const res = serveDownload(url)
    expect(res.headers.get("Content-Type")).toBe("application/octet-stream")
    expect(res.headers.get("Content-Length")).toBe("3")
    expect(res.headers.get("Content-Disposition")).toContain("filename*=UTF-8''report%20%C3%BC.pdf")
    expect(Array.from(new Uint8Array(await res.arrayBuffer()))).toEqual([1, 2, 3])
    // Two chunks and the close: never more requests than reads.
    expect(pulls()).toBe(3)
  })

  it("fails the download when the page aborts it (a chunk or the fingerprint did not verify)", async () => {
    const { url } = await open([new Uint8Array([1])], { type: "abort", reason: "FILE_MISMATCH" })
    await expect(serveDownload(url).arrayBuffer()).rejects.toThrow("FILE_MISMATCH")
  })

  it("answers a used or unknown URL with a 404 that says what to do", async () => {
    const { url } = await open([], { type: "close" })
    await serveDownload(url).arrayBuffer()
    const again = serveDownload(url)
    expect(again.status).toBe(404)
    expect(await again.text()).toContain("Start it again")
    expect(serveDownload(new URL(`${DOWNLOAD_PATH}nope`, "https://node.test")).status).toBe(404)
  })

  it("accepts only well-formed requests and quotes names safely", () => {
    expect(isDownloadRequest({ type: "STREAM_DOWNLOAD", name: "a.bin", size: 5 })).toBe(true)
    expect(isDownloadRequest({ type: "STREAM_DOWNLOAD", name: "a.bin" })).toBe(true)
    expect(isDownloadRequest({ type: "STREAM_DOWNLOAD", name: "a.bin", size: -1 })).toBe(false)
    expect(isDownloadRequest({ type: "STREAM_DOWNLOAD", name: 5 })).toBe(false)
    expect(isDownloadRequest(null)).toBe(false)
    expect(contentDisposition('a"b;c.txt')).toMatch(/^attachment; filename="a_b_c.txt"; /)
  })
})
