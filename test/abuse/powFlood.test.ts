import { type PowChallenge, powBinding, solvePow, toBase64url, verifyPow } from "@sotto/crypto-core"
import { wb } from "@sotto/protocol"
import { ManualClock } from "@sotto/relay"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { powGate } from "../../relay/src/services/pow.js"
import { startTestRelay, type TestRelay } from "../relay/_harness.js"
import {
  buildSubmission,
  refused,
  type SeededNode,
  type Staff,
  seedTeamContext,
} from "../relay/_seed.js"

// Attacks on the proof-of-work gate (issue 11 "guards that forget", issue 10 attack 9): flush
// solved challenges with a flood of free `GET /pow`, and move a proof to another request.

const BASE = 4

/** Runs `total` calls of `one`, `width` at a time. */
async function flood(total: number, width: number, one: () => Promise<unknown>) {
  let left = total
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (left-- > 0) await one()
    }),
  )
}

describe("the proof of work under attack", () => {
  const clock = new ManualClock()
  let t: TestRelay
  let node: SeededNode
  let alice: Staff
  let contextId: string

  /** A proof for `route` and `body` (the body without `pow`), as a browser makes it. */
  const issued = new Map<string, Omit<PowChallenge, "binding">>()
  const proofFor = async (route: "submitTip" | "wbLogin", body: object) => {
    const c = await t.client.call(wb.getPow, { query: { for: route } })
    issued.set(c.challenge, c)
    return {
      challenge: c.challenge,
      nonce: await solvePow({ ...c, binding: powBinding(route, body) }),
    }
  }
  /**
   * A new submission whose body `pow` does not solve by chance: at BASE bits one nonce in 2^BASE
   * solves its challenge for any other request too, which would show nothing about the binding.
   */
  const submissionNotSolvedBy = async (pow: { challenge: string; nonce: number }) => {
    const challenge = issued.get(pow.challenge)
    if (!challenge) throw new Error("a proof made by proofFor")
    for (;;) {
      const built = await buildSubmission(node, contextId, [alice])
      const binding = powBinding("submitTip", built.body)
      if (!verifyPow({ ...challenge, binding }, pow.nonce)) return built
    }
  }

  beforeAll(async () => {
    t = await startTestRelay({ clock })
    ;({
      node,
      contextId,
      staff: [alice],
    } = await seedTeamContext(t, 1, 1, BASE))
  })
  afterAll(async () => {
    await t?.destroy()
  })

  it("keeps a solved challenge valid through a flood of 100,001 GET /pow", async () => {
    const built = await buildSubmission(node, contextId, [alice])
    const pow = await proofFor("submitTip", built.body)
    await flood(100_001, 32, () => fetch(t.client.url(wb.getPow)).then((r) => r.arrayBuffer()))
    const res = await t.client.call(wb.submitTip, { body: { pow, ...built.body } })
    expect(res.tipId).toBeTruthy()
    // Nothing is kept per issued challenge: only the ones spent (here, this one) are remembered.
    expect(await powGate(t.relay.ctx).spentCount()).toBe(1)
  })

  it("refuses a proof made for one route on another", async () => {
    const forLogin = await buildSubmission(node, contextId, [alice])
    const loginBody = { authKey: toBase64url(forLogin.keys.authKey) }
    const pow = await proofFor("wbLogin", loginBody)
    const built = await submissionNotSolvedBy(pow)
    const e = await refused(t.client.call(wb.submitTip, { body: { pow, ...built.body } }))
    expect([e.status, e.code]).toEqual([400, "BAD_POW"])
  })

  it("refuses a proof made for one body with another body on the same route", async () => {
    const first = await buildSubmission(node, contextId, [alice])
    const pow = await proofFor("submitTip", first.body)
    const second = await submissionNotSolvedBy(pow)
    const e = await refused(t.client.call(wb.submitTip, { body: { pow, ...second.body } }))
    expect([e.status, e.code]).toEqual([400, "BAD_POW"])
    // The proof was not spent by the refusal: the body it pays for still goes through once.
    expect((await t.client.call(wb.submitTip, { body: { pow, ...first.body } })).tipId).toBeTruthy()
    const again = await refused(t.client.call(wb.submitTip, { body: { pow, ...first.body } }))
    expect(again.code).toBe("BAD_POW")
  })

  it("refuses a challenge past its five minutes", async () => {
    const built = await buildSubmission(node, contextId, [alice])
    const pow = await proofFor("submitTip", built.body)
    clock.advance(5 * 60_000 + 1)
    const e = await refused(t.client.call(wb.submitTip, { body: { pow, ...built.body } }))
    expect(e.code).toBe("BAD_POW")
  })
})
