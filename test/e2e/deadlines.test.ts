import { toBase64url } from "@sotto/crypto-core"
import { wb } from "@sotto/protocol"
import { ManualClock } from "@sotto/relay"
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { UserRecord } from "../../relay/src/services/records.js"
import { startTestRelay, type TestRelay } from "../relay/_harness.js"
import { startMailServer, type TestMailServer } from "../relay/_mailServer.js"
import { wbLoginBody } from "../relay/_seed.js"
import { launchBrowser, openPage, PWA_DIST, screenshot, type WatchedPage } from "./_browser.js"
import { type PreparedNode, prepareNode } from "./_node.js"
import { submitTip } from "./_recipientWb.js"
import { passwordLogin } from "./_twoFactorUi.js"

// EU Directive deadlines in Chromium (issue 17), on a relay whose clock the test moves: a tip
// passes its acknowledgement deadline, the reminder reaches a real local SMTP server without
// content, the inbox shows the tip overdue (and filters by it), and the first staff comment marks
// it acknowledged, for the inbox and the whistleblower.

const DAY = 24 * 3_600_000

let browser: Browser
let t: TestRelay
let smtp: TestMailServer
let node: PreparedNode
let w: WatchedPage
const clock = new ManualClock(Date.now())
let tipId = ""
let wbAuthKey = ""
let answer = ""

beforeAll(async () => {
  smtp = await startMailServer()
  ;[browser, t] = await Promise.all([
    launchBrowser(),
    startTestRelay({ clock, env: { STATIC_DIR: PWA_DIST, SMTP_URL: smtp.url } }),
  ])
  node = await prepareNode(t, { recipients: 1, contextName: "Procurement" })
  const [alice] = node.recipients
  if (!alice) throw new Error("no recipient")
  const store = t.relay.ctx.store
  const user = await store.require<UserRecord>("users", `u/${alice.userId}`, "user")
  await store.put("users", `u/${alice.userId}`, { ...user, email: "alice@example.org" })
  // The whistleblower, in Node with crypto-core as the browser does it (a bound v2 tip).
  answer = `The invoices of lot 9 were doubled ${Date.now()}`
  const sent = await submitTip(
    t,
    node.contextId,
    [{ userId: alice.userId, name: "Recipient 1", recipient: alice.recipient }],
    { what: answer },
  )
  tipId = sent.tipId
  wbAuthKey = toBase64url(sent.keys.authKey)
  await t.relay.timers.runDue()
  smtp.received.length = 0
  w = await openPage(browser)
})
afterAll(async () => {
  await browser?.close()
  await t?.destroy()
  await smtp?.close()
})

describe("acknowledgement deadline in the browser", () => {
  it("mails a content-free reminder once the deadline passes", async () => {
    clock.advance(7 * DAY + 3_600_000)
    await t.relay.timers.runDue()
    const subjects = smtp.received.map((m) => m.subject)
    // The "due soon" reminder ran late (the clock jumped past both): only "reached" is sent.
    expect(subjects).toEqual([
      expect.stringMatching(/^Deadline reached: a tip in Procurement needed acknowledgement/),
    ])
    for (const mail of smtp.received) {
      expect(mail.to).toEqual(["alice@example.org"])
      expect(mail.raw).not.toContain(answer)
      expect(mail.text).toContain(`/recipient/tips/${tipId}`)
    }
  })

  it("shows the tip overdue in the inbox, and filters by it", async () => {
    const { page } = w
    const [alice] = node.recipients
    await passwordLogin(page, t.baseUrl, alice?.username ?? "", alice?.password ?? "", /inbox$/)
    const row = page.locator(`a[data-tip-id="${tipId}"]`)
    await row.locator("[data-overdue]").waitFor({ timeout: 30_000 })
    expect(await row.locator("[data-deadline]").getAttribute("data-deadline")).toBe("ack")
    await page.getByLabel("Show").selectOption("overdue")
    expect(await page.locator("a[data-tip-id]").count()).toBe(1)
    await page.getByLabel("Sort").selectOption("deadline")
    await screenshot(page, "deadlines-inbox-overdue")
  })

  it("counts the first comment as the acknowledgement, for the inbox and the whistleblower", async () => {
    const { page } = w
    const before = clock.now()
    await page.locator(`a[data-tip-id="${tipId}"]`).click()
    await page.waitForURL(new RegExp(`/staff/tips/${tipId}$`))
    await page
      .getByLabel("Your comment (the whistleblower and every reader of this tip see it)")
      .fill("Thank you, we received your report.", { timeout: 30_000 })
    await page.getByRole("button", { name: "Send comment" }).click()
    await page.getByText("Your comment was sent.").waitFor({ timeout: 30_000 })
    await page.getByRole("link", { name: "Inbox" }).click()
    const row = page.locator(`a[data-tip-id="${tipId}"]`)
    await expect
      .poll(() => row.locator("[data-deadline]").getAttribute("data-deadline"), {
        timeout: 30_000,
      })
      .toBe("feedback")
    expect(await row.locator("[data-overdue]").count()).toBe(0)

    const login = await t.client.call(wb.wbLogin, { body: await wbLoginBody(t, wbAuthKey) })
    const mine = await t.client.call(wb.getWbTip, { session: login.session })
    expect(mine.tip.acknowledgedAt).toBe(before)
    expect(w.problems).toEqual([])
  })
})
