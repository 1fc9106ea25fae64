import { ManualClock } from "@sotto/relay"
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest"
import type { AuditEntry } from "../../relay/src/services/audit.js"
import { timeKey } from "../../relay/src/services/ids.js"
import type { TimerTask } from "../../relay/src/services/timers.js"
import { startTestRelay, type TestRelay } from "./_harness.js"
import { startMailServer, type TestMailServer } from "./_mailServer.js"
import { allTimers, schedule, seedNode, seedTip, seedUser, TIP_SECRET } from "./_timerSeeds.js"

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

const testMail = (to: string): TimerTask => ({
  kind: "mail.send",
  mail: { to, subject: "Hello", text: "Body", template: "test" },
  attempt: 0,
})

describe("durable timers", () => {
  let smtp: TestMailServer
  let clock: ManualClock
  let t: TestRelay
  const start = Date.UTC(2026, 0, 1)

  beforeAll(async () => {
    smtp = await startMailServer()
  })
  afterAll(async () => {
    await smtp.close()
  })
  beforeEach(async () => {
    smtp.received.length = 0
    clock = new ManualClock(start)
    t = await startTestRelay({ clock, env: { SMTP_URL: smtp.url } })
    await t.relay.timers.runDue()
  })
  afterEach(async () => {
    await t.destroy()
  })

  const sweeps = async () => (await allTimers(t)).filter(([, task]) => task.kind === "wipe.sweep")

  it("keeps exactly one wipe sweep scheduled an hour ahead, also across a restart", async () => {
    expect((await sweeps()).map(([key]) => key.slice(0, 13))).toEqual([timeKey(start + HOUR)])
    t = await t.restart()
    await t.relay.timers.runDue()
    expect(await sweeps()).toHaveLength(1)
  })

  it("runs a task only once it is due, and removes it after", async () => {
    await schedule(t, start + 10 * MINUTE, testMail("a@example.org"))
    expect(await t.relay.timers.runDue()).toBe(0)
    expect(smtp.received).toHaveLength(0)
    clock.advance(10 * MINUTE)
    expect(await t.relay.timers.runDue()).toBe(1)
    expect(smtp.received.map((m) => m.to)).toEqual([["a@example.org"]])
    expect((await allTimers(t)).filter(([, task]) => task.kind === "mail.send")).toEqual([])
  })

  it("keeps a scheduled task across a restart and runs it once due", async () => {
    await schedule(t, start + 30 * MINUTE, testMail("b@example.org"))
    t = await t.restart()
    await t.relay.timers.runDue()
    expect(smtp.received).toHaveLength(0)
    clock.advance(30 * MINUTE)
    await t.relay.timers.runDue()
    expect(smtp.received.map((m) => m.to)).toEqual([["b@example.org"]])
  })

  it("runs a task that fell due while the relay was down as soon as it starts again", async () => {
    await schedule(t, start + MINUTE, testMail("c@example.org"))
    await t.stop()
    clock.advance(2 * MINUTE)
    t = await t.restart()
    // no runDue: the runner resumes on its own
    await vi.waitFor(() => expect(smtp.received).toHaveLength(1), { timeout: 5000 })
    expect(smtp.received[0]?.to).toEqual(["c@example.org"])
  })

  it("never runs a task twice when two runs overlap", async () => {
    for (const to of ["d1@example.org", "d2@example.org", "d3@example.org"]) {
      await schedule(t, start, testMail(to))
    }
    const [first, second] = await Promise.all([t.relay.timers.runDue(), t.relay.timers.runDue()])
    expect((first ?? 0) + (second ?? 0)).toBe(3)
    expect(smtp.received.flatMap((m) => m.to).sort()).toEqual([
      "d1@example.org",
      "d2@example.org",
      "d3@example.org",
    ])
  })

  it("wipes idle sessions in the hourly sweep and keeps active ones", async () => {
    const sessions = t.relay.ctx.sessions
    const idle = await sessions.create({
      kind: "staff",
      userId: "r1",
      role: "recipient",
      stage: "full",
    })
    clock.advance(50 * MINUTE)
    const active = await sessions.create({ kind: "wb", tipId: "tip1" })
    clock.advance(11 * MINUTE)
    await t.relay.timers.runDue()
    expect(await t.relay.ctx.store.get("sessions", idle.session.key)).toBeUndefined()
    expect(await t.relay.ctx.store.get("sessions", active.session.key)).toBeDefined()
    expect((await sweeps()).map(([key]) => key.slice(0, 13))).toEqual([timeKey(clock.now() + HOUR)])
  })

  it("drops audit entries older than a year in the sweep and keeps recent ones", async () => {
    const entry = (at: number, id: string): AuditEntry => ({ id, at, actor: "system", action: "x" })
    const old = `${timeKey(start - 400 * DAY)}/old`
    const recent = `${timeKey(start - 10 * DAY)}/recent`
    await t.relay.ctx.store
      .batch()
      .put("audit", old, entry(start - 400 * DAY, "old"))
      .put("audit", recent, entry(start - 10 * DAY, "recent"))
      .write()
    clock.advance(HOUR)
    await t.relay.timers.runDue()
    expect(await t.relay.ctx.store.get("audit", old)).toBeUndefined()
    expect(await t.relay.ctx.store.get("audit", recent)).toBeDefined()
  })

  it("wipes a tip when its expiry timer falls due", async () => {
    const expiresAt = start + 3 * DAY
    await seedTip(t, {
      tipId: "tipExpire",
      contextName: "Fraud",
      holders: ["wb"],
      expiresAt,
      timers: [[expiresAt, { kind: "tip.expire", tipId: "tipExpire" }]],
    })
    clock.advance(3 * DAY - MINUTE)
    await t.relay.timers.runDue()
    expect(await t.relay.ctx.store.get("tips", "t/tipExpire")).toBeDefined()
    clock.advance(2 * MINUTE)
    await t.relay.timers.runDue()
    expect(await t.relay.ctx.store.get("tips", "t/tipExpire")).toBeUndefined()
    expect(await t.relay.ctx.store.get("wraps", "tipExpire/wb")).toBeUndefined()
    expect((await allTimers(t)).filter(([, task]) => task.kind === "tip.expire")).toEqual([])
  })

  it("mails an expiry reminder to each staff holder with an email, without tip content", async () => {
    await seedNode(t, "Example Node")
    await seedUser(t, "rem1", "recipient", "rem1@example.org")
    await seedUser(t, "rem2", "recipient")
    await seedUser(t, "rem3", "custodian", "rem3@example.org", { disabled: true })
    await seedTip(t, {
      tipId: "tipRemind",
      contextName: "Fraud reports",
      holders: ["rem1", "rem2", "rem3", "wb"],
      expiresAt: Date.UTC(2026, 2, 2, 12),
      timers: [[start + MINUTE, { kind: "tip.remind", tipId: "tipRemind" }]],
    })
    clock.advance(MINUTE)
    await t.relay.timers.runDue()
    expect(smtp.received).toHaveLength(1)
    const [mail] = smtp.received
    expect(mail?.to).toEqual(["rem1@example.org"])
    expect(mail?.subject).toBe("A tip in Fraud reports expires on 2026-03-02")
    expect(mail?.text).toContain("Example Node")
    expect(mail?.text).toContain("/recipient/tips/tipRemind")
    expect(mail?.raw).not.toContain(TIP_SECRET)
    expect(mail?.raw).not.toContain("AGE ENCRYPTED")
    expect((await allTimers(t)).filter(([, task]) => task.kind !== "wipe.sweep")).toEqual([])
  })

  it("retries a failing task with growing delays instead of losing it", async () => {
    await seedUser(t, "rem4", "recipient", "rem4@example.org")
    await t.relay.ctx.store
      .batch()
      .putBytes("users", "u/broken", new TextEncoder().encode("{not json"))
      .write()
    await seedTip(t, {
      tipId: "tipRetry",
      contextName: "Safety",
      holders: ["broken", "rem4"],
      expiresAt: start + 30 * DAY,
      timers: [[start, { kind: "tip.remind", tipId: "tipRetry" }]],
    })
    const reminder = async () => {
      const found = (await allTimers(t)).filter(([, task]) => task.kind === "tip.remind")
      expect(found).toHaveLength(1)
      return found[0] as [string, TimerTask]
    }
    await t.relay.timers.runDue()
    let [key, task] = await reminder()
    expect([key.slice(0, 13), task.retry]).toEqual([timeKey(start + MINUTE), 1])
    // the tip's own list follows the move, so postponing and wiping still find the timer
    const tip = await t.relay.ctx.store.get<{ timerKeys: string[] }>("tips", "t/tipRetry")
    expect(tip?.timerKeys).toEqual([key])
    clock.advance(MINUTE)
    await t.relay.timers.runDue()
    ;[key, task] = await reminder()
    expect([key.slice(0, 13), task.retry]).toEqual([timeKey(start + 3 * MINUTE), 2])
    await seedUser(t, "broken", "recipient")
    clock.advance(2 * MINUTE)
    await t.relay.timers.runDue()
    expect(smtp.received.map((m) => m.to)).toEqual([["rem4@example.org"]])
    expect((await allTimers(t)).filter(([, x]) => x.kind === "tip.remind")).toEqual([])
  })

  it("drops a stored task of a kind it does not know", async () => {
    await schedule(t, start, { kind: "no.such.kind" } as unknown as TimerTask)
    await t.relay.timers.runDue()
    expect((await allTimers(t)).filter(([, task]) => task.kind !== "wipe.sweep")).toEqual([])
  })
})
