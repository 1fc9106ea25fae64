import { randomBytes } from "node:crypto"
import { decryptFile, encryptArmored, generateAgeIdentity, recipientOf } from "@sotto/crypto-core"
import { files, RelayClientError } from "@sotto/protocol"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { RelayEvent } from "../../relay/src/services/events.js"
import { startTestRelay, type TestRelay } from "./_harness.js"
import {
  chunkHash,
  chunksOf,
  encryptToTip,
  type SeededTip,
  sealMeta,
  seedTip,
} from "./_seedFiles.js"

const MiB = 1024 * 1024

async function failure(promise: Promise<unknown>): Promise<RelayClientError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(RelayClientError)
  return error as RelayClientError
}

describe("encrypted file uploads and downloads", () => {
  let t: TestRelay
  let s: SeededTip
  let plain: Uint8Array
  let age: Uint8Array
  let fileId: string
  const events: RelayEvent[] = []

  const put = (id: string, index: number, chunk: Uint8Array, session = s.wb) =>
    t.client.call(files.putFileChunk, {
      params: { fileId: id, index: String(index) },
      body: chunk,
      session,
      headers: { "X-Chunk-Sha256": chunkHash(chunk) },
    })
  const start = async (size: number, chunkSize: number, session = s.wb) =>
    t.client.call(files.createFile, {
      params: { tipId: s.tipId },
      body: { meta: await sealMeta(s.tip), size, chunkSize },
      session,
    })
  const download = (range?: string, session = s.recipient.token) =>
    t.client.raw(files.downloadFile, {
      params: { fileId },
      session,
      ...(range ? { headers: { Range: range } } : {}),
    })

  beforeAll(async () => {
    t = await startTestRelay()
    s = await seedTip(t, { maxFiles: 20, maxFileBytes: 8 * MiB })
    t.relay.ctx.events.subscribe((e) => events.push(e))
    plain = new Uint8Array(randomBytes(5 * MiB))
    age = await encryptToTip(s.tip, plain)
  })
  afterAll(async () => {
    await t.destroy()
  })

  it("takes a 5 MiB age file in 1 MiB chunks out of order, a repeated chunk included", async () => {
    const created = await start(age.byteLength, MiB)
    fileId = created.fileId
    const chunks = chunksOf(age, MiB)
    expect(created.chunkCount).toBe(chunks.length)
    const order = [...chunks.keys()].reverse()
    for (const [n, i] of order.entries()) {
      const ack = await put(fileId, i, chunks[i] as Uint8Array)
      expect(ack).toEqual({ index: i, received: n + 1 })
    }
    expect(await put(fileId, 2, chunks[2] as Uint8Array)).toEqual({
      index: 2,
      received: chunks.length,
    })
    expect(await t.client.call(files.finalizeFile, { params: { fileId }, session: s.wb })).toEqual({
      complete: true,
    })
  })

  it("tells the holders that a file was added, and not the whistleblower who uploaded it", () => {
    const added = events.filter((e) => e.type === "file.added")
    expect(added).toEqual([
      { type: "file.added", tipId: s.tipId, users: [s.recipient.id], wb: false },
    ])
  })

  it("streams the whole file back, and it decrypts to the original bytes", async () => {
    const res = await download()
    expect(res.status).toBe(200)
    expect(res.headers.get("accept-ranges")).toBe("bytes")
    expect(res.headers.get("x-content-length")).toBe(String(age.byteLength))
    const body = res.body as ReadableStream<Uint8Array>
    const opened = await new Response(decryptFile(body, s.tip.identity)).arrayBuffer()
    expect(Buffer.from(opened).equals(plain)).toBe(true)
  })

  it("lets the whistleblower download the same file", async () => {
    const res = await download(undefined, s.wb)
    expect(Buffer.from(await res.arrayBuffer()).equals(age)).toBe(true)
  })

  it("serves a byte range that spans two chunks with 206 and Content-Range", async () => {
    const res = await download(`bytes=${MiB - 10}-${MiB + 9}`)
    expect(res.status).toBe(206)
    expect(res.headers.get("content-range")).toBe(`bytes ${MiB - 10}-${MiB + 9}/${age.byteLength}`)
    expect(res.headers.get("x-content-length")).toBe("20")
    expect(Buffer.from(await res.arrayBuffer()).equals(age.subarray(MiB - 10, MiB + 10))).toBe(true)
  })

  it("serves a suffix range of the last bytes", async () => {
    const res = await download("bytes=-100")
    expect(res.status).toBe(206)
    expect(Buffer.from(await res.arrayBuffer()).equals(age.subarray(age.byteLength - 100))).toBe(
      true,
    )
  })

  it("serves an open-ended range to the end of the file", async () => {
    const from = 3 * MiB + 7
    const res = await download(`bytes=${from}-`)
    expect(res.status).toBe(206)
    expect(res.headers.get("content-range")).toBe(
      `bytes ${from}-${age.byteLength - 1}/${age.byteLength}`,
    )
    expect(Buffer.from(await res.arrayBuffer()).equals(age.subarray(from))).toBe(true)
  })

  it("refuses ranges outside the file, reversed or several at once with 416", async () => {
    for (const range of [`bytes=${age.byteLength}-`, "bytes=10-5", "bytes=0-1,5-6", "bytes=-0"]) {
      const e = await failure(download(range))
      expect([e.status, e.code], range).toEqual([416, "RANGE_NOT_SATISFIABLE"])
    }
    const res = await fetch(t.client.url(files.downloadFile, { fileId }), {
      headers: { "X-Session": s.recipient.token, Range: "bytes=999999999-" },
    })
    expect(res.headers.get("content-range")).toBe(`bytes */${age.byteLength}`)
  })

  it("hides files from staff without a wrap of the tip and from other tips' whistleblowers", async () => {
    expect((await failure(download(undefined, s.outsider.token))).status).toBe(404)
    const other = await seedTip(t)
    expect((await failure(download(undefined, other.wb))).status).toBe(404)
    const status = t.client.call(files.getFileStatus, {
      params: { fileId },
      session: s.outsider.token,
    })
    expect((await failure(status)).code).toBe("NOT_FOUND")
    const create = start(1000, 64 * 1024, s.outsider.token)
    expect((await failure(create)).code).toBe("NOT_FOUND")
  })

  it("refuses a chunk whose hash does not match with 422, storing nothing", async () => {
    const { fileId: id } = await start(100_000, 64 * 1024)
    const chunk = new Uint8Array(randomBytes(64 * 1024))
    const wrong = t.client.call(files.putFileChunk, {
      params: { fileId: id, index: "0" },
      body: chunk,
      session: s.wb,
      headers: { "X-Chunk-Sha256": chunkHash(new Uint8Array(10)) },
    })
    const e = await failure(wrong)
    expect([e.status, e.code, e.field]).toEqual([422, "HASH_MISMATCH", "headers.x-chunk-sha256"])
    const status = await t.client.call(files.getFileStatus, {
      params: { fileId: id },
      session: s.wb,
    })
    expect(status.received).toEqual([])
  })

  it("refuses chunks of the wrong length, including a short last chunk, naming the body", async () => {
    const { fileId: id } = await start(100_000, 64 * 1024)
    const short = failure(put(id, 0, new Uint8Array(1000)))
    expect((await short).field).toBe("body")
    const last = failure(put(id, 1, new Uint8Array(64 * 1024)))
    expect([(await last).status, (await last).field]).toEqual([400, "body"])
    const beyond = failure(put(id, 2, new Uint8Array(100_000 - 64 * 1024)))
    expect((await beyond).field).toBe("params.index")
  })

  it("refuses different bytes at an index already stored with 409", async () => {
    const { fileId: id } = await start(64 * 1024 + 5, 64 * 1024)
    await put(id, 1, new Uint8Array([1, 2, 3, 4, 5]))
    const e = await failure(put(id, 1, new Uint8Array([9, 9, 9, 9, 9])))
    expect([e.status, e.code]).toEqual([409, "CONFLICT"])
    const stored = await t.relay.ctx.store.backend.readBlob(id, 64 * 1024, 5)
    expect([...(stored ?? [])]).toEqual([1, 2, 3, 4, 5])
  })

  it("acknowledges a chunk of a finished file again, and refuses other bytes for it", async () => {
    const { fileId: id } = await start(10, 64 * 1024)
    const chunk = new Uint8Array(10).fill(4)
    await put(id, 0, chunk)
    await t.client.call(files.finalizeFile, { params: { fileId: id }, session: s.wb })
    const e = await failure(put(id, 0, new Uint8Array(10).fill(5)))
    expect([e.status, e.code]).toEqual([409, "CONFLICT"])
    expect(await put(id, 0, chunk)).toEqual({ index: 0, received: 1 })
    expect(await t.relay.ctx.store.backend.readBlob(id, 0, 64)).toEqual(chunk)
    expect(await t.relay.ctx.store.get("chunks", id)).toBeUndefined()
  })

  it("leaves a chunk that failed its hash unrecorded, so the resend stores it", async () => {
    const { fileId: id } = await start(10, 64 * 1024)
    const chunk = new Uint8Array(10).fill(6)
    const e = await failure(
      t.client.call(files.putFileChunk, {
        params: { fileId: id, index: "0" },
        body: new Uint8Array(10).fill(7),
        session: s.wb,
        headers: { "X-Chunk-Sha256": chunkHash(chunk) },
      }),
    )
    expect(e.code).toBe("HASH_MISMATCH")
    const status = await t.client.call(files.getFileStatus, {
      params: { fileId: id },
      session: s.wb,
    })
    expect(status.received).toEqual([])
    expect(await put(id, 0, chunk)).toEqual({ index: 0, received: 1 })
    expect(await t.relay.ctx.store.backend.readBlob(id, 0, 64)).toEqual(chunk)
  })

  it("refuses to finalize while chunks are missing, and does not serve the file", async () => {
    const { fileId: id } = await start(3 * 64 * 1024, 64 * 1024)
    await put(id, 1, new Uint8Array(64 * 1024))
    const e = await failure(
      t.client.call(files.finalizeFile, { params: { fileId: id }, session: s.wb }),
    )
    expect([e.status, e.code]).toEqual([409, "INCOMPLETE_UPLOAD"])
    expect(e.message).toContain("2 of 3")
    const get = t.client.raw(files.downloadFile, { params: { fileId: id }, session: s.wb })
    expect((await failure(get)).code).toBe("INCOMPLETE_UPLOAD")
    const status = await t.client.call(files.getFileStatus, {
      params: { fileId: id },
      session: s.wb,
    })
    expect(status).toEqual({
      size: 3 * 64 * 1024,
      chunkSize: 64 * 1024,
      chunkCount: 3,
      received: [1],
      complete: false,
    })
  })

  it("notifies the whistleblower when a staff holder adds a file", async () => {
    events.length = 0
    const { fileId: id } = await start(10, 64 * 1024, s.recipient.token)
    await put(id, 0, new Uint8Array(10), s.recipient.token)
    await t.client.call(files.finalizeFile, { params: { fileId: id }, session: s.recipient.token })
    expect(events).toEqual([
      { type: "file.added", tipId: s.tipId, users: [s.recipient.id], wb: true },
    ])
    const object = await t.relay.ctx.store.get<{ author: string }>("objects", `${s.tipId}/${id}`)
    expect(object?.author).toBe(s.recipient.id)
  })

  it("enforces the context's file count, counting unfinished uploads", async () => {
    const small = await seedTip(t, { maxFiles: 2, maxFileBytes: MiB })
    const create = async () =>
      t.client.call(files.createFile, {
        params: { tipId: small.tipId },
        body: { meta: await someMeta(), size: 10, chunkSize: 64 * 1024 },
        session: small.wb,
      })
    await create()
    await create()
    const e = await failure(create())
    expect([e.status, e.code]).toEqual([409, "CONFLICT"])
    const stored = await t.relay.ctx.store.keys("objects", {
      gte: `${small.tipId}/`,
      lt: `${small.tipId}/\uffff`,
    })
    expect(stored).toHaveLength(2)
  })

  it("enforces the context's file size, allowing only the age overhead on top", async () => {
    const small = await seedTip(t, { maxFiles: 5, maxFileBytes: MiB })
    const create = async (size: number) =>
      t.client.call(files.createFile, {
        params: { tipId: small.tipId },
        body: { meta: await someMeta(), size, chunkSize: 64 * 1024 },
        session: small.wb,
      })
    const overhead = 64 * 1024 + 16 * 16
    expect((await create(MiB + overhead)).chunkCount).toBe(18)
    const e = await failure(create(MiB + overhead + 1))
    expect([e.status, e.code, e.field]).toEqual([400, "VALIDATION", "body.size"])
  })

  it("really fits the age file of a file at the size limit", async () => {
    const small = await seedTip(t, { maxFiles: 5, maxFileBytes: MiB })
    const sealed = await encryptToTip(small.tip, new Uint8Array(MiB))
    const created = await t.client.call(files.createFile, {
      params: { tipId: small.tipId },
      body: { meta: await sealMeta(small.tip), size: sealed.byteLength, chunkSize: MiB },
      session: small.wb,
    })
    expect(created.chunkCount).toBe(2)
  })
})

/** Sealed metadata the relay takes (a well-formed age file; what it holds does not matter here). */
async function someMeta(): Promise<string> {
  return encryptArmored([await recipientOf(generateAgeIdentity())], new Uint8Array(10))
}
