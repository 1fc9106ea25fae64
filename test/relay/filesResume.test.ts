import { type ChildProcess, spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import { join } from "node:path"
import { decryptFile } from "@sotto/crypto-core"
import { files, RelayClient } from "@sotto/protocol"
import { ManualClock } from "@sotto/relay"
import { afterEach, describe, expect, it } from "vitest"
import { wipeAbandonedUploads } from "../../relay/src/services/uploads.js"
import { startTestRelay, type TestRelay, testStoreEnv } from "./_harness.js"
import { chunkHash, chunksOf, encryptToTip, sealMeta, seedTip } from "./_seedFiles.js"

const KiB = 1024
const ROOT = new URL("../../", import.meta.url).pathname

const running: TestRelay[] = []
afterEach(async () => {
  for (const t of running.splice(0)) await t.destroy()
})
async function relay(options: Parameters<typeof startTestRelay>[0] = {}): Promise<TestRelay> {
  const t = await startTestRelay(options)
  running.push(t)
  return t
}

function putChunk(
  client: RelayClient,
  fileId: string,
  index: number,
  chunk: Uint8Array,
  session: string,
) {
  return client.call(files.putFileChunk, {
    params: { fileId, index: String(index) },
    body: chunk,
    session,
    headers: { "X-Chunk-Sha256": chunkHash(chunk) },
  })
}

/** The relay as a real process (`node --import tsx relay/src/main.ts`), and the port it printed. */
async function spawnRelay(dataDir: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ["--import", "tsx", "relay/src/main.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: "0",
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      LOG_LEVEL: "silent",
      STATIC_DIR: join(dataDir, "no-static"),
      SECRETS_KEY_FILE: `${dataDir}.secrets.key`,
      OPRF_KEY_FILE: `${dataDir}.oprf.key`,
      // The same store as the in-process relay that made the data (LevelDB or PostgreSQL).
      ...testStoreEnv(dataDir),
    },
    stdio: ["ignore", "pipe", "inherit"],
  })
  const port = await new Promise<number>((resolve, reject) => {
    let out = ""
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString()
      const m = /Sotto relay on http:\/\/(?:\[[^\]]+\]|[^:/\s]+):(\d+)/.exec(out)
      if (m) resolve(Number(m[1]))
    })
    child.on("exit", (code) => reject(new Error(`relay exited early with ${code}`)))
  })
  return { child, port }
}

describe("resuming uploads", () => {
  it("resumes after a restart: the status lists the acked chunks, the rest completes the file", async () => {
    let t = await relay()
    const s = await seedTip(t)
    const plain = new Uint8Array(randomBytes(600 * KiB))
    const age = await encryptToTip(s.tip, plain)
    const chunks = chunksOf(age, 64 * KiB)
    const { fileId } = await t.client.call(files.createFile, {
      params: { tipId: s.tipId },
      body: { meta: await sealMeta(s.tip), size: age.byteLength, chunkSize: 64 * KiB },
      session: s.wb,
    })
    const half = Math.floor(chunks.length / 2)
    for (let i = 0; i < half; i++)
      await putChunk(t.client, fileId, i, chunks[i] as Uint8Array, s.wb)

    t = await t.restart()
    running.push(t)
    const status = await t.client.call(files.getFileStatus, { params: { fileId }, session: s.wb })
    expect(status.received).toEqual([...Array(half).keys()])
    expect(status.complete).toBe(false)
    for (let i = half; i < chunks.length; i++) {
      const ack = await putChunk(t.client, fileId, i, chunks[i] as Uint8Array, s.wb)
      expect(ack.received).toBe(i + 1)
    }
    await t.client.call(files.finalizeFile, { params: { fileId }, session: s.wb })

    const res = await t.client.raw(files.downloadFile, { params: { fileId }, session: s.wb })
    const body = res.body as ReadableStream<Uint8Array>
    const opened = await new Response(decryptFile(body, s.tip.identity)).arrayBuffer()
    expect(Buffer.from(opened).equals(plain)).toBe(true)
  })

  it("keeps an acknowledged chunk when the relay process is killed with SIGKILL", async () => {
    const t = await relay()
    const s = await seedTip(t)
    const chunk = new Uint8Array(randomBytes(64 * KiB))
    const { fileId } = await t.client.call(files.createFile, {
      params: { tipId: s.tipId },
      body: { meta: await sealMeta(s.tip), size: 2 * 64 * KiB, chunkSize: 64 * KiB },
      session: s.wb,
    })
    await t.stop()

    const { child, port } = await spawnRelay(t.dataDir)
    const exited = new Promise((resolve) => child.once("exit", resolve))
    try {
      const client = new RelayClient(`http://127.0.0.1:${port}`)
      expect(await putChunk(client, fileId, 1, chunk, s.wb)).toEqual({ index: 1, received: 1 })
    } finally {
      child.kill("SIGKILL")
    }
    expect(await exited).toBe(null)

    const after = await relay({ dataDir: t.dataDir })
    const status = await after.client.call(files.getFileStatus, {
      params: { fileId },
      session: s.wb,
    })
    expect(status.received).toEqual([1])
    const stored = await after.relay.ctx.store.backend.readBlob(fileId, 64 * KiB, 64 * KiB)
    expect(Buffer.from(stored ?? []).equals(chunk)).toBe(true)
  })
})

describe("abandoned uploads", () => {
  it("wipes unfinished uploads older than the cut-off with their chunks, and audits it", async () => {
    const clock = new ManualClock()
    const t = await relay({ clock })
    const s = await seedTip(t)
    const meta = await sealMeta(s.tip)
    let session = s.wb
    const create = (size: number) =>
      t.client.call(files.createFile, {
        params: { tipId: s.tipId },
        body: { meta, size, chunkSize: 64 * KiB },
        session,
      })
    const stale = await create(2 * 64 * KiB)
    await putChunk(t.client, stale.fileId, 0, new Uint8Array(64 * KiB), s.wb)
    const done = await create(10)
    await putChunk(t.client, done.fileId, 0, new Uint8Array(10), s.wb)
    await t.client.call(files.finalizeFile, { params: { fileId: done.fileId }, session: s.wb })
    clock.advance(25 * 3_600_000)
    // the old session idled out meanwhile; the whistleblower logs in again
    session = (await t.relay.ctx.sessions.create({ kind: "wb", tipId: s.tipId })).token
    const fresh = await create(10)

    expect(await wipeAbandonedUploads(t.relay.ctx, clock.now() - 24 * 3_600_000)).toBe(1)

    const status = (fileId: string) =>
      t.client.call(files.getFileStatus, { params: { fileId }, session })
    await expect(status(stale.fileId)).rejects.toMatchObject({ code: "NOT_FOUND" })
    expect(await t.relay.ctx.store.get("chunks", stale.fileId)).toBeUndefined()
    expect(await t.relay.ctx.store.backend.readBlob(stale.fileId, 0, 1)).toBeUndefined()
    expect(await t.relay.ctx.store.backend.readBlob(done.fileId, 0, 10)).toEqual(new Uint8Array(10))
    expect((await status(done.fileId)).complete).toBe(true)
    expect((await status(fresh.fileId)).complete).toBe(false)
    const audit = await t.relay.ctx.audit.list()
    expect(audit.filter((e) => e.action === "upload.abandoned")).toMatchObject([
      { actor: "system", target: s.tipId, details: { fileId: stale.fileId, chunks: 1 } },
    ])
    expect(await wipeAbandonedUploads(t.relay.ctx, clock.now() - 24 * 3_600_000)).toBe(0)
  })

  it("deletes file bytes no record names (a crash between a wipe's batch and its unlink)", async () => {
    const t = await relay()
    const s = await seedTip(t)
    const { fileId } = await t.client.call(files.createFile, {
      params: { tipId: s.tipId },
      body: { meta: await sealMeta(s.tip), size: 10, chunkSize: 64 * KiB },
      session: s.wb,
    })
    await putChunk(t.client, fileId, 0, new Uint8Array(10).fill(1), s.wb)
    const backend = t.relay.ctx.store.backend
    const orphan = `${"o".repeat(22)}${s.tipId}`
    await backend.writeBlob(orphan, 0, new Uint8Array(10).fill(2))

    expect(await wipeAbandonedUploads(t.relay.ctx, 0)).toBe(0)

    expect(await backend.readBlob(orphan, 0, 10)).toBeUndefined()
    expect(await backend.readBlob(fileId, 0, 10)).toEqual(new Uint8Array(10).fill(1))
  })
})
