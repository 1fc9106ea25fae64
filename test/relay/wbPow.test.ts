import { randomBytes } from "node:crypto"
import { solvePow, toBase64url, verifyPow } from "@sotto/crypto-core"
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

  it("hands out 16 random bytes at the node's base difficulty", async () => {
    const a = await t.client.call(wb.getPow)
    const b = await t.client.call(wb.getPow)
    expect(a.challenge).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(a.challenge).not.toBe(b.challenge)
    expect(a.difficulty).toBe(BASE)
  })

  it("refuses a nonce that does not solve the challenge, and stores nothing", async () => {
    const challenge = await t.client.call(wb.getPow)
    let nonce = 0
    while (verifyPow(challenge, nonce)) nonce++
    const before = await storeSnapshot(t)
    const body = { pow: { challenge: challenge.challenge, nonce }, ...(await submission()) }
    const e = await refused(t.client.call(wb.submitTip, { body }))
    expect([e.status, e.code, e.field]).toEqual([400, "BAD_POW", "body.pow.nonce"])
    expect(await storeSnapshot(t)).toEqual(before)
  })

  it("refuses a challenge it never issued", async () => {
    const forged = { challenge: toBase64url(randomBytes(16)), difficulty: BASE }
    const body = {
      pow: { challenge: forged.challenge, nonce: await solvePow(forged) },
      ...(await submission()),
    }
    const e = await refused(t.client.call(wb.submitTip, { body }))
    expect([e.status, e.code, e.field]).toEqual([400, "BAD_POW", "body.pow"])
  })

  it("accepts each challenge once", async () => {
    const pow = await solve(t)
    await t.client.call(wb.submitTip, { body: { pow, ...(await submission()) } })
    const before = await storeSnapshot(t)
    const e = await refused(t.client.call(wb.submitTip, { body: { pow, ...(await submission()) } }))
    expect([e.status, e.code]).toEqual([400, "BAD_POW"])
    expect(await storeSnapshot(t)).toEqual(before)
  })

  it("refuses a challenge after its five minutes", async () => {
    const pow = await solve(t)
    clock.advance(5 * 60_000 + 1)
    const e = await refused(t.client.call(wb.submitTip, { body: { pow, ...(await submission()) } }))
    expect([e.status, e.code]).toEqual([400, "BAD_POW"])
    const login = await refused(
      t.client.call(wb.wbLogin, { body: { pow, authKey: toBase64url(randomBytes(32)) } }),
    )
    expect(login.code).toBe("BAD_POW")
  })

  it("raises the difficulty while anonymous writes exceed the threshold, then lowers it", async () => {
    const gate = powGate(t.relay.ctx)
    gate.policy = { ...gate.policy, threshold: 2, stepBits: 2 }
    clock.advance(60_000)
    for (let i = 0; i < 3; i++) {
      await t.client.call(wb.submitTip, { body: { pow: await solve(t), ...(await submission()) } })
    }
    const raised = await t.client.call(wb.getPow)
    expect(raised.difficulty).toBe(BASE + 2)
    // A challenge keeps the difficulty it was issued with.
    const nonce = await solvePow(raised)
    await t.client.call(wb.submitTip, {
      body: { pow: { challenge: raised.challenge, nonce }, ...(await submission()) },
    })
    expect((await t.client.call(wb.getPow)).difficulty).toBe(BASE + 4)
    clock.advance(60_001)
    expect((await t.client.call(wb.getPow)).difficulty).toBe(BASE)
  })
})
