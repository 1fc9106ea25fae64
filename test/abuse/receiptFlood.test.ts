import { randomBytes } from "node:crypto"
import { toBase64url } from "@sotto/crypto-core"
import { wb } from "@sotto/protocol"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startTestRelay, type TestRelay } from "../relay/_harness.js"
import { refused, type SubmittedTip, seedTeamContext, submit, wbLoginBody } from "../relay/_seed.js"

// Attack: guess receipts fast enough to lock every whistleblower out of receipt login (issue 11:
// "ten wrong receipts a minute anywhere lock every whistleblower out").

const BASE = 2

describe("receipt login during a receipt-guessing flood", () => {
  let t: TestRelay
  let sent: SubmittedTip

  beforeAll(async () => {
    t = await startTestRelay()
    const team = await seedTeamContext(t, 1, 1, BASE)
    sent = await submit(t, team.node, team.contextId, team.staff)
  })
  afterAll(async () => {
    await t?.destroy()
  })

  const codes: string[] = []
  const wrong = async () => {
    const e = await refused(
      t.client.call(wb.wbLogin, { body: await wbLoginBody(t, toBase64url(randomBytes(32))) }),
    )
    codes.push(e.code)
  }

  it("lets a real receipt in while 120 wrong guesses arrive, at a bounded extra cost", async () => {
    // Four guessers, each sending wrong receipts one after another.
    let guesses = 0
    const guessers = Array.from({ length: 4 }, async () => {
      while (guesses < 120) {
        guesses++
        await wrong()
      }
    })
    // The real whistleblower arrives once the flood is well under way.
    while (guesses < 60) await new Promise((r) => setTimeout(r, 20))
    expect(codes.length).toBeGreaterThan(10)
    // As the PWA does (withPow): a challenge whose difficulty rose while solving is fetched again once.
    const login = async () =>
      t.client.call(wb.wbLogin, { body: await wbLoginBody(t, toBase64url(sent.keys.authKey)) })
    const mine = await login().catch((e: { code?: string }) => {
      if (e.code !== "BAD_POW") throw e
      return login()
    })
    expect(mine.tipId).toBe(sent.tipId)
    await Promise.all(guessers)
    // Guesses were answered as wrong receipts, or as proofs fetched before the price rose: never
    // with a lock (429 RATE_LIMITED, 423 LOCKED) that would keep real whistleblowers away too.
    expect(codes.filter((c) => c !== "WRONG_CREDENTIALS" && c !== "BAD_POW")).toEqual([])
    expect(codes.filter((c) => c === "WRONG_CREDENTIALS").length).toBeGreaterThan(90)
    // The flood raised the price of receipt logins by the receipt guard's cap (6 bits) over what
    // every anonymous write pays under this load (itself capped at 8 bits): bounded both ways.
    const bits = (await t.client.call(wb.getPow, { query: { for: "wbLogin" } })).difficulty
    const submitBits = (await t.client.call(wb.getPow)).difficulty
    expect(bits - submitBits).toBe(6)
    expect(bits).toBeLessThanOrEqual(BASE + 8 + 6)
  })
})
