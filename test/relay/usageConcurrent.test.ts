import { wb } from "@sotto/protocol"
import { afterAll, describe, expect, it } from "vitest"
import { readUsage } from "../../relay/src/services/storageUsage.js"
import { startTestRelay, type TestRelay } from "./_harness.js"
import { buildSubmission, seedTeamContext, solve } from "./_seed.js"

// Stored sizes are counted by an in-process ledger whose lock is released once a batch is queued
// (so concurrent submissions share one synced write). Concurrent submissions must still each be
// counted once, and the stored counts must be the last ones, also after a restart.

const SUBMISSIONS = 8

describe("stored sizes under concurrent submissions", () => {
  let t: TestRelay
  afterAll(async () => {
    await t?.destroy()
  })

  it("counts each of eight concurrent submissions once, in memory and on disk", async () => {
    t = await startTestRelay()
    const { node, staff, contextId } = await seedTeamContext(t, 1, 1, 1)
    const bodies = []
    for (let i = 0; i < SUBMISSIONS; i++) {
      const { body } = await buildSubmission(node, contextId, staff)
      bodies.push({ pow: await solve(t, "submitTip", body), ...body })
    }
    const before = await readUsage(t.relay.ctx.store)
    await Promise.all(bodies.map((body) => t.client.call(wb.submitTip, { body })))
    const bytes = bodies.reduce((sum, b) => sum + b.answers.length, 0)
    const expected = { tips: before.node.tips + SUBMISSIONS, bytes: before.node.bytes + bytes }

    expect((await readUsage(t.relay.ctx.store)).node).toEqual(expected)
    t = await t.restart()
    const usage = await readUsage(t.relay.ctx.store)
    expect(usage.node).toEqual(expected)
    expect(usage.contexts.find((c) => c.contextId === contextId)).toMatchObject(expected)
  })
})
