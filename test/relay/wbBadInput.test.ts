import { sealTipPart, toBase64url, unwrapTipKey } from "@sotto/crypto-core"
import { wb } from "@sotto/protocol"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startTestRelay, type TestRelay } from "./_harness.js"
import {
  buildSubmission,
  refused,
  type SeededNode,
  type Staff,
  type SubmittedTip,
  seedTeamContext,
  solve,
  storeSnapshot,
  submit,
} from "./_seed.js"

const ARMOR = "-----BEGIN AGE ENCRYPTED FILE-----"

describe("bad input to the whistleblower routes", () => {
  let t: TestRelay
  let node: SeededNode
  let alice: Staff
  let contextId: string
  let sent: SubmittedTip
  let comment: string

  beforeAll(async () => {
    t = await startTestRelay()
    ;({
      node,
      contextId,
      staff: [alice],
    } = await seedTeamContext(t, 1, 1))
    sent = await submit(t, node, contextId, [alice])
    const mine = await t.client.call(wb.getWbTip, { session: sent.session })
    const key = await unwrapTipKey(mine.wbWrap, sent.keys.identity)
    comment = await sealTipPart(key.recipient, "comment", { text: "hi" })
  })
  afterAll(async () => {
    await t.destroy()
  })

  it("names the field of a bad submission and stores nothing", async () => {
    const { body: good } = await buildSubmission(node, contextId, [alice])
    const pow = await solve(t, "submitTip", good)
    const base = { pow, ...good } as Record<string, unknown>
    const wrap = good.wraps[0]?.wrap
    const without = (key: string) =>
      Object.fromEntries(Object.entries(base).filter(([k]) => k !== key))
    const cases: Array<[unknown, string]> = [
      [without("pow"), "body.pow"],
      [{ ...base, pow: { challenge: pow.challenge } }, "body.pow.nonce"],
      [{ ...base, pow: { ...pow, nonce: -1 } }, "body.pow.nonce"],
      [{ ...base, pow: { ...pow, nonce: "1" } }, "body.pow.nonce"],
      [{ ...base, pow: { ...pow, challenge: "short" } }, "body.pow.challenge"],
      [{ ...base, pow: { ...pow, extra: true } }, "body.pow.extra"],
      [without("contextId"), "body.contextId"],
      [{ ...base, contextId: 7 }, "body.contextId"],
      [{ ...base, answers: "plain text answers" }, "body.answers"],
      [{ ...base, answers: `${ARMOR}\n${"A".repeat(256 * 1024)}` }, "body.answers"],
      [without("wbAuthVerifier"), "body.wbAuthVerifier"],
      [{ ...base, wbAuthVerifier: toBase64url(new Uint8Array(31)) }, "body.wbAuthVerifier"],
      [{ ...base, wraps: [] }, "body.wraps"],
      [{ ...base, wraps: [{ holder: alice.id }] }, "body.wraps.0.wrap"],
      [{ ...base, wraps: [{ holder: alice.id, wrap, note: "x" }] }, "body.wraps.0.note"],
      [{ ...base, wraps: [{ holder: alice.id, wrap: { ...wrap, v: 2 } }] }, "body.wraps.0.wrap.v"],
      [{ ...base, wbWrap: { ...good.wbWrap, to: [] } }, "body.wbWrap.to"],
      [{ ...base, wbWrap: { ...good.wbWrap, to: ["age1nope"] } }, "body.wbWrap.to.0"],
      [{ ...base, name: "me" }, "body.name"],
    ]
    const before = await storeSnapshot(t)
    for (const [body, field] of cases) {
      const e = await refused(t.client.call(wb.submitTip, { body: body as never }))
      expect([e.status, e.code, e.field], field).toEqual([400, "VALIDATION", field])
    }
    const twoRecipients = { ...good.wbWrap, to: [alice.recipient, alice.recipient] }
    const unpaid = { ...good, wbWrap: twoRecipients }
    const paid = { ...unpaid, pow: await solve(t, "submitTip", unpaid) }
    const e = await refused(t.client.call(wb.submitTip, { body: paid }))
    expect([e.status, e.field]).toEqual([400, "body.wbWrap.to"])
    expect(await storeSnapshot(t)).toEqual(before)
  })

  it("refuses a submission body over its limit with 413", async () => {
    const { body: good } = await buildSubmission(node, contextId, [alice])
    const pow = await solve(t, "submitTip", good)
    const body = { pow, ...good, answers: `${ARMOR}\n${"A".repeat(900 * 1024)}` }
    const e = await refused(t.client.call(wb.submitTip, { body }))
    expect([e.status, e.code]).toEqual([413, "BODY_TOO_LARGE"])
  })

  it("names the field of a bad receipt login", async () => {
    const authKey = toBase64url(sent.keys.authKey)
    const pow = await solve(t, "wbLogin", { authKey })
    const cases: Array<[unknown, string]> = [
      [{ pow }, "body.authKey"],
      [{ authKey }, "body.pow"],
      [{ pow, authKey: 42 }, "body.authKey"],
      [{ pow, authKey: authKey.slice(1) }, "body.authKey"],
      [{ pow, authKey: `${"A".repeat(42)}B` }, "body.authKey"],
      [{ pow, authKey, receipt: "1234" }, "body.receipt"],
    ]
    const before = await storeSnapshot(t)
    for (const [body, field] of cases) {
      const e = await refused(t.client.call(wb.wbLogin, { body: body as never }))
      expect([e.status, e.code, e.field], field).toEqual([400, "VALIDATION", field])
    }
    const huge = { pow, authKey: "A".repeat(2000) }
    expect((await refused(t.client.call(wb.wbLogin, { body: huge }))).status).toBe(413)
    expect(await storeSnapshot(t)).toEqual(before)
  })

  it("names the field of a bad whistleblower comment and stores nothing", async () => {
    const cases: Array<[unknown, string]> = [
      [{}, "body.age"],
      [{ age: 1 }, "body.age"],
      [{ age: "a comment in clear" }, "body.age"],
      [{ age: `${ARMOR}\n${"A".repeat(64 * 1024)}` }, "body.age"],
      [{ age: comment, author: "recipient" }, "body.author"],
    ]
    const before = await storeSnapshot(t)
    for (const [body, field] of cases) {
      const e = await refused(
        t.client.call(wb.addWbComment, { session: sent.session, body: body as never }),
      )
      expect([e.status, e.code, e.field], field).toEqual([400, "VALIDATION", field])
    }
    const huge = { age: `${ARMOR}\n${"A".repeat(70 * 1024)}` }
    const e = await refused(t.client.call(wb.addWbComment, { session: sent.session, body: huge }))
    expect(e.status).toBe(413)
    expect(await storeSnapshot(t)).toEqual(before)
  })

  it("refuses whistleblower routes without a receipt session", async () => {
    expect((await refused(t.client.call(wb.getWbTip))).status).toBe(401)
    const e = await refused(t.client.call(wb.addWbComment, { body: { age: comment } }))
    expect([e.status, e.code]).toEqual([401, "UNAUTHENTICATED"])
  })
})
