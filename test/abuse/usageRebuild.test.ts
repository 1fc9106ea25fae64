import { afterAll, describe, expect, it } from "vitest"
import { readUsage } from "../../relay/src/services/storageUsage.js"
import { startTestRelay, type TestRelay } from "../relay/_harness.js"
import { seedTip } from "../relay/_seedFiles.js"

// A data dir from a relay that kept no stored sizes is counted once at start; afterwards the
// counts are kept by each write, and a restart does not count again.

describe("stored sizes of an older data dir", () => {
  let t: TestRelay
  afterAll(async () => {
    await t?.destroy()
  })

  it("counts every tip, comment and file once at start", async () => {
    t = await startTestRelay()
    // seedTip writes records directly, as an older relay left them: no usage anywhere.
    const a = await seedTip(t)
    const b = await seedTip(t)
    const store = t.relay.ctx.store
    const comment = {
      kind: "comment",
      id: "0000x",
      tipId: a.tipId,
      author: "wb",
      createdAt: 1,
      age: "x".repeat(500),
    }
    const file = {
      kind: "file",
      id: `${"f".repeat(22)}${a.tipId}`,
      tipId: a.tipId,
      author: "wb",
      createdAt: 1,
      meta: "m".repeat(100),
      size: 4000,
      chunkSize: 65536,
      chunkCount: 1,
      complete: false,
    }
    await store
      .batch()
      .put("objects", `${a.tipId}/0000x`, comment)
      .put("objects", `${a.tipId}/${file.id}`, file)
      .write()
    await store.batch().del("settings", "usage/node").write()
    for (const key of await store.keys("settings", { gte: "usage/c/", lt: "usage/c/\uffff" })) {
      await store.batch().del("settings", key).write()
    }
    const answers = async (tipId: string) =>
      (await store.get<{ answers: string }>("tips", `t/${tipId}`))?.answers.length ?? 0
    const expected = {
      a: (await answers(a.tipId)) + 500 + 4100,
      b: await answers(b.tipId),
    }

    t = await t.restart()
    const usage = await readUsage(t.relay.ctx.store)
    expect(usage.node).toEqual({ tips: 2, bytes: expected.a + expected.b })
    expect(usage.contexts.find((c) => c.contextId === a.contextId)).toMatchObject({
      tips: 1,
      bytes: expected.a,
    })
    expect(usage.contexts.find((c) => c.contextId === b.contextId)).toMatchObject({
      tips: 1,
      bytes: expected.b,
    })

    // Counted once: a second start keeps the counts as they are.
    await t.relay.ctx.store.batch().put("settings", "usage/node", { tips: 2, bytes: 7 }).write()
    t = await t.restart()
    expect((await readUsage(t.relay.ctx.store)).node).toEqual({ tips: 2, bytes: 7 })
  })
})
