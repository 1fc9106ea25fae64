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
  wbLoginBody,
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
    t.client.raw(wb.wbLogin, { body: await wbLoginBody(t, toBase64url(authKey)) })
  const loginBits = async () =>
    (await t.client.call(wb.getPow, { query: { for: "wbLogin" } })).difficulty

  it("raises the receipt login's proof of work past ten failures a minute, never locking", async () => {
    const base = await loginBits()
    for (let i = 0; i < 10; i++) {
      const e = await refused(login(randomBytes(32)))
      expect([e.status, e.code]).toEqual([401, "WRONG_CREDENTIALS"])
    }
    expect(await loginBits()).toBe(base)
    await refused(login(randomBytes(32)))
    expect(await loginBits()).toBe(base + 2)
    // Submissions are not charged for receipt guessing.
    expect((await t.client.call(wb.getPow)).difficulty).toBe(base)
    const ok = await login(sent.keys.authKey)
    expect(ok.status).toBe(200)
    expect(((await ok.json()) as { tipId: string }).tipId).toBe(sent.tipId)
    clock.advance(60_000)
    expect(await loginBits()).toBe(base)
  })

  it("takes a receipt-login proof one price step old, refuses one two steps old", async () => {
    const authKey = toBase64url(sent.keys.authKey)
    const first = await solve(t, "wbLogin", { authKey })
    const second = await solve(t, "wbLogin", { authKey })
    for (let i = 0; i < 11; i++) await refused(login(randomBytes(32)))
    expect((await t.client.call(wb.wbLogin, { body: { pow: first, authKey } })).tipId).toBe(
      sent.tipId,
    )
    for (let i = 0; i < 9; i++) await refused(login(randomBytes(32)))
    const e = await refused(t.client.call(wb.wbLogin, { body: { pow: second, authKey } }))
    expect([e.status, e.code, e.field]).toEqual([400, "BAD_POW", "body.pow"])
    clock.advance(60_000)
  })

  it("audits a receipt login without the receipt or its key", async () => {
    const entry = (await t.relay.ctx.audit.list()).find((e) => e.action === "wb.login")
    expect(entry).toMatchObject({ actor: "wb", target: sent.tipId })
    const text = JSON.stringify(await t.relay.ctx.audit.list())
    expect(text).not.toContain(toBase64url(sent.keys.authKey))
    expect(text).not.toContain(sent.receipt)
  })
})
