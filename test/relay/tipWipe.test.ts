import { randomBytes } from "node:crypto"
import { readdir, readFile } from "node:fs/promises"
import { join } from "node:path"
import { files, tips } from "@sotto/protocol"
import { ManualClock } from "@sotto/relay"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { TipRecord } from "../../relay/src/services/records.js"
import type { TimerTask } from "../../relay/src/services/timers.js"
import { wipeTip } from "../../relay/src/services/tipWipe.js"
import { prefixRange } from "../../relay/src/store/store.js"
import { startTestRelay, type TestRelay, testStoreEnv } from "./_harness.js"
import { refused } from "./_seed.js"
import {
  chunkHash,
  encryptToTip,
  type SeededTip,
  sealMeta,
  seedTip,
  seedUser,
} from "./_seedFiles.js"
import { storedBytesDir } from "./_storedBytes.js"
import { schedule } from "./_timerSeeds.js"

// Crypto-shredding all the way down: a wipe deletes the tip's file blobs and the relay compacts
// LevelDB, so the deleted ciphertext is gone from the files in the data dir, not only from the
// store's view. On PostgreSQL (SOTTO_TEST_STORE_URL) the same tests scan every row of the node's
// schema (records and blob pieces): the wipe deletes the rows at once and the compaction (VACUUM)
// still runs once; dead tuples and WAL are the server's (relay/README.md, PostgreSQL store).

const ON_PG = testStoreEnv("probe").STORE_URL !== undefined

/** Which of `needles` the test relay's store still holds: its data dir, or its schema's rows. */
async function foundStored(t: TestRelay, needles: readonly Buffer[]): Promise<Buffer[]> {
  return foundOnDisk(await storedBytesDir(t), needles)
}

/** Which of `needles` occur in any file under `dir`. */
async function foundOnDisk(dir: string, needles: readonly Buffer[]): Promise<Buffer[]> {
  const found = new Set<Buffer>()
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue
    // LevelDB's background compaction may delete a file between listing and reading it.
    const bytes = await readFile(join(entry.parentPath, entry.name)).catch(() => undefined)
    for (const needle of needles) if (bytes?.includes(needle)) found.add(needle)
  }
  return [...found]
}

/** Distinctive slices of what a tip stores: its armored answers and its file's ciphertext. */
async function traces(t: TestRelay, s: SeededTip, chunk: Uint8Array): Promise<Buffer[]> {
  const tip = await t.relay.ctx.store.get<TipRecord>("tips", `t/${s.tipId}`)
  // The last full armor line is payload ciphertext (the first lines start alike in every age file).
  const payload = (tip?.answers ?? "").split("\n").filter((l) => /^[A-Za-z0-9+/]{64}$/.test(l))
  const line = payload.at(-1) ?? expect.unreachable()
  return [Buffer.from(line.slice(0, 40), "utf8"), Buffer.from(chunk.subarray(1000, 1032))]
}

/** Seeds a tip with one uploaded, finalized file; returns the file's single chunk. */
async function tipWithFile(t: TestRelay): Promise<{ s: SeededTip; chunk: Uint8Array }> {
  const s = await seedTip(t)
  const chunk = await encryptToTip(s.tip, new Uint8Array(randomBytes(40_000)))
  const { fileId } = await t.client.call(files.createFile, {
    params: { tipId: s.tipId },
    body: { meta: await sealMeta(s.tip), size: chunk.byteLength, chunkSize: 64 * 1024 },
    session: s.wb,
  })
  await t.client.call(files.putFileChunk, {
    params: { fileId, index: "0" },
    body: chunk,
    session: s.wb,
    headers: { "X-Chunk-Sha256": chunkHash(chunk) },
  })
  await t.client.call(files.finalizeFile, { params: { fileId }, session: s.wb })
  return { s, chunk }
}

const compactions = async (t: TestRelay) =>
  (await t.relay.ctx.store.list<TimerTask>("timers")).filter(([, x]) => x.kind === "store.compact")

describe("wiping a tip removes its ciphertext from the LevelDB files (PostgreSQL: rows)", () => {
  const clock = new ManualClock()
  let t: TestRelay
  beforeAll(async () => {
    t = await startTestRelay({ clock })
    await t.relay.timers.runDue()
  })
  afterAll(async () => {
    await t.destroy()
  })

  it("queues a compaction with DELETE /tips/:id, after which the data dir no longer holds the tip's bytes", async () => {
    const { s, chunk } = await tipWithFile(t)
    const kept = await tipWithFile(t)
    const gone = await traces(t, s, chunk)
    expect(await foundStored(t, gone)).toHaveLength(gone.length)

    // An admin deletes (the node's default tip policy: admins only; test/abuse/tipPolicy.test.ts).
    const admin = await seedUser(t, "admin")
    await t.client.call(tips.deleteTip, { session: admin.token, params: { tipId: s.tipId } })
    // The file's bytes went with their blob at once; LevelDB's write-ahead log still holds the
    // answers, PostgreSQL's rows do not (its WAL is the server's).
    expect(await foundStored(t, gone)).toEqual(ON_PG ? [] : [gone[0]])
    expect(await compactions(t)).toHaveLength(1)

    await t.relay.timers.runDue()
    expect(await compactions(t)).toEqual([])
    expect(await foundStored(t, gone)).toEqual([])
    // The tip that was not wiped is still readable after the compaction.
    const read = await t.client.call(tips.getTip, {
      session: kept.s.recipient.token,
      params: { tipId: kept.s.tipId },
    })
    expect(read.tip.id).toBe(kept.s.tipId)
  })

  it("compacts once after an expiry wipe, for several tips wiped in one run", async () => {
    const seeded = [await tipWithFile(t), await tipWithFile(t), await tipWithFile(t)]
    const gone = (await Promise.all(seeded.map(({ s, chunk }) => traces(t, s, chunk)))).flat()
    for (const { s } of seeded) {
      await schedule(t, clock.now() + 1000, { kind: "tip.expire", tipId: s.tipId })
    }
    let runs = 0
    const store = t.relay.ctx.store
    const compact = store.compact.bind(store)
    store.compact = () => {
      runs++
      return compact()
    }
    try {
      clock.advance(1000)
      await t.relay.timers.runDue()
    } finally {
      store.compact = compact
    }
    expect(runs).toBe(1)
    expect(await compactions(t)).toEqual([])
    expect(await foundStored(t, gone)).toEqual([])
  })

  it("runs a compaction still queued when the relay stopped, after the restart", async () => {
    const { s, chunk } = await tipWithFile(t)
    const gone = await traces(t, s, chunk)
    await wipeTip(t.relay.ctx, s.tipId, "system")
    t = await t.restart()
    await t.relay.timers.runDue()
    expect(await compactions(t)).toEqual([])
    expect(await foundStored(t, gone)).toEqual([])
  })
})

/** A point where a patched store method stops until the test lets it go on. */
function gate() {
  let reached = () => {}
  let release = () => {}
  const atGate = new Promise<void>((resolve) => {
    reached = resolve
  })
  const open = new Promise<void>((resolve) => {
    release = resolve
  })
  return {
    /** Resolves once the patched call is waiting. */
    atGate,
    release,
    /** Called by the patched method: signals arrival, then waits for `release`. */
    wait: () => {
      reached()
      return open
    },
  }
}

/** Whether `promise` is still pending after 200 ms. */
const stillPending = (promise: Promise<unknown>) =>
  Promise.race([
    promise.then(() => false),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 200)),
  ])

describe("wiping a tip while one of its files is being uploaded", () => {
  let t: TestRelay
  beforeAll(async () => {
    t = await startTestRelay()
  })
  afterAll(async () => {
    await t.destroy()
  })

  it("waits for a chunk being stored, then deletes it with the tip, leaving no orphan chunk", async () => {
    const s = await seedTip(t)
    const chunk = new Uint8Array(randomBytes(1000))
    const { fileId } = await t.client.call(files.createFile, {
      params: { tipId: s.tipId },
      body: { meta: await sealMeta(s.tip), size: chunk.byteLength, chunkSize: 64 * 1024 },
      session: s.wb,
    })
    // Holds the chunk PUT after it has checked the file exists and before it writes the chunk.
    const store = t.relay.ctx.store
    const writeBlob = store.backend.writeBlob.bind(store.backend)
    const beforeWrite = gate()
    store.backend.writeBlob = async (id, offset, bytes) => {
      if (id === fileId) await beforeWrite.wait()
      return writeBlob(id, offset, bytes)
    }
    try {
      const put = t.client.call(files.putFileChunk, {
        params: { fileId, index: "0" },
        body: chunk,
        session: s.wb,
        headers: { "X-Chunk-Sha256": chunkHash(chunk) },
      })
      await beforeWrite.atGate
      const wipe = wipeTip(t.relay.ctx, s.tipId, s.recipient.id)
      expect(await stillPending(wipe)).toBe(true)
      beforeWrite.release()
      expect(await put).toEqual({ index: 0, received: 1 })
      expect(await wipe).toBe(true)
    } finally {
      store.backend.writeBlob = writeBlob
    }
    expect(await store.get("chunks", fileId)).toBeUndefined()
    expect(await store.backend.readBlob(fileId, 0, 1)).toBeUndefined()
    expect(await store.keys("objects", prefixRange(`${s.tipId}/`))).toEqual([])
  })

  it("refuses a file started while the wipe runs, leaving no orphan file record", async () => {
    const s = await seedTip(t)
    // Holds the wipe inside its upload locks, when it lists the tip's objects.
    const store = t.relay.ctx.store
    const list = store.list.bind(store)
    const inWipe = gate()
    let first = true
    store.list = (async (sublevel, range) => {
      if (sublevel === "objects" && first) {
        first = false
        await inWipe.wait()
      }
      return list(sublevel, range)
    }) as typeof store.list
    try {
      const wipe = wipeTip(t.relay.ctx, s.tipId, s.recipient.id)
      await inWipe.atGate
      const create = t.client.call(files.createFile, {
        params: { tipId: s.tipId },
        body: { meta: await sealMeta(s.tip), size: 1000, chunkSize: 64 * 1024 },
        session: s.wb,
      })
      // The route has found the tip and now waits for the upload lock the wipe holds.
      expect(await stillPending(create)).toBe(true)
      inWipe.release()
      expect(await wipe).toBe(true)
      expect((await refused(create)).code).toBe("NOT_FOUND")
    } finally {
      store.list = list
    }
    expect(await store.keys("objects", prefixRange(`${s.tipId}/`))).toEqual([])
  })
})
