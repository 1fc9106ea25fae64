import { randomBytes } from "node:crypto"
import { sealTipPart } from "@sotto/crypto-core"
import { accounts, files, storage, tips, wb } from "@sotto/protocol"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startTestRelay, type TestRelay } from "../relay/_harness.js"
import {
  buildSubmission,
  createContext,
  refused,
  type SeededNode,
  type Staff,
  type SubmittedTip,
  seedTeamContext,
  solve,
  submit,
} from "../relay/_seed.js"
import { sealMeta } from "../relay/_seedFiles.js"

// Issue 11, quotas: per tip (file bytes, unfinished uploads included), per channel and for the
// node, with stored sizes counted beside the records and shown to admins. An anonymous client
// is refused past a budget while the node keeps serving other channels and the staff.

const KiB = 1024
const MiB = 1024 * KiB

describe("byte budgets per tip, per channel and for the node", () => {
  let t: TestRelay
  let node: SeededNode
  let admin: Staff
  let alice: Staff
  let busy: string
  let quiet: string
  let a: SubmittedTip

  const usage = () => t.client.call(storage.getStorage, { session: admin.token })
  const channel = async (contextId: string) =>
    (await usage()).contexts.find((c) => c.contextId === contextId) ?? { tips: 0, bytes: 0 }
  const setQuotas = (quotas: {
    tipFileBytes?: number
    contextBytes?: number
    nodeBytes?: number
  }) => t.client.call(accounts.updateSettings, { session: admin.token, body: { quotas } })
  const startFile = async (tip: SubmittedTip, size: number) =>
    t.client.call(files.createFile, {
      params: { tipId: tip.tipId },
      body: { meta: await sealMeta(tip.tip), size, chunkSize: 64 * KiB },
      session: tip.session,
    })
  const comment = (tip: SubmittedTip, chars: number) =>
    sealTipPart(tip.tip.recipient, "comment", {
      text: randomBytes(Math.floor((chars * 0.72) / 2)).toString("hex"),
    })

  beforeAll(async () => {
    t = await startTestRelay()
    ;({
      node,
      admin,
      contextId: busy,
      staff: [alice],
    } = await seedTeamContext(t, 1, 1))
    quiet = await createContext(t, node, admin, [alice])
    a = await submit(t, node, busy, [alice])
  })
  afterAll(async () => {
    await t?.destroy()
  })

  it("counts stored sizes beside the records and shows them to admins", async () => {
    const tip = await t.relay.ctx.store.get<{ answers: string }>("tips", `t/${a.tipId}`)
    expect(await channel(busy)).toMatchObject({ tips: 1, bytes: tip?.answers.length })
    const age = await comment(a, 2000)
    await t.client.call(wb.addWbComment, { session: a.session, body: { age } })
    const seen = await usage()
    expect(seen.node).toMatchObject({ tips: 1, bytes: (tip?.answers.length ?? 0) + age.length })
    expect(seen.node.budgetBytes).toBe(200 * 1024 * MiB)
    expect(seen.contexts).toEqual([{ contextId: busy, ...seen.node, budgetBytes: 50 * 1024 * MiB }])
    expect(seen.tipFileBytes).toBe(2 * 1024 * MiB)
    expect(typeof seen.disk.low).toBe("boolean")
    // Only admins see it.
    const other = await refused(t.client.call(storage.getStorage, { session: alice.token }))
    expect(other.status).toBe(403)
  })

  it("refuses a tip's files past its file bytes, counting unfinished uploads", async () => {
    await setQuotas({ tipFileBytes: MiB })
    const b = await submit(t, node, quiet, [alice])
    const over = await refused(startFile(b, MiB))
    expect([over.status, over.code, over.field]).toEqual([403, "QUOTA_EXCEEDED", "body.size"])
    await startFile(b, 512 * KiB)
    const second = await refused(startFile(b, 512 * KiB))
    expect(second.code).toBe("QUOTA_EXCEEDED")
    expect((await startFile(b, 256 * KiB)).chunkCount).toBe(4)
    await setQuotas({ tipFileBytes: 2 * 1024 * MiB })
  })

  it("refuses anonymous writes past the channel's budget, while other channels and staff go on", async () => {
    await setQuotas({ contextBytes: MiB })
    const before = await channel(busy)
    await startFile(a, MiB - before.bytes - 20 * KiB)
    const full = await channel(busy)
    expect(full.bytes).toBeLessThanOrEqual(MiB)
    const file = await refused(startFile(a, 64 * KiB))
    expect([file.status, file.code]).toEqual([507, "BUDGET_EXCEEDED"])
    const big = await comment(a, 30 * KiB)
    const refusal = await refused(
      t.client.call(wb.addWbComment, { session: a.session, body: { age: big } }),
    )
    expect([refusal.status, refusal.code]).toEqual([507, "BUDGET_EXCEEDED"])
    expect(refusal.message).toMatch(/channel/)
    expect((await channel(busy)).bytes).toBe(full.bytes)
    // The staff still answer there, and another channel still takes reports.
    await t.client.call(tips.addTipComment, {
      session: alice.token,
      params: { tipId: a.tipId },
      body: { age: big },
    })
    const elsewhere = await submit(t, node, quiet, [alice])
    expect(elsewhere.tipId).toBeTruthy()
    await setQuotas({ contextBytes: 50 * 1024 * MiB })
  })

  it("refuses anonymous submissions past the node's budget, with nothing stored", async () => {
    await setQuotas({ nodeBytes: MiB })
    const built = await buildSubmission(node, quiet, [alice])
    const pow = await solve(t, "submitTip", built.body)
    const before = await usage()
    const full = await refused(t.client.call(wb.submitTip, { body: { pow, ...built.body } }))
    expect([full.status, full.code]).toEqual([507, "BUDGET_EXCEEDED"])
    expect(full.message).toMatch(/node/)
    expect((await usage()).node).toEqual(before.node)
    // Room again: the same proof was not spent by the refusal.
    await setQuotas({ nodeBytes: 200 * 1024 * MiB })
    expect((await t.client.call(wb.submitTip, { body: { pow, ...built.body } })).tipId).toBeTruthy()
  })

  it("gives a wiped tip's bytes back to its channel and the node", async () => {
    const before = await usage()
    const busyBefore = await channel(busy)
    await t.client.call(tips.deleteTip, { session: admin.token, params: { tipId: a.tipId } })
    expect(await channel(busy)).toMatchObject({ tips: 0, bytes: 0 })
    const after = await usage()
    expect(after.node.tips).toBe(before.node.tips - 1)
    expect(after.node.bytes).toBe(before.node.bytes - busyBefore.bytes)
  })
})
