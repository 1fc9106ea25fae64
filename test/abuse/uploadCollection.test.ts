import { files } from "@sotto/protocol"
import { ManualClock } from "@sotto/relay"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { readUsage } from "../../relay/src/services/storageUsage.js"
import { UPLOAD_IDLE_MS } from "../../relay/src/services/uploads.js"
import { startTestRelay, type TestRelay } from "../relay/_harness.js"
import { chunkHash, sealMeta, seedTip } from "../relay/_seedFiles.js"

// Issue 11: "unfinished uploads stay 24 h". An upload with no new chunk for UPLOAD_IDLE_MS (6 h)
// is collected by its own timer, and its bytes leave the tip's, channel's and node's counts; one
// still moving on a slow link (a chunk every few hours) is kept however long it takes.

const KiB = 1024
const HOUR = 3_600_000

describe("abandoned uploads are collected early, slow ones are kept", () => {
  const clock = new ManualClock()
  let t: TestRelay
  let tip: Awaited<ReturnType<typeof seedTip>>
  let meta: string

  /** A fresh whistleblower session (sessions idle out while the clock moves in hours). */
  const wbSession = async () =>
    (await t.relay.ctx.sessions.create({ kind: "wb", tipId: tip.tipId })).token
  const start = async (size: number) =>
    t.client.call(files.createFile, {
      params: { tipId: tip.tipId },
      body: { meta, size, chunkSize: 64 * KiB },
      session: await wbSession(),
    })
  const put = async (fileId: string, index: number) => {
    const chunk = new Uint8Array(64 * KiB).fill(index)
    await t.client.call(files.putFileChunk, {
      params: { fileId, index: String(index) },
      body: chunk,
      session: await wbSession(),
      headers: { "X-Chunk-Sha256": chunkHash(chunk) },
    })
  }
  const status = async (fileId: string) =>
    t.client
      .call(files.getFileStatus, { params: { fileId }, session: await wbSession() })
      .catch((e: { code?: string }) => e.code)
  const stored = async () =>
    (await readUsage(t.relay.ctx.store)).contexts.find((c) => c.contextId === tip.contextId)?.bytes
  const after = async (ms: number) => {
    clock.advance(ms)
    await t.relay.timers.runDue()
  }

  beforeAll(async () => {
    t = await startTestRelay({ clock })
    tip = await seedTip(t)
    meta = await sealMeta(tip.tip)
  })
  afterAll(async () => {
    await t?.destroy()
  })

  it("collects an upload idle for 6 hours, keeps one that gets a chunk every 5", async () => {
    expect(UPLOAD_IDLE_MS).toBe(6 * HOUR)
    const empty = await stored()
    const idle = await start(4 * 64 * KiB)
    const slow = await start(4 * 64 * KiB)
    await put(idle.fileId, 0)
    await put(slow.fileId, 0)
    const reserved = await stored()
    expect(reserved).toBeGreaterThan((empty ?? 0) + 8 * 64 * KiB)
    for (let i = 1; i < 4; i++) {
      await after(5 * HOUR)
      await put(slow.fileId, i)
    }
    // 15 h have passed: the idle upload went at 6 h, the slow one finishes.
    expect(await status(idle.fileId)).toBe("NOT_FOUND")
    expect(
      await t.relay.ctx.store.keys("chunks", { gte: `${idle.fileId}/`, lt: `${idle.fileId}0` }),
    ).toEqual([])
    await t.client.call(files.finalizeFile, {
      params: { fileId: slow.fileId },
      session: await wbSession(),
    })
    expect((await status(slow.fileId)) as { complete: boolean }).toMatchObject({ complete: true })
    expect(await stored()).toBe((reserved ?? 0) - (4 * 64 * KiB + meta.length))
    const audit = await t.relay.ctx.audit.list()
    expect(audit.filter((e) => e.action === "upload.abandoned")).toMatchObject([
      { actor: "system", target: tip.tipId, details: { fileId: idle.fileId, chunks: 1 } },
    ])
    // A complete file is never collected.
    await after(7 * HOUR)
    expect((await status(slow.fileId)) as { complete: boolean }).toMatchObject({ complete: true })
  })

  it("frees the tip's file slot and quota for a new try", async () => {
    const again = await start(10)
    await after(UPLOAD_IDLE_MS - 1)
    expect(await status(again.fileId)).toMatchObject({ complete: false })
    await after(1)
    expect(await status(again.fileId)).toBe("NOT_FOUND")
    const record = await t.relay.ctx.store.get<{ usage: { fileSlots: number } }>(
      "tips",
      `t/${tip.tipId}`,
    )
    expect(record?.usage.fileSlots).toBe(1)
  })
})
