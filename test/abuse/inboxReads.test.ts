import { randomBytes } from "node:crypto"
import { sealTipPart } from "@sotto/crypto-core"
import { contexts, stats, tips, wb } from "@sotto/protocol"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { StoreBackend, Sublevel } from "../../relay/src/store/backend.js"
import { startTestRelay, type TestRelay } from "../relay/_harness.js"
import {
  createContext,
  type SeededNode,
  type Staff,
  type SubmittedTip,
  seedTeamContext,
  submit,
} from "../relay/_seed.js"

// Attack: make every staff inbox slow by adding tips and comments elsewhere on the node (issue
// 11: "GET /tips reads every comment of every tip the caller holds", "five 200-byte anonymous
// comments a second kept the relay at 100 % CPU"). Counted in store reads, not wall time.

/**
 * Counts the records the backend hands out (one per `get`, per key of a `getMany` and per listed
 * entry), in all and per sublevel.
 */
function countReads(backend: StoreBackend): {
  reads: () => number
  of: (sublevel: Sublevel) => number
} {
  let reads = 0
  const bySublevel = new Map<Sublevel, number>()
  const note = (sublevel: Sublevel, n: number) => {
    reads += n
    bySublevel.set(sublevel, (bySublevel.get(sublevel) ?? 0) + n)
  }
  const get = backend.get.bind(backend)
  const getMany = backend.getMany.bind(backend)
  const entries = backend.entries.bind(backend)
  backend.get = async (sublevel, key) => {
    note(sublevel, 1)
    return get(sublevel, key)
  }
  backend.getMany = async (sublevel, keys) => {
    note(sublevel, keys.length)
    return getMany(sublevel, keys)
  }
  backend.entries = (sublevel, range) => {
    const inner = entries(sublevel, range)
    return {
      async *[Symbol.asyncIterator]() {
        for await (const entry of inner) {
          note(sublevel, 1)
          yield entry
        }
      },
    }
  }
  return { reads: () => reads, of: (sublevel) => bySublevel.get(sublevel) ?? 0 }
}

describe("the staff inbox under load elsewhere on the node", () => {
  let t: TestRelay
  let node: SeededNode
  let alice: Staff
  let bob: Staff
  let contextId: string
  let bobsContext: string
  let admin: Staff
  let counter: ReturnType<typeof countReads>

  const comment = (tip: SubmittedTip) =>
    sealTipPart(tip.tip.recipient, "comment", { text: randomBytes(100).toString("hex") })
  /** Reads of one call: in all, and of tip records and objects (comments, files). */
  const readsOf = async <T>(call: () => Promise<T>) => {
    const [before, tipsBefore, objectsBefore] = [
      counter.reads(),
      counter.of("tips"),
      counter.of("objects"),
    ]
    const result = await call()
    return {
      result,
      reads: counter.reads() - before,
      tipRecords: counter.of("tips") - tipsBefore,
      objects: counter.of("objects") - objectsBefore,
    }
  }
  const statsReads = () =>
    readsOf(() => t.client.call(stats.getStats, { session: admin.token, query: { weeks: 4 } }))
  const inboxReads = async () => {
    const before = counter.reads()
    const list = await t.client.call(tips.listTips, { session: alice.token })
    return { reads: counter.reads() - before, list: list.tips }
  }

  beforeAll(async () => {
    t = await startTestRelay()
    ;({
      node,
      contextId,
      admin,
      staff: [alice, bob],
    } = await seedTeamContext(t, 2, 1, 2))
    bobsContext = await createContext(t, node, admin, [bob])
    counter = countReads(t.relay.ctx.store.backend)
  })
  afterAll(async () => {
    await t?.destroy()
  })

  it("reads the same number of records however many tips and comments others have", async () => {
    const mine = await submit(t, node, contextId, [alice])
    await t.client.call(wb.addWbComment, {
      session: mine.session,
      body: { age: await comment(mine) },
    })
    const first = await inboxReads()
    expect(first.list.map((x) => [x.id, x.comments])).toEqual([[mine.tipId, 1]])

    // Twenty tips for bob alone, each with ten comments, and ten more comments on alice's tip.
    for (let i = 0; i < 20; i++) {
      const theirs = await submit(t, node, bobsContext, [bob])
      for (let j = 0; j < 10; j++) {
        await t.client.call(wb.addWbComment, {
          session: theirs.session,
          body: { age: await comment(theirs) },
        })
      }
    }
    for (let j = 0; j < 10; j++) {
      await t.client.call(wb.addWbComment, {
        session: mine.session,
        body: { age: await comment(mine) },
      })
    }
    const later = await inboxReads()
    expect(later.list.map((x) => [x.id, x.comments])).toEqual([[mine.tipId, 11]])
    expect(later.reads).toBe(first.reads)
  })

  it("answers admin stats and the context check from counters, never from tip records", async () => {
    const answered = await submit(t, node, bobsContext, [bob])
    await t.client.call(tips.addTipComment, {
      session: bob.token,
      params: { tipId: answered.tipId },
      body: { age: await comment(answered) },
    })
    const before = await statsReads()
    expect(before.tipRecords).toBe(0)
    expect(before.objects).toBe(0)
    const settled = await statsReads() // nothing new to fold: counters only
    const tipsOf = (r: typeof settled, id: string) =>
      r.result.contexts.find((c) => c.contextId === id)?.tips

    // Five more tips in bob's context, each with two comments from its whistleblower.
    for (let i = 0; i < 5; i++) {
      const theirs = await submit(t, node, bobsContext, [bob])
      await t.client.call(wb.addWbComment, {
        session: theirs.session,
        body: { age: await comment(theirs) },
      })
      await t.client.call(wb.addWbComment, {
        session: theirs.session,
        body: { age: await comment(theirs) },
      })
    }
    const folding = await statsReads()
    expect([folding.tipRecords, folding.objects]).toEqual([0, 0])
    expect(tipsOf(folding, bobsContext)).toBe((tipsOf(before, bobsContext) ?? 0) + 5)
    const after = await statsReads()
    expect(after.reads).toBe(settled.reads)
    expect(after.result.contexts.find((c) => c.contextId === bobsContext)?.responded).toBe(1)

    // Deleting a context with tips is refused from its counter, without reading any tip record.
    const refusal = await readsOf(() =>
      t.client
        .call(contexts.deleteContext, { session: admin.token, params: { contextId: bobsContext } })
        .then(
          () => "deleted",
          (e: { code?: string }) => e.code,
        ),
    )
    expect(refusal.result).toBe("CONFLICT")
    expect([refusal.tipRecords, refusal.objects]).toEqual([0, 0])
  })
})
