import { randomBytes } from "node:crypto"
import { toBase64url } from "@sotto/crypto-core"
import { wb } from "@sotto/protocol"
import { ManualClock } from "@sotto/relay"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startTestRelay, type TestRelay } from "./_harness.js"
import {
  refused,
  type SeededNode,
  type SubmittedTip,
  seedTeamContext,
  solve,
  submit,
} from "./_seed.js"

describe("receipt login under guessing", () => {
  const clock = new ManualClock()
  let t: TestRelay
  let node: SeededNode
  let sent: SubmittedTip

  beforeAll(async () => {
    t = await startTestRelay({ clock })
    const team = await seedTeamContext(t, 1, 1)
    node = team.node
    sent = await submit(t, node, team.contextId, team.staff)
  })
  afterAll(async () => {
    await t.destroy()
  })

  const login = async (authKey: Uint8Array) =>
    t.client.raw(wb.wbLogin, { body: { pow: await solve(t), authKey: toBase64url(authKey) } })

  it("refuses every receipt login for a while after ten failures a minute, then lets them in", async () => {
    for (let i = 0; i < 10; i++) {
      const e = await refused(login(randomBytes(32)))
      expect([e.status, e.code]).toEqual([401, "WRONG_CREDENTIALS"])
      clock.advance(1000)
    }
    const limited = await refused(login(sent.keys.authKey))
    expect([limited.status, limited.code]).toEqual([429, "RATE_LIMITED"])
    const res = await fetch(t.client.url(wb.wbLogin), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ pow: await solve(t), authKey: toBase64url(sent.keys.authKey) }),
    })
    expect(res.status).toBe(429)
    // The oldest failure leaves the minute 50 s from now.
    expect(res.headers.get("retry-after")).toBe("50")
    clock.advance(50_000)
    const ok = await login(sent.keys.authKey)
    expect(ok.status).toBe(200)
    expect(((await ok.json()) as { tipId: string }).tipId).toBe(sent.tipId)
  })

  it("audits a receipt login without the receipt or its key", async () => {
    const entry = (await t.relay.ctx.audit.list()).find((e) => e.action === "wb.login")
    expect(entry).toMatchObject({ actor: "wb", target: sent.tipId })
    const text = JSON.stringify(await t.relay.ctx.audit.list())
    expect(text).not.toContain(toBase64url(sent.keys.authKey))
    expect(text).not.toContain(sent.receipt)
  })
})
