import { accounts, admin as adminRoutes, type BodyOf, system } from "@sotto/protocol"
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest"
import { secretBox } from "../../relay/src/services/secretBox.js"
import {
  createUser,
  escrowReset,
  firstLogin,
  type NodeAdmin,
  relayError,
  setupNode,
} from "./_actors.js"
import { startTestRelay, type TestRelay } from "./_harness.js"
import { startMailServer, type TestMailServer } from "./_mailServer.js"

type SettingsPatch = BodyOf<typeof accounts.updateSettings>

// Node settings added for the console (issue 6): logo text and password policy (public through
// GET /node), SMTP settings that win over SMTP_URL and apply without a restart (the password is
// write-only), and mail templates with {{placeholders}}, against two real local SMTP servers.

describe("node settings: logo text, password policy, SMTP, mail templates", () => {
  let fromEnv: TestMailServer
  let fromSettings: TestMailServer
  let t: TestRelay
  let admin: NodeAdmin
  const logLines: string[] = []
  const SMTP_PASSWORD = "smtp-secret-Zq81"

  beforeAll(async () => {
    fromEnv = await startMailServer()
    fromSettings = await startMailServer()
    // Every log line of the relay, to prove the SMTP password never reaches one.
    const write = process.stdout.write.bind(process.stdout)
    vi.spyOn(process.stdout, "write").mockImplementation((chunk, ...rest) => {
      if (typeof chunk === "string" && chunk.startsWith('{"t":')) {
        logLines.push(chunk)
        return true
      }
      return write(chunk, ...(rest as []))
    })
    t = await startTestRelay({ env: { SMTP_URL: fromEnv.url, LOG_LEVEL: "debug" } })
    admin = await setupNode(t, { nodeName: "Mail node" })
  })
  afterAll(async () => {
    vi.restoreAllMocks()
    await t.destroy()
    await fromEnv.close()
    await fromSettings.close()
  })

  const update = (body: SettingsPatch) =>
    t.client.call(accounts.updateSettings, { session: admin.session, body })
  const settings = () => t.client.call(accounts.getSettings, { session: admin.session })
  const testMail = async (to: string) => {
    await t.client.call(adminRoutes.sendTestMail, { session: admin.session, body: { to } })
    await t.relay.timers.runDue()
  }
  const smtpAt = (server: TestMailServer) => ({
    host: "127.0.0.1",
    port: server.port,
    secure: false,
    from: "console@example.org",
  })

  it("shows logo text and the password policy to everyone through GET /node", async () => {
    const before = await t.client.call(accounts.getNode)
    expect(before.logoText).toBeUndefined()
    expect(before.passwordPolicy).toEqual({ minScore: 3, minLength: 8 })
    await update({ logoText: "MN", passwordPolicy: { minScore: 4, minLength: 14 } })
    const node = await t.client.call(accounts.getNode)
    expect(node).toMatchObject({ logoText: "MN", passwordPolicy: { minScore: 4, minLength: 14 } })
    await update({ logoText: null })
    expect((await t.client.call(accounts.getNode)).logoText).toBeUndefined()
  })

  it("refuses a policy under score 3 and over-long logo text, naming the field", async () => {
    const weak = await relayError(
      update({ passwordPolicy: { minScore: 2, minLength: 12 } } as unknown as SettingsPatch),
    )
    expect([weak.status, weak.field]).toEqual([400, "body.passwordPolicy.minScore"])
    const long = await relayError(update({ logoText: "x".repeat(41) }))
    expect([long.status, long.field]).toEqual([400, "body.logoText"])
  })

  it("sends through SMTP_URL until SMTP settings are stored, then through them, no restart", async () => {
    await testMail("a@example.org")
    expect(fromEnv.received.map((m) => m.to)).toEqual([["a@example.org"]])

    const saved = await update({ smtp: smtpAt(fromSettings) })
    expect(saved.smtp).toEqual({ ...smtpAt(fromSettings), passwordSet: false })
    await testMail("b@example.org")
    expect(fromSettings.received).toHaveLength(1)
    expect(fromSettings.received[0]).toMatchObject({
      from: "console@example.org",
      to: ["b@example.org"],
      subject: "Test mail from Mail node",
    })
    expect(fromEnv.received).toHaveLength(1)

    await update({ smtp: null })
    await testMail("c@example.org")
    expect(fromEnv.received.map((m) => m.to[0])).toEqual(["a@example.org", "c@example.org"])
  })

  it("turns mail on from the settings alone on a relay without SMTP_URL", async () => {
    const bare = await startTestRelay()
    try {
      const a = await setupNode(bare)
      expect((await bare.client.call(system.getHealth)).mail).toBe(false)
      await bare.client.call(accounts.updateSettings, {
        session: a.session,
        body: { smtp: smtpAt(fromSettings) },
      })
      expect((await bare.client.call(system.getHealth)).mail).toBe(true)
      await bare.client.call(adminRoutes.sendTestMail, {
        session: a.session,
        body: { to: "bare@example.org" },
      })
      await bare.relay.timers.runDue()
      expect(fromSettings.received.some((m) => m.to.includes("bare@example.org"))).toBe(true)
      // After a restart the stored settings still turn mail on.
      const again = await bare.restart()
      expect((await again.client.call(system.getHealth)).mail).toBe(true)
      await again.destroy()
    } finally {
      await bare.destroy()
    }
  })

  it("never returns or logs the SMTP password, and keeps it when a patch leaves it out", async () => {
    await update({ smtp: { ...smtpAt(fromSettings), user: "relay", password: SMTP_PASSWORD } })
    const shown = await settings()
    expect(shown.smtp).toEqual({ ...smtpAt(fromSettings), user: "relay", passwordSet: true })
    // The host changes, the password stays.
    await update({ smtp: { ...smtpAt(fromSettings), host: "localhost", user: "relay" } })
    expect((await settings()).smtp?.passwordSet).toBe(true)
    // Stored sealed under the secrets key (test/abuse/smtpSecret.test.ts greps the data dir).
    const stored = await t.relay.ctx.store.get<{ smtp?: { sealedPassword?: string } }>(
      "settings",
      "node",
    )
    expect(secretBox(t.relay.ctx).open(stored?.smtp?.sealedPassword ?? "")).toBe(SMTP_PASSWORD)
    // A send with these credentials (the test server offers no AUTH, so nodemailer skips it).
    await testMail("d@example.org")
    expect(fromSettings.received.at(-1)?.to).toEqual(["d@example.org"])
    expect(logLines.some((l) => l.includes('"mail_enabled"') && l.includes('"localhost"'))).toBe(
      true,
    )
    expect(logLines.join("\n")).not.toContain(SMTP_PASSWORD)
    expect(JSON.stringify(await settings())).not.toContain(SMTP_PASSWORD)
    expect(JSON.stringify(await t.relay.ctx.audit.list())).not.toContain(SMTP_PASSWORD)
    await update({ smtp: null })
    const noPassword = await relayError(
      update({ smtp: { ...smtpAt(fromSettings), user: "someone" } }),
    )
    expect([noPassword.status, noPassword.field]).toEqual([400, "body.smtp.password"])
    await update({ smtp: smtpAt(fromSettings) })
  })

  it("fills an edited template's placeholders, and resets it to the default", async () => {
    fromSettings.received.length = 0
    const edited = {
      subject: "[{{node}}] mail check",
      text: "Hello from {{ node }}.\nNothing else here.\n",
    }
    const saved = await update({ mailTemplates: { test: edited } })
    expect(saved.mailTemplates.test).toEqual({ ...edited, custom: true, placeholders: ["node"] })
    await testMail("e@example.org")
    expect(fromSettings.received.at(-1)).toMatchObject({
      subject: "[Mail node] mail check",
      text: "Hello from Mail node.\nNothing else here.\n",
    })
    const reset = await update({ mailTemplates: { test: null } })
    expect(reset.mailTemplates.test).toMatchObject({
      subject: "Test mail from {{node}}",
      custom: false,
    })
    await testMail("f@example.org")
    expect(fromSettings.received.at(-1)?.subject).toBe("Test mail from Mail node")
  })

  it("uses an edited template for a mail a real flow queues (escrow reset notice)", async () => {
    await update({
      mailTemplates: {
        passwordReset: {
          subject: "{{node}}: password reset",
          text: "Reset on {{date}} at {{node}}. Ask your admin for the one-time password.\n",
        },
      },
    })
    const made = await createUser(t, admin, "nora", { email: "nora@example.org" })
    const nora = await firstLogin(t, "nora", made.oneTimePassword)
    const oneTimePassword = await escrowReset(t, admin, nora.userId)
    await t.relay.timers.runDue()
    // Nora also gets the escrow-use notice (escrowRead) before this one.
    const mail = fromSettings.received.find(
      (m) => m.to.includes("nora@example.org") && m.subject.includes("password reset"),
    )
    expect(mail?.subject).toBe("Mail node: password reset")
    expect(mail?.text).toMatch(
      /^Reset on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC at Mail node\. Ask your admin/,
    )
    expect(mail?.raw).not.toContain(oneTimePassword)
    await update({ mailTemplates: { passwordReset: null } })
  })

  it("refuses unknown placeholders, a code mail without its code and multi-line subjects", async () => {
    const before = await settings()
    const cases: [SettingsPatch, string][] = [
      [
        { mailTemplates: { activity: { subject: "x", text: "See {{tipContent}} {{link}}" } } },
        "body.mailTemplates.activity.text",
      ],
      [
        { mailTemplates: { test: { subject: "{{code}}", text: "ok" } } },
        "body.mailTemplates.test.subject",
      ],
      [
        { mailTemplates: { secondFactorCode: { subject: "Code", text: "No code here" } } },
        "body.mailTemplates.secondFactorCode.text",
      ],
      [
        { mailTemplates: { test: { subject: "two\nlines", text: "ok" } } },
        "body.mailTemplates.test.subject",
      ],
      [
        { mailTemplates: { test: { subject: "s", text: "y".repeat(4001) } } },
        "body.mailTemplates.test.text",
      ],
    ]
    for (const [body, field] of cases) {
      const e = await relayError(update(body))
      expect([e.status, e.code, e.field]).toEqual([400, "VALIDATION", field])
    }
    const unknown = await relayError(
      update({ mailTemplates: { test: { subject: "{{x}}", text: "y" } } }),
    )
    expect(unknown.message).toContain("{{node}}")
    expect(await settings()).toEqual(before)
  })
})
