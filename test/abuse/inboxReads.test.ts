import { randomBytes } from "node:crypto"
import { sealTipPart } from "@sotto/crypto-core"
import { tips, wb } from "@sotto/protocol"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { StoreBackend } from "../../relay/src/store/backend.js"
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

/** Counts the records the backend hands out (one per `get` hit and per listed entry). */
function countReads(backend: StoreBackend): { reads: () => number } {
  let reads = 0
  const get = backend.get.bind(backend)
  const entries = backend.entries.bind(backend)
  backend.get = async (sublevel, key) => {
    reads++
    return get(sublevel, key)
  }
  backend.entries = (sublevel, range) => {
    const inner = entries(sublevel, range)
    return {
      async *[Symbol.asyncIterator]() {
        for await (const entry of inner) {
          reads++
          yield entry
        }
      },
    }
  }
  return { reads: () => reads }
}

describe("the staff inbox under load elsewhere on the node", () => {
  let t: TestRelay
  let node: SeededNode
  let alice: Staff
  let bob: Staff
  let contextId: string
  let bobsContext: string
  let admin: Staff
  let counter: { reads: () => number }

  const comment = (tip: SubmittedTip) =>
    sealTipPart(tip.tip.recipient, "comment", { text: randomBytes(100).toString("hex") })
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
})
