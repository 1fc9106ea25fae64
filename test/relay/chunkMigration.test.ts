import { randomBytes } from "node:crypto"
import { files } from "@sotto/protocol"
import { afterAll, describe, expect, it } from "vitest"
import { openTestStore, startTestRelay, type TestRelay } from "./_harness.js"
import { filesUnder } from "./_secrets.js"
import { chunkHash, sealMeta, seedTip } from "./_seedFiles.js"

// Data format 3 keeps upload bytes in blobs; a format-2 dir (chunks as LevelDB values at
// `chunks/<fileId>/<index>`) is migrated at start, before any route reads it.

const KiB = 1024
const cleanup: TestRelay[] = []
afterAll(async () => {
  for (const t of cleanup) await t.destroy()
})

/** Rewrites a format-3 data dir into what a format-2 relay left: chunk values, no blobs. */
async function downgradeToFormat2(dataDir: string, fileIds: readonly string[], chunkSize: number) {
  const store = await openTestStore(dataDir)
  for (const fileId of fileIds) {
    const bits = await store.get<{ bits: string }>("chunks", fileId)
    const all = await store.backend.readBlob(fileId, 0, 1 << 30)
    const batch = store.batch().del("chunks", fileId)
    for (let i = 0; all && i * chunkSize < all.byteLength; i++) {
      const held = bits
        ? ((Buffer.from(bits.bits, "base64url")[i >> 3] ?? 0) & (1 << (i & 7))) !== 0
        : true
      if (held)
        batch.putBytes(
          "chunks",
          `${fileId}/${String(i).padStart(6, "0")}`,
          all.subarray(i * chunkSize, (i + 1) * chunkSize),
        )
    }
    await batch.write()
    await store.backend.deleteBlob(fileId)
  }
  await store.put("settings", "dataVersion", { major: 2 })
  await store.close()
}

/** The ids of the blobs a stopped test relay's store holds (LevelDB files or PostgreSQL rows). */
async function blobIdsOf(dataDir: string): Promise<string[]> {
  const store = await openTestStore(dataDir)
  try {
    const ids: string[] = []
    for await (const id of store.backend.blobIds()) ids.push(id)
    return ids
  } finally {
    await store.close()
  }
}

describe("migrating a format-2 data dir", () => {
  it("moves finished and unfinished uploads into blobs and bitmaps, then serves them", async () => {
    const t = await startTestRelay()
    cleanup.push(t)
    const s = await seedTip(t)
    const meta = await sealMeta(s.tip)
    const chunkSize = 64 * KiB
    const whole = new Uint8Array(randomBytes(2 * chunkSize + 100))
    const pieces = [0, 1, 2].map((i) => whole.subarray(i * chunkSize, (i + 1) * chunkSize))
    const put = (fileId: string, index: number, chunk: Uint8Array) =>
      t.client.call(files.putFileChunk, {
        params: { fileId, index: String(index) },
        body: chunk,
        session: s.wb,
        headers: { "X-Chunk-Sha256": chunkHash(chunk) },
      })
    const create = () =>
      t.client.call(files.createFile, {
        params: { tipId: s.tipId },
        body: { meta, size: whole.byteLength, chunkSize },
        session: s.wb,
      })
    const done = await create()
    for (const [i, p] of pieces.entries()) await put(done.fileId, i, p)
    await t.client.call(files.finalizeFile, { params: { fileId: done.fileId }, session: s.wb })
    const half = await create()
    await put(half.fileId, 2, pieces[2] as Uint8Array)
    await t.stop()
    await downgradeToFormat2(t.dataDir, [done.fileId, half.fileId], chunkSize)
    expect((await filesUnder(t.dataDir)).filter((p) => p.includes("/blobs/"))).toEqual([])
    expect(await blobIdsOf(t.dataDir)).toEqual([])

    const after = await startTestRelay({ dataDir: t.dataDir })
    cleanup.push(after)
    const store = after.relay.ctx.store
    expect(await store.get("settings", "dataVersion")).toEqual({ major: 3 })
    expect((await store.keys("chunks")).sort()).toEqual([half.fileId])
    const res = await after.client.raw(files.downloadFile, {
      params: { fileId: done.fileId },
      session: s.wb,
    })
    expect(Buffer.from(await res.arrayBuffer()).equals(whole)).toBe(true)
    const status = await after.client.call(files.getFileStatus, {
      params: { fileId: half.fileId },
      session: s.wb,
    })
    expect(status).toMatchObject({ received: [2], complete: false })
    // The rest of the unfinished upload completes it.
    const resume = (index: number, chunk: Uint8Array) =>
      after.client.call(files.putFileChunk, {
        params: { fileId: half.fileId, index: String(index) },
        body: chunk,
        session: s.wb,
        headers: { "X-Chunk-Sha256": chunkHash(chunk) },
      })
    expect(await resume(0, pieces[0] as Uint8Array)).toEqual({ index: 0, received: 2 })
    expect(await resume(1, pieces[1] as Uint8Array)).toEqual({ index: 1, received: 3 })
    await after.client.call(files.finalizeFile, { params: { fileId: half.fileId }, session: s.wb })
    const again = await after.client.raw(files.downloadFile, {
      params: { fileId: half.fileId },
      session: s.wb,
    })
    expect(Buffer.from(await again.arrayBuffer()).equals(whole)).toBe(true)
  })

  it("refuses a data dir of a newer format, unread", async () => {
    const t = await startTestRelay()
    cleanup.push(t)
    await t.relay.ctx.store.put("settings", "dataVersion", { major: 4 })
    await t.stop()
    await expect(startTestRelay({ dataDir: t.dataDir })).rejects.toMatchObject({
      code: "DATA_DIR_VERSION",
      message: expect.stringContaining("data format 4"),
    })
  })
})
