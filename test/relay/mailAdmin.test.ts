import { admin, RelayClientError, system } from "@sotto/protocol"
import { ManualClock } from "@sotto/relay"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import type { TestRelay } from "./_harness.js"
import { nextMailTest, startMailRelay, stopMailRelay } from "./_mailRelay.js"
import type { TestMailServer } from "./_mailServer.js"
import { allTimers, mailTimers, seedUser } from "./_timerSeeds.js"

describe("admin mail routes over a real SMTP server", () => {
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

  it("delivers a test mail with the template's subject and audits it without the address", async () => {
    const queued = await t.client.call(admin.sendTestMail, {
      body: { to: "ops@example.org" },
      session: adminToken,
    })
    expect(queued).toEqual({ queued: true })
    await t.relay.timers.runDue()
    expect(smtp.received).toHaveLength(1)
    expect(smtp.received[0]).toMatchObject({
      from: "sotto@127.0.0.1",
      to: ["ops@example.org"],
      subject: "Test mail from Example Node",
    })
    const audit = await t.relay.ctx.audit.list()
    expect(audit.find((e) => e.action === "mail.test")).toMatchObject({
      actor: "admin1",
      target: expect.stringMatching(/^mail:[A-Za-z0-9_-]{43}$/),
    })
    expect(JSON.stringify(audit)).not.toContain("ops@example.org")
    expect(await mailTimers(t)).toEqual([])
  })

  describe("POST /admin/test-mail refuses bad input and changes nothing", () => {
    const stored = async () => ({
      timers: await allTimers(t),
      audit: await t.relay.ctx.audit.list(),
    })
    const refuses = async (body: unknown, status: number, code: string, field?: string) => {
      const before = await stored()
      const error = await t.client
        .call(admin.sendTestMail, { body: body as { to: string }, session: adminToken })
        .catch((e: unknown) => e)
      expect(error).toBeInstanceOf(RelayClientError)
      expect(error).toMatchObject({ status, code, ...(field ? { field } : {}) })
      expect(await stored()).toEqual(before)
    }

    it("refuses a number as address", () => refuses({ to: 5 }, 400, "VALIDATION", "body.to"))
    it("refuses a missing address", () => refuses({}, 400, "VALIDATION", "body.to"))
    it("refuses an address without a domain", () =>
      refuses({ to: "ops" }, 400, "VALIDATION", "body.to"))
    it("refuses an address with a line break", () =>
      refuses({ to: "a@example.org\r\nBcc: x@example.org" }, 400, "VALIDATION", "body.to"))
    it("refuses unknown fields", () =>
      refuses({ to: "ops@example.org", cc: "x@example.org" }, 400, "VALIDATION", "body.cc"))
    it("refuses an oversized body", () =>
      refuses({ to: `${"a".repeat(2000)}@example.org` }, 413, "BODY_TOO_LARGE"))

    it("refuses non-admins and callers without a session", async () => {
      await seedUser(t, "notadmin", "recipient", "n@example.org")
      const { token } = await t.relay.ctx.sessions.create({
        kind: "staff",
        userId: "notadmin",
        role: "recipient",
        stage: "full",
      })
      const body = { to: "ops@example.org" }
      await expect(
        t.client.call(admin.sendTestMail, { body, session: token }),
      ).rejects.toMatchObject({ status: 403, code: "FORBIDDEN" })
      await expect(t.client.call(admin.sendTestMail, { body })).rejects.toMatchObject({
        status: 401,
        code: "UNAUTHENTICATED",
      })
      await expect(t.client.call(admin.listMailFailures, { session: token })).rejects.toMatchObject(
        { status: 403, code: "FORBIDDEN" },
      )
    })
  })

  describe("GET /admin/mail-failures refuses bad queries", () => {
    const refuses = async (query: string, field: string) => {
      const res = await fetch(`${t.baseUrl}/api/v1/admin/mail-failures?${query}`, {
        headers: { "X-Session": adminToken },
      })
      expect(res.status).toBe(400)
      expect((await res.json()).error).toMatchObject({ code: "VALIDATION", field })
    }

    it("refuses a limit that is not a number", () => refuses("limit=ten", "query.limit"))
    it("refuses a limit of zero or above 200", async () => {
      await refuses("limit=0", "query.limit")
      await refuses("limit=201", "query.limit")
    })
    it("refuses unknown query fields", () => refuses("limit=5&user=x", "query.user"))
    it("honours the limit, newest first", async () => {
      const batch = t.relay.ctx.store.batch()
      for (const n of [1, 2, 3]) {
        clock.advance(1)
        t.relay.ctx.audit.add(batch, {
          actor: "system",
          action: "mail.failed",
          target: `u${n}`,
          details: { attempts: 6, template: "test", error: "ECONNECTION" },
        })
      }
      await batch.write()
      const { failures } = await t.client.call(admin.listMailFailures, {
        query: { limit: 2 },
        session: adminToken,
      })
      expect(failures.map((f) => f.target)).toEqual(["u3", "u2"])
    })
  })

  it("says mail is on in the health check", async () => {
    expect((await t.client.call(system.getHealth)).mail).toBe(true)
  })
})
