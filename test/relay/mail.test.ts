import { admin } from "@sotto/protocol"
import { ManualClock } from "@sotto/relay"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import type { TestRelay } from "./_harness.js"
import { nextMailTest, startMailRelay, stopMailRelay } from "./_mailRelay.js"
import { startMailServer, type TestMailServer } from "./_mailServer.js"
import { adminSession, mailTimers, schedule, seedTip, seedUser, TIP_SECRET } from "./_timerSeeds.js"

const MINUTE = 60_000

describe("notification mail over a real SMTP server", () => {
  let smtp: TestMailServer
  const clock = new ManualClock()
  let t: TestRelay
  let adminToken: string

  beforeAll(async () => {
    ;({ smtp, t } = await startMailRelay(clock))
  })
  afterAll(() => stopMailRelay(t, smtp))
  beforeEach(async () => {
    adminToken = await nextMailTest(t, smtp)
  })

  it("mails each notified user with an email about a new tip, with a link and no content", async () => {
    await seedUser(t, "act1", "recipient", "act1@example.org")
    await seedUser(t, "act2", "recipient")
    await seedUser(t, "act3", "recipient", "act3@example.org", { disabled: true })
    await seedTip(t, {
      tipId: "tipNew",
      contextName: "Fraud",
      holders: ["act1", "act2", "act3", "wb"],
      expiresAt: clock.now() + 90 * 24 * 60 * MINUTE,
    })
    t.relay.ctx.events.publish({
      type: "tip.created",
      tipId: "tipNew",
      users: ["act1", "act2", "act3"],
      wb: false,
    })
    await t.relay.timers.runDue()
    expect(smtp.received).toHaveLength(1)
    const [mail] = smtp.received
    expect(mail?.to).toEqual(["act1@example.org"])
    expect(mail?.subject).toBe("New activity in Example Node")
    expect(mail?.text).toContain("/recipient/tips/tipNew")
    expect(mail?.raw).not.toContain(TIP_SECRET)
    expect(mail?.raw).not.toContain("Fraud")
  })

  it("sends a user at most one activity mail per ten minutes", async () => {
    await seedUser(t, "rate1", "custodian", "rate1@example.org")
    const comment = () =>
      t.relay.ctx.events.publish({
        type: "comment.created",
        tipId: "tipX",
        users: ["rate1"],
        wb: true,
      })
    comment()
    await t.relay.timers.runDue()
    clock.advance(9 * MINUTE)
    comment()
    await t.relay.timers.runDue()
    expect(smtp.received).toHaveLength(1)
    clock.advance(MINUTE)
    comment()
    await t.relay.timers.runDue()
    expect(smtp.received.map((m) => m.to)).toEqual([["rate1@example.org"], ["rate1@example.org"]])
  })

  it("sends no mail for events other than new tips and comments", async () => {
    await seedUser(t, "quiet1", "recipient", "quiet1@example.org")
    for (const type of ["tip.updated", "file.added", "access.changed", "tip.deleted"] as const) {
      t.relay.ctx.events.publish({ type, tipId: "tipY", users: ["quiet1"], wb: false })
    }
    await t.relay.timers.runDue()
    expect(smtp.received).toEqual([])
    expect(await mailTimers(t)).toEqual([])
  })

  it("retries a refused mail after 1, 2, 4, 8 and 16 minutes, then lists it as failed", async () => {
    smtp.rejectRecipients = true
    await schedule(t, clock.now(), {
      kind: "mail.send",
      mail: {
        to: "gone@example.org",
        subject: "S",
        text: "T",
        template: "activity",
        userId: "gone1",
      },
      attempt: 0,
    })
    const delays: number[] = []
    for (let run = 0; run < 6; run++) {
      await t.relay.timers.runDue()
      const [next] = await mailTimers(t)
      if (!next) break
      const delay = Number(next[0].slice(0, 13)) - clock.now()
      delays.push(delay / MINUTE)
      clock.advance(delay)
    }
    expect(delays).toEqual([1, 2, 4, 8, 16])
    expect(await mailTimers(t)).toEqual([])
    expect(smtp.received).toEqual([])
    const failed = (await t.relay.ctx.audit.list()).filter((e) => e.action === "mail.failed")
    expect(failed).toHaveLength(1)
    expect(failed[0]).toMatchObject({ actor: "system", target: "gone1" })
    // half an hour has passed: the admin logs in again
    const listed = await t.client.call(admin.listMailFailures, { session: await adminSession(t) })
    expect(listed.failures).toHaveLength(1)
    expect(listed.failures[0]).toMatchObject({
      target: "gone1",
      attempts: 6,
      template: "activity",
      error: expect.stringContaining("550"),
    })
    expect(JSON.stringify(listed)).not.toContain("gone@example.org")
  })

  it("keeps retrying while the SMTP server is down and delivers once it is back", async () => {
    await smtp.close()
    await t.client.call(admin.sendTestMail, {
      body: { to: "later@example.org" },
      session: adminToken,
    })
    await t.relay.timers.runDue()
    const [pending] = await mailTimers(t)
    expect(pending?.[1]).toMatchObject({ kind: "mail.send", attempt: 1 })
    smtp = await startMailServer(smtp.port)
    clock.advance(MINUTE)
    await t.relay.timers.runDue()
    expect(smtp.received.map((m) => m.to)).toEqual([["later@example.org"]])
    expect(await mailTimers(t)).toEqual([])
  })
})
