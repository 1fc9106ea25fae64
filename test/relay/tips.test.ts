import {
  authVerifier,
  deriveReceiptKeys,
  MIN_KDF_PARAMS,
  openTipPart,
  sealTipPart,
  toBase64url,
  unwrapTipKey,
} from "@sotto/crypto-core"
import { tips, wb } from "@sotto/protocol"
import { ManualClock } from "@sotto/relay"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { RelayEvent } from "../../relay/src/services/events.js"
import type { TipRecord } from "../../relay/src/services/records.js"
import type { TimerTask } from "../../relay/src/services/timers.js"
import { startTestRelay, type TestRelay } from "./_harness.js"
import {
  buildSubmission,
  refused,
  type SeededNode,
  type Staff,
  type SubmittedTip,
  seedTeamContext,
  solve,
  submit,
  wbLoginBody,
} from "./_seed.js"

const DAY = 86_400_000

describe("submitting a tip and reading it on both sides", () => {
  let t: TestRelay
  let node: SeededNode
  let alice: Staff
  let bob: Staff
  let carol: Staff
  let contextId: string
  let sent: SubmittedTip
  const events: RelayEvent[] = []

  beforeAll(async () => {
    t = await startTestRelay({ clock: new ManualClock() })
    t.relay.ctx.events.subscribe((e) => events.push(e))
    ;({
      node,
      contextId,
      staff: [alice, bob, carol],
    } = await seedTeamContext(t, 3, 2))
    sent = await submit(t, node, contextId, [alice, bob])
  })
  afterAll(async () => {
    await t.destroy()
  })

  it("answers a submission with 201, a tip id, a whistleblower session and the expiry", async () => {
    const built = await buildSubmission(node, contextId, [alice, bob])
    const res = await t.client.raw(wb.submitTip, {
      body: { pow: await solve(t, "submitTip", built.body), ...built.body },
    })
    expect(res.status).toBe(201)
    const body = (await res.json()) as { tipId: string; session: string; expiresAt: number }
    expect(body.tipId).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(body.session).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(body.expiresAt).toBe(t.relay.ctx.clock.now() + 30 * DAY)
  })

  it("stores the tip with its receipt index, wraps, expiry and reminder timers and audit", async () => {
    const store = t.relay.ctx.store
    const tip = await store.get<TipRecord>("tips", `t/${sent.tipId}`)
    expect(tip?.status).toBe("new")
    expect(await store.get("tips", `r/${tip?.wbAuthVerifier}`)).toBe(sent.tipId)
    expect(
      (await store.keys("wraps", { gte: `${sent.tipId}/`, lt: `${sent.tipId}/~` })).sort(),
    ).toEqual([`${sent.tipId}/${alice.id}`, `${sent.tipId}/${bob.id}`, `${sent.tipId}/wb`].sort())
    const timers = await Promise.all(
      (tip?.timerKeys ?? []).map(async (k) => [
        k.slice(0, 13),
        await store.get<TimerTask>("timers", k),
      ]),
    )
    expect(timers).toEqual([
      [String(sent.expiresAt).padStart(13, "0"), { kind: "tip.expire", tipId: sent.tipId }],
      [
        String(sent.expiresAt - 7 * DAY).padStart(13, "0"),
        { kind: "tip.remind", tipId: sent.tipId },
      ],
    ])
    const audit = (await t.relay.ctx.audit.list()).find((e) => e.target === sent.tipId)
    expect(audit).toMatchObject({ actor: "wb", action: "tip.created" })
    expect(JSON.stringify(audit)).not.toContain(sent.answers.what)
  })

  it("tells the context's recipients about the new tip", () => {
    expect(events).toContainEqual({
      type: "tip.created",
      tipId: sent.tipId,
      users: [alice.id, bob.id],
      wb: false,
      tip: expect.objectContaining({ id: sent.tipId, comments: 0, files: 0, status: "new" }),
    })
  })

  it("lists the tip for each recipient, who unwraps the tip key and decrypts the answers", async () => {
    for (const who of [alice, bob]) {
      const { tips: list } = await t.client.call(tips.listTips, { session: who.token })
      expect(list.find((x) => x.id === sent.tipId)).toMatchObject({
        contextId,
        status: "new",
        labels: [],
        comments: 0,
        files: 0,
        expiresAt: sent.expiresAt,
      })
      const read = await t.client.call(tips.getTip, {
        session: who.token,
        params: { tipId: sent.tipId },
      })
      expect(read.wrap.to).toEqual([who.recipient])
      const key = await unwrapTipKey(read.wrap, who.identity)
      expect(await openTipPart(read.answers, key, "answers")).toEqual(sent.answers)
      expect(read.holders.map((h) => h.userId).sort()).toEqual([alice.id, bob.id].sort())
    }
  })

  it("counts every staff read of a tip", async () => {
    const read = () =>
      t.client.call(tips.getTip, { session: alice.token, params: { tipId: sent.tipId } })
    const first = (await read()).tip.accessCount
    expect((await read()).tip.accessCount).toBe(first + 1)
  })

  it("answers 404 to staff without a wrap, as for a tip that does not exist", async () => {
    const { tips: list } = await t.client.call(tips.listTips, { session: carol.token })
    expect(list).toEqual([])
    for (const tipId of [sent.tipId, "doesNotExist"]) {
      const e = await refused(
        t.client.call(tips.getTip, { session: carol.token, params: { tipId } }),
      )
      expect([e.status, e.code]).toEqual([404, "NOT_FOUND"])
    }
  })

  it("logs the whistleblower in with the receipt and shows their tip, which they can decrypt", async () => {
    const keys = await deriveReceiptKeys(
      sent.receipt.replaceAll(" ", "-"),
      node.receiptSalt,
      MIN_KDF_PARAMS,
    )
    const login = await t.client.call(wb.wbLogin, {
      body: await wbLoginBody(t, toBase64url(keys.authKey)),
    })
    expect(login.tipId).toBe(sent.tipId)
    const mine = await t.client.call(wb.getWbTip, { session: login.session })
    expect(mine.tip).toEqual({
      id: sent.tipId,
      contextId,
      createdAt: expect.any(Number),
      updatedAt: expect.any(Number),
      expiresAt: sent.expiresAt,
      status: "new",
    })
    const key = await unwrapTipKey(mine.wbWrap, keys.identity)
    expect(await openTipPart(mine.answers, key, "answers")).toEqual(sent.answers)
    const stored = await t.relay.ctx.store.get<TipRecord>("tips", `t/${sent.tipId}`)
    expect(stored?.wbLastAccessAt).toBe(t.relay.ctx.clock.now())
  })

  it("refuses an unknown receipt with 401 WRONG_CREDENTIALS", async () => {
    const keys = await deriveReceiptKeys("1234 5678 1234 5678", node.receiptSalt, MIN_KDF_PARAMS)
    const e = await refused(
      t.client.call(wb.wbLogin, {
        body: await wbLoginBody(t, toBase64url(keys.authKey)),
      }),
    )
    expect([e.status, e.code]).toEqual([401, "WRONG_CREDENTIALS"])
  })

  it("carries comments both ways, showing staff authors to the whistleblower only as recipient", async () => {
    const key = await unwrapTipKey(
      (await t.client.call(wb.getWbTip, { session: sent.session })).wbWrap,
      sent.keys.identity,
    )
    events.length = 0
    const fromWb = await t.client.call(wb.addWbComment, {
      session: sent.session,
      body: { age: await sealTipPart(key.recipient, "comment", { text: "more details" }) },
    })
    expect(fromWb.author).toBe("wb")
    expect(events).toContainEqual({
      type: "comment.created",
      tipId: sent.tipId,
      users: expect.arrayContaining([alice.id, bob.id]),
      wb: false,
      tip: expect.objectContaining({ id: sent.tipId }),
    })
    const seen = await t.client.call(tips.getTip, {
      session: alice.token,
      params: { tipId: sent.tipId },
    })
    const aliceKey = await unwrapTipKey(seen.wrap, alice.identity)
    const wbComment = seen.comments.find((c) => c.id === fromWb.id)
    expect(wbComment?.author).toBe("wb")
    expect(await openTipPart(wbComment?.age ?? "", aliceKey, "comment")).toEqual({
      text: "more details",
    })

    const fromAlice = await t.client.call(tips.addTipComment, {
      session: alice.token,
      params: { tipId: sent.tipId },
      body: { age: await sealTipPart(aliceKey.recipient, "comment", { text: "thank you" }) },
    })
    expect(fromAlice.author).toBe(alice.id)
    expect(events.at(-1)).toMatchObject({ type: "comment.created", tipId: sent.tipId, wb: true })
    const mine = await t.client.call(wb.getWbTip, { session: sent.session })
    expect(mine.comments.map((c) => c.author)).toEqual(["wb", "recipient"])
    expect(JSON.stringify(mine)).not.toContain(alice.id)
    expect(await openTipPart(mine.comments[1]?.age ?? "", key, "comment")).toEqual({
      text: "thank you",
    })
    const { tips: list } = await t.client.call(tips.listTips, { session: bob.token })
    expect(list.find((x) => x.id === sent.tipId)?.comments).toBe(2)
  })

  it("lets a holder set the status and labels", async () => {
    const params = { tipId: sent.tipId }
    const view = await t.client.call(tips.updateTip, {
      session: bob.token,
      params,
      body: { status: "open", labels: ["urgent", "finance"] },
    })
    expect(view).toMatchObject({ status: "open", labels: ["urgent", "finance"] })
    const labelsOnly = await t.client.call(tips.updateTip, {
      session: bob.token,
      params,
      body: { labels: [] },
    })
    expect(labelsOnly).toMatchObject({ status: "open", labels: [] })
    const e = await refused(
      t.client.call(tips.updateTip, { session: carol.token, params, body: { status: "closed" } }),
    )
    expect(e.status).toBe(404)
    expect((await t.relay.ctx.store.get<TipRecord>("tips", `t/${sent.tipId}`))?.status).toBe("open")
    const seenByWb = await t.client.call(wb.getWbTip, { session: sent.session })
    expect(seenByWb.tip.status).toBe("open")
    expect(JSON.stringify(seenByWb)).not.toContain("urgent")
  })

  it("refuses a second tip with an already used receipt", async () => {
    const built = await buildSubmission(node, contextId, [alice, bob])
    const body = { ...built.body, wbAuthVerifier: toBase64url(authVerifier(sent.keys.authKey)) }
    const e = await refused(
      t.client.call(wb.submitTip, { body: { pow: await solve(t, "submitTip", body), ...body } }),
    )
    expect([e.status, e.code, e.field]).toEqual([409, "CONFLICT", "body.wbAuthVerifier"])
  })

  it("refuses wraps that are not exactly for the directory's recipients and their keys", async () => {
    const built = await buildSubmission(node, contextId, [alice, bob])
    const [forAlice, forBob] = built.body.wraps
    if (!forAlice || !forBob) throw new Error("two wraps expected")
    const toCarol = (await buildSubmission(node, contextId, [carol])).body.wraps[0]
    if (!toCarol) throw new Error("one wrap expected")
    const cases: Array<[typeof built.body.wraps, string]> = [
      [[forAlice], "body.wraps"],
      [[forAlice, forBob, toCarol], "body.wraps"],
      [[forAlice, forAlice], "body.wraps"],
      [[forAlice, toCarol], "body.wraps.1.holder"],
      [[forAlice, { holder: bob.id, wrap: forAlice.wrap }], "body.wraps.1.wrap.to"],
    ]
    const before = await t.relay.ctx.store.keys("tips")
    for (const [wraps, field] of cases) {
      const unpaid = { ...built.body, wraps }
      const body = { pow: await solve(t, "submitTip", unpaid), ...unpaid }
      const e = await refused(t.client.call(wb.submitTip, { body }))
      expect([e.status, e.code, e.field]).toEqual([409, "CONFLICT", field])
    }
    expect(await t.relay.ctx.store.keys("tips")).toEqual(before)
  })

  it("refuses a submission to an unknown context", async () => {
    const built = await buildSubmission(node, contextId, [alice, bob])
    const unpaid = { ...built.body, contextId: "nowhere" }
    const body = { pow: await solve(t, "submitTip", unpaid), ...unpaid }
    const e = await refused(t.client.call(wb.submitTip, { body }))
    expect([e.status, e.code, e.field]).toEqual([404, "NOT_FOUND", "body.contextId"])
  })

  it("keeps staff off whistleblower routes and whistleblowers off staff routes", async () => {
    expect((await refused(t.client.call(wb.getWbTip, { session: alice.token }))).status).toBe(403)
    const e = await refused(t.client.call(tips.listTips, { session: sent.session }))
    expect(e.status).toBe(403)
  })
})
