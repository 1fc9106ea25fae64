import { randomBytes } from "node:crypto"
import { powBinding, solvePow, toBase64url, verifyPow } from "@sotto/crypto-core"
import { wb } from "@sotto/protocol"
import { ManualClock } from "@sotto/relay"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { powGate } from "../../relay/src/services/pow.js"
import { startTestRelay, type TestRelay } from "./_harness.js"
import {
  buildSubmission,
  refused,
  type SeededNode,
  type Staff,
  seedTeamContext,
  solve,
  storeSnapshot,
} from "./_seed.js"

const BASE = 6

describe("the proof of work in front of anonymous writes", () => {
  const clock = new ManualClock()
  let t: TestRelay
  let node: SeededNode
  let alice: Staff
  let contextId: string

  beforeAll(async () => {
    t = await startTestRelay({ clock })
    ;({
      node,
      contextId,
      staff: [alice],
    } = await seedTeamContext(t, 1, 1, BASE))
  })
  afterAll(async () => {
    await t.destroy()
  })

  const submission = () => buildSubmission(node, contextId, [alice]).then((b) => b.body)

  it("hands out 32-byte MAC'd challenges at the node's base difficulty", async () => {
    const a = await t.client.call(wb.getPow)
    const b = await t.client.call(wb.getPow)
    expect(a.challenge).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(a.challenge).not.toBe(b.challenge)
    expect(a.difficulty).toBe(BASE)
  })

  it("refuses a nonce that does not solve the challenge, and stores nothing", async () => {
    const challenge = await t.client.call(wb.getPow)
    const unpaid = await submission()
    const bound = { ...challenge, binding: powBinding("submitTip", unpaid) }
    let nonce = 0
    while (verifyPow(bound, nonce)) nonce++
    const before = await storeSnapshot(t)
    const body = { pow: { challenge: challenge.challenge, nonce }, ...unpaid }
    const e = await refused(t.client.call(wb.submitTip, { body }))
    expect([e.status, e.code, e.field]).toEqual([400, "BAD_POW", "body.pow.nonce"])
    expect(await storeSnapshot(t)).toEqual(before)
  })

  it("refuses a challenge it never issued", async () => {
    const unpaid = await submission()
    const forged = {
      challenge: toBase64url(randomBytes(32)),
      difficulty: BASE,
      binding: powBinding("submitTip", unpaid),
    }
    const body = { pow: { challenge: forged.challenge, nonce: await solvePow(forged) }, ...unpaid }
    const e = await refused(t.client.call(wb.submitTip, { body }))
    expect([e.status, e.code, e.field]).toEqual([400, "BAD_POW", "body.pow"])
  })

  it("accepts each challenge once", async () => {
    const unpaid = await submission()
    const pow = await solve(t, "submitTip", unpaid)
    await t.client.call(wb.submitTip, { body: { pow, ...unpaid } })
    const before = await storeSnapshot(t)
    const e = await refused(t.client.call(wb.submitTip, { body: { pow, ...unpaid } }))
    expect([e.status, e.code]).toEqual([400, "BAD_POW"])
    expect(await storeSnapshot(t)).toEqual(before)
  })

  it("refuses a challenge after its five minutes", async () => {
    const unpaid = await submission()
    const pow = await solve(t, "submitTip", unpaid)
    const authKey = toBase64url(randomBytes(32))
    const loginPow = await solve(t, "wbLogin", { authKey })
    clock.advance(5 * 60_000 + 1)
    const e = await refused(t.client.call(wb.submitTip, { body: { pow, ...unpaid } }))
    expect([e.status, e.code]).toEqual([400, "BAD_POW"])
    const login = await refused(t.client.call(wb.wbLogin, { body: { pow: loginPow, authKey } }))
    expect(login.code).toBe("BAD_POW")
  })

  it("raises the difficulty while anonymous writes exceed the threshold, then lowers it", async () => {
    const gate = powGate(t.relay.ctx)
    gate.policy = { ...gate.policy, threshold: 2, stepBits: 2 }
    clock.advance(60_000)
    for (let i = 0; i < 3; i++) {
      const unpaid = await submission()
      await t.client.call(wb.submitTip, {
        body: { pow: await solve(t, "submitTip", unpaid), ...unpaid },
      })
    }
    const raised = await t.client.call(wb.getPow)
    expect(raised.difficulty).toBe(BASE + 2)
    // A challenge keeps the difficulty it was issued with.
    const unpaid = await submission()
    const nonce = await solvePow({ ...raised, binding: powBinding("submitTip", unpaid) })
    await t.client.call(wb.submitTip, {
      body: { pow: { challenge: raised.challenge, nonce }, ...unpaid },
    })
    expect((await t.client.call(wb.getPow)).difficulty).toBe(BASE + 4)
    clock.advance(60_001)
    expect((await t.client.call(wb.getPow)).difficulty).toBe(BASE)
  })
})
