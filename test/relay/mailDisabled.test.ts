import { admin } from "@sotto/protocol"
import { ManualClock } from "@sotto/relay"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { queueMail } from "../../relay/src/services/mail.js"
import type { TimerTask } from "../../relay/src/services/timers.js"
import { startTestRelay, type TestRelay } from "./_harness.js"
import { startMailServer } from "./_mailServer.js"
import { adminSession, allTimers, mailTimers, schedule, seedUser } from "./_timerSeeds.js"

const MINUTE = 60_000

describe("mail when SMTP_URL is unset", () => {
  const clock = new ManualClock()
  let t: TestRelay
  beforeAll(async () => {
    t = await startTestRelay({ clock })
    await t.relay.timers.runDue()
  })
  afterAll(async () => {
    await t.destroy()
  })

  it("queues nothing: events and direct queueing are no-ops", async () => {
    await seedUser(t, "off1", "recipient", "off1@example.org")
    t.relay.ctx.events.publish({ type: "tip.created", tipId: "tipOff", users: ["off1"], wb: false })
    await t.relay.timers.runDue()
    const batch = t.relay.ctx.store.batch()
    const queued = queueMail(t.relay.ctx, batch, {
      to: "off1@example.org",
      subject: "S",
      text: "T",
      template: "test",
    })
    expect([queued, batch.size]).toEqual([false, 0])
    expect(await mailTimers(t)).toEqual([])
  })

  it("answers a test mail with 409 CONFLICT: mail is off", async () => {
    const token = await adminSession(t)
    const before = await allTimers(t)
    await expect(
      t.client.call(admin.sendTestMail, { body: { to: "ops@example.org" }, session: token }),
    ).rejects.toMatchObject({ status: 409, code: "CONFLICT" })
    expect(await allTimers(t)).toEqual(before)
    expect((await t.relay.ctx.audit.list()).filter((e) => e.action === "mail.test")).toEqual([])
  })

  it("drops mail queued before mail was turned off instead of retrying it forever", async () => {
    const smtp = await startMailServer()
    const withMail = await startTestRelay({ clock, env: { SMTP_URL: smtp.url } })
    const task: TimerTask = {
      kind: "mail.send",
      mail: { to: "x@example.org", subject: "S", text: "T", template: "test" },
      attempt: 0,
    }
    await schedule(withMail, clock.now() + MINUTE, task)
    await withMail.stop()
    const without = await startTestRelay({ clock, dataDir: withMail.dataDir })
    clock.advance(MINUTE)
    await without.relay.timers.runDue()
    expect(await mailTimers(without)).toEqual([])
    expect(smtp.received).toEqual([])
    await without.destroy()
    await smtp.close()
  })
})
