import { sealTipPart } from "@sotto/crypto-core"
import { stats as statsRoutes, tips, wb } from "@sotto/protocol"
import { ManualClock } from "@sotto/relay"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { ContextRecord, TipRecord, UserRecord } from "../../relay/src/services/records.js"
import { startTestRelay, type TestRelay } from "./_harness.js"
import { startMailServer, type TestMailServer } from "./_mailServer.js"
import {
  type SeededNode,
  type Staff,
  type SubmittedTip,
  seedTeamContext,
  submit,
  wbLoginBody,
} from "./_seed.js"

const HOUR = 3_600_000
const DAY = 24 * HOUR

// EU Directive deadlines (issue 17): a real relay on a moved clock, mailing a real SMTP server.
describe("acknowledgement and feedback deadlines", () => {
  const clock = new ManualClock()
  let smtp: TestMailServer
  let t: TestRelay
  let node: SeededNode
  let alice: Staff
  let bob: Staff
  let adminId: string
  let contextId: string
  let sent: SubmittedTip

  beforeAll(async () => {
    smtp = await startMailServer()
    t = await startTestRelay({ clock, env: { SMTP_URL: smtp.url } })
    const team = await seedTeamContext(t, 2, 2)
    ;({ node, contextId } = team)
    ;[alice, bob] = team.staff
    adminId = team.admin.id
    for (const s of [alice, bob]) {
      const user = await t.relay.ctx.store.require<UserRecord>("users", `u/${s.id}`, "user")
      await t.relay.ctx.store.put("users", `u/${s.id}`, { ...user, email: `${s.id}@example.org` })
    }
    // A year's expiry, so the tip outlives its feedback deadline in this test.
    const context = await t.relay.ctx.store.require<ContextRecord>(
      "contexts",
      `c/${contextId}`,
      "c",
    )
    await t.relay.ctx.store.put("contexts", `c/${contextId}`, { ...context, expiryDays: 365 })
    await t.relay.timers.runDue()
    sent = await submit(t, node, contextId, [alice, bob])
    await t.relay.timers.runDue()
    smtp.received.length = 0
  })
  afterAll(async () => {
    await t.destroy()
    await smtp.close()
  })

  // The clock moves past idle timeouts: every call opens a fresh full session.
  const session = async (who: Staff | string, role: "recipient" | "admin" = "recipient") => {
    const userId = typeof who === "string" ? who : who.id
    const opened = await t.relay.ctx.sessions.create({ kind: "staff", userId, role, stage: "full" })
    return opened.token
  }
  const inboxLine = async (who: Staff) => {
    const { tips: lines } = await t.client.call(tips.listTips, { session: await session(who) })
    const line = lines.find((l) => l.id === sent.tipId)
    if (!line) throw new Error("the tip is not in the inbox")
    return line
  }

  it("gives a new tip the directive's defaults: acknowledge in 7 days", async () => {
    const line = await inboxLine(alice)
    expect(line.deadline).toEqual({
      kind: "ack",
      dueAt: sent.expiresAt - 365 * DAY + 7 * DAY,
      overdue: false,
    })
    expect(line.acknowledgedAt).toBeUndefined()
  })

  it("mails a content-free reminder two days before, and one when the deadline passes", async () => {
    clock.advance(5 * DAY)
    await t.relay.timers.runDue()
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual(
      [`${alice.id}@example.org`, `${bob.id}@example.org`].sort(),
    )
    const soon = smtp.received[0]
    expect(soon?.subject).toMatch(
      /^A tip in Fraud reports needs acknowledgement by \d{4}-\d\d-\d\d /,
    )
    smtp.received.length = 0

    clock.advance(2 * DAY + HOUR)
    await t.relay.timers.runDue()
    expect(smtp.received).toHaveLength(2)
    const due = smtp.received[0]
    expect(due?.subject).toMatch(/^Deadline reached: a tip in Fraud reports needed acknowledgement/)
    expect(due?.text).toContain(`/recipient/tips/${sent.tipId}`)
    for (const mail of smtp.received) {
      expect(mail.raw).not.toContain(sent.answers.what)
      expect(mail.raw).not.toContain(sent.receipt)
      expect(mail.raw).not.toContain("What happened")
    }
  })

  it("shows the tip overdue in the inbox once the deadline has passed", async () => {
    const line = await inboxLine(bob)
    expect(line.deadline?.kind).toBe("ack")
    expect(line.deadline?.overdue).toBe(true)
    const stats = await t.client.call(statsRoutes.getStats, {
      session: await session(adminId, "admin"),
      query: {},
    })
    expect(stats.contexts.find((c) => c.contextId === contextId)?.overdue).toBe(1)
  })

  it("marks the tip acknowledged by the first staff comment, for staff and the whistleblower", async () => {
    const at = clock.now()
    await t.client.call(tips.addTipComment, {
      session: await session(alice),
      params: { tipId: sent.tipId },
      body: { age: await sealTipPart(sent.tip.recipient, "comment", { text: "Thank you" }) },
    })
    const line = await inboxLine(bob)
    expect(line.acknowledgedAt).toBe(at)
    expect(line.deadline).toEqual({ kind: "feedback", dueAt: at + 90 * DAY, overdue: false })

    const login = await t.client.call(wb.wbLogin, {
      body: await wbLoginBody(t, toB64(sent.keys.authKey)),
    })
    const seen = await t.client.call(wb.getWbTip, { session: login.session })
    expect(seen.tip.acknowledgedAt).toBe(at)

    const stats = await t.client.call(statsRoutes.getStats, {
      session: await session(adminId, "admin"),
      query: {},
    })
    const line2 = stats.contexts.find((c) => c.contextId === contextId)
    expect(line2).toMatchObject({ acknowledged: 1, medianAckMs: at - (sent.expiresAt - 365 * DAY) })
    expect(line2?.overdue).toBe(0)
  })

  it("sends no acknowledgement reminder after the acknowledgement, and a feedback comment ends them", async () => {
    smtp.received.length = 0
    clock.advance(80 * DAY)
    await t.relay.timers.runDue()
    // The feedback reminder 14 days ahead, to both holders.
    const deadlineMails = smtp.received.filter((m) => !m.subject.startsWith("New activity"))
    expect(deadlineMails.map((m) => m.subject)).toEqual([
      expect.stringMatching(/needs feedback by/),
      expect.stringMatching(/needs feedback by/),
    ])
    await t.client.call(tips.addTipComment, {
      session: await session(bob),
      params: { tipId: sent.tipId },
      body: { age: await sealTipPart(sent.tip.recipient, "comment", { text: "We looked" }) },
    })
    const tip = await t.relay.ctx.store.get<TipRecord>("tips", `t/${sent.tipId}`)
    expect(tip?.deadlines?.feedbackAt).toBe(clock.now())
    expect(tip?.deadlines?.timerKeys).toEqual([])
    expect((await inboxLine(alice)).deadline).toBeUndefined()
    smtp.received.length = 0
    clock.advance(20 * DAY)
    await t.relay.timers.runDue()
    expect(smtp.received.filter((m) => /feedback|acknowledgement/.test(m.subject))).toEqual([])
  })
})

function toB64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64url")
}
