import { tips } from "@sotto/protocol"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { putWrapIn } from "../../relay/src/services/holderIndex.js"
import type { TipRecord, WrapRecord } from "../../relay/src/services/records.js"
import { startTestRelay, type TestRelay } from "./_harness.js"
import { refused } from "./_seed.js"
import { type SeededTip, seedTip } from "./_seedFiles.js"

// GET /tips one page at a time: a stable newest-first order (createdAt, then id), a cursor that
// survives tips arriving meanwhile, and reads of this page's records only.

describe("GET /tips pages", () => {
  let t: TestRelay
  let first: SeededTip
  /** Every tip the recipient holds, newest first, as the list must order them. */
  let expected: string[]

  /** Writes a tip held by `first.recipient` created at `createdAt`. */
  const hold = async (id: string, createdAt: number) => {
    const tip: TipRecord = { ...first.seeded, id, createdAt, updatedAt: createdAt }
    const wrap = await t.relay.ctx.store.get<WrapRecord>(
      "wraps",
      `${first.tipId}/${first.recipient.id}`,
    )
    if (!wrap) throw new Error("no wrap")
    const batch = t.relay.ctx.store.batch().put("tips", `t/${id}`, tip)
    putWrapIn(batch, { ...wrap, tipId: id }, createdAt)
    await batch.write()
  }
  const page = (limit?: number, cursor?: string) =>
    t.client.call(tips.listTips, {
      session: first.recipient.token,
      query: { ...(limit ? { limit } : {}), ...(cursor ? { cursor } : {}) },
    })

  beforeAll(async () => {
    t = await startTestRelay()
    first = await seedTip(t)
    const at = first.seeded.createdAt
    // Two pairs share a time (the id breaks the tie).
    await hold("tip-b", at - 1000)
    await hold("tip-a", at - 1000)
    await hold("tip-c", at - 2000)
    await hold("tip-d", at - 3000)
    await hold("tip-f", at - 4000)
    await hold("tip-e", at - 4000)
    await hold("tip-g", at - 5000)
    expected = [first.tipId, "tip-b", "tip-a", "tip-c", "tip-d", "tip-f", "tip-e", "tip-g"]
  })
  afterAll(() => t.destroy())

  it("lists every tip once, newest first, across pages of three", async () => {
    const seen: string[] = []
    let cursor: string | undefined
    let pages = 0
    do {
      const res = await page(3, cursor)
      seen.push(...res.tips.map((x) => x.id))
      cursor = res.next
      pages++
    } while (cursor)
    expect(pages).toBe(3)
    expect(seen).toEqual(expected)
    expect((await page()).tips.map((x) => x.id)).toEqual(expected)
    expect((await page()).next).toBeUndefined()
  })

  it("keeps later pages stable when a tip arrives between pages", async () => {
    const one = await page(3)
    await hold("tip-new", first.seeded.createdAt + 60_000)
    const two = await page(3, one.next)
    expect(two.tips.map((x) => x.id)).toEqual(expected.slice(3, 6))
    expect((await page(1)).tips.map((x) => x.id)).toEqual(["tip-new"])
  })

  it("reads only the page's index entries and tip records", async () => {
    const backend = t.relay.ctx.store.backend
    const getMany = backend.getMany.bind(backend)
    const get = backend.get.bind(backend)
    const entries = backend.entries.bind(backend)
    let tipReads = 0
    let indexReads = 0
    backend.getMany = async (sublevel, keys) => {
      if (sublevel === "tips") tipReads += keys.length
      return getMany(sublevel, keys)
    }
    backend.get = async (sublevel, key) => {
      if (sublevel === "tips") tipReads++
      return get(sublevel, key)
    }
    backend.entries = (sublevel, range) => {
      const inner = entries(sublevel, range)
      return {
        async *[Symbol.asyncIterator]() {
          for await (const entry of inner) {
            if (sublevel === "holders") indexReads++
            yield entry
          }
        },
      }
    }
    try {
      const one = await page(2)
      expect(one.tips).toHaveLength(2)
      const two = await page(2, one.next)
      // The tip that arrived in the previous test now leads the list.
      expect(two.tips.map((x) => x.id)).toEqual(["tip-new", ...expected].slice(2, 4))
      // Per page: its two records and three index entries (the third says whether more follow).
      expect([tipReads, indexReads]).toEqual([4, 6])
    } finally {
      backend.getMany = getMany
      backend.get = get
      backend.entries = entries
    }
  })

  it("refuses a malformed cursor and a limit out of range", async () => {
    const bad = await refused(page(3, "yesterday"))
    expect([bad.status, bad.code, bad.field]).toEqual([400, "VALIDATION", "query.cursor"])
    const big = await refused(page(201))
    expect([big.status, big.code, big.field]).toEqual([400, "VALIDATION", "query.limit"])
  })
})

describe("the holder index of an older data dir", () => {
  it("is rebuilt in time order at start, once", async () => {
    const t = await startTestRelay()
    try {
      const s = await seedTip(t)
      const store = t.relay.ctx.store
      // What a relay before the time-ordered index left behind: `<userId>/<tipId>` → 1.
      const old = store.batch().put("holders", `${s.recipient.id}/${s.tipId}`, 1)
      for (const key of await store.keys("holders")) old.del("holders", key)
      old.put("holders", `${s.recipient.id}/${s.tipId}`, 1).del("settings", "holderIndex")
      await old.write()
      const again = await t.restart()
      try {
        const keys = await again.relay.ctx.store.keys("holders")
        expect(keys).toEqual([
          `${s.recipient.id}/${String(s.seeded.createdAt).padStart(13, "0")}/${s.tipId}`,
        ])
        const list = await again.client.call(tips.listTips, { session: s.recipient.token })
        expect(list.tips.map((x) => x.id)).toEqual([s.tipId])
      } finally {
        await again.destroy()
      }
    } finally {
      await t.destroy()
    }
  })
})
