import { accounts, RelayClient } from "@sotto/protocol"
import { ManualClock } from "@sotto/relay"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  createUser,
  escrowReset,
  firstLogin,
  login,
  type NodeAdmin,
  type StaffActor,
  setupNode,
} from "../relay/_actors.js"
import { startTestRelay, type TestRelay } from "../relay/_harness.js"
import { startMailServer, type TestMailServer } from "../relay/_mailServer.js"
import { type EvilRelay, startEvilRelay } from "./_evilRelay.js"

// Attack 8 (issue 10): escrow used silently. Reading a user's sealed identity for escrow is the
// escrow's use: the relay must refuse it without the admin's re-authentication, and with it
// write an audit entry, mail the user and show the reset on the user's own account.

const clock = new ManualClock(Date.UTC(2026, 4, 6, 8, 0))
let t: TestRelay
let evil: EvilRelay
let smtp: TestMailServer
let admin: NodeAdmin
let carol: StaffActor
let sealedAge: string

beforeAll(async () => {
  smtp = await startMailServer()
  t = await startTestRelay({ clock, env: { SMTP_URL: smtp.url } })
  t.relay.ctx.loginGuard.sleep = async () => {}
  evil = await startEvilRelay(t.baseUrl)
  admin = await setupNode(t)
  await t.relay.timers.runDue()
  const made = await createUser(t, admin, "carol", { email: "carol@example.org" })
  carol = await firstLogin(t, "carol", made.oneTimePassword)
  const again = await login(t, "carol", carol.password)
  if (!again.sealedIdentity) throw new Error("carol has no sealed identity")
  sealedAge = again.sealedIdentity.age
  smtp.received.length = 0
})
afterAll(async () => {
  await evil.close()
  await t.destroy()
  await smtp.close()
})

const path = (userId: string) => `/api/v1/users/${userId}/sealed-identity`

describe("reading a user's sealed identity for escrow", () => {
  it("is refused without the admin's re-authentication, and serves nothing", async () => {
    const headers = { "x-session": admin.session, "content-type": "application/json" }
    const get = await fetch(`${evil.baseUrl}${path(carol.userId)}`, { headers })
    expect(get.status).toBeGreaterThanOrEqual(400)
    const empty = await fetch(`${evil.baseUrl}${path(carol.userId)}`, {
      method: "POST",
      headers,
      body: "{}",
    })
    expect(empty.status).toBe(400)
    expect((await empty.json()).error.code).toBe("VALIDATION")
    const wrong = await fetch(`${evil.baseUrl}${path(carol.userId)}`, {
      method: "POST",
      headers,
      body: JSON.stringify({ currentAuthKey: "A".repeat(43) }),
    })
    expect(wrong.status).toBe(401)
    expect((await wrong.json()).error.code).toBe("WRONG_CREDENTIALS")
    // The tampering layer saw no answer carrying the sealed identity.
    expect(evil.seen.some((x) => x.responseBody.toString().includes(sealedAge))).toBe(false)
    const { entries } = await t.client.call(accounts.listAudit, { session: admin.session })
    expect(entries.some((e) => e.action === "escrow.read")).toBe(false)
  })

  it("with re-authentication is audited, mailed to the user and shown on their account", async () => {
    const client = new RelayClient(evil.baseUrl)
    clock.advance(60_000)
    const oneTime = await escrowReset({ ...t, client }, admin, carol.userId)
    await t.relay.timers.runDue()
    const { entries } = await t.client.call(accounts.listAudit, { session: admin.session })
    expect(entries.find((e) => e.action === "escrow.read")).toMatchObject({
      actor: admin.userId,
      target: carol.userId,
    })
    const subjects = smtp.received.map((m) => [m.to[0], m.subject])
    expect(subjects).toContainEqual([
      "carol@example.org",
      "An administrator opened your account on Test node with the escrow key",
    ])
    const readMail = smtp.received.find((m) => m.subject.includes("escrow key"))
    expect(readMail?.text).toContain("2026-05-06 08:01 UTC")
    expect(readMail?.raw).not.toContain(sealedAge)
    const me = await login(t, "carol", oneTime)
    const view = await t.client.call(accounts.getMe, { session: me.session })
    expect(view.escrowResetAt).toBe(clock.now())
  })
})
