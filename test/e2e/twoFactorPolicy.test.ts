import { accounts, tips } from "@sotto/protocol"
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  createRecipient,
  login,
  type NodeAdmin,
  relayError,
  type StaffActor,
} from "../relay/_actors.js"
import type { TestRelay } from "../relay/_harness.js"
import { launchBrowser, openPage, screenshot, startAppRelay, type WatchedPage } from "./_browser.js"
import { prepareNode } from "./_node.js"
import { submitTip, type Whistleblower } from "./_recipientWb.js"
import {
  alertText,
  confirmBackupCodes,
  enrolTotpInBrowser,
  fits360,
  navigateInApp,
  passwordLogin,
} from "./_twoFactorUi.js"

// Per-role policy in Chromium: the admin (Node) requires a second factor for recipients; a
// recipient without one lands on the enrolment page after the password, cannot see the tips
// waiting in the inbox (the relay refuses and the page says to enrol first), enrols an
// authenticator app, and then reads the inbox. Removing the only factor is refused in words.

let browser: Browser
let t: TestRelay
let w: WatchedPage
let page: Page
let me: StaffActor
let tip: Whistleblower
let admin: NodeAdmin
const NEW_PASSWORD = "marmalade orbit tundra 5821 quill"

beforeAll(async () => {
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay()])
  const node = await prepareNode(t)
  admin = node.admin
  me = node.recipients[0] as StaffActor
  tip = await submitTip(
    t,
    node.contextId,
    [{ userId: me.userId, name: "Recipient 1", recipient: me.recipient }],
    { what: "the books are cooked" },
  )
  await t.client.call(accounts.updateSettings, {
    session: node.admin.session,
    body: { twoFactorRequired: { recipient: true } },
  })
  w = await openPage(browser)
  page = w.page
})
afterAll(async () => {
  await browser?.close()
  await t?.destroy()
})

describe("a role that requires a second factor", () => {
  it("sends a recipient without one to enrolment right after the password", async () => {
    await passwordLogin(page, t.baseUrl, me.username, me.password, /\/staff\/second-factor$/)
    await expect.poll(() => page.locator("h1").textContent()).toBe("Set up a second factor")
    expect(await page.locator("main").textContent()).toContain("Your role requires a second factor")
    await page.getByRole("button", { name: "Set up authenticator app" }).waitFor()
    await fits360(page)
    await screenshot(page, "second-factor-enrol-360")
    await page.setViewportSize({ width: 1280, height: 900 })
  })

  it("the inbox shows no tips until then: the relay refuses and the page says to enrol first", async () => {
    await navigateInApp(page, "/staff/inbox")
    await expect.poll(() => page.locator("h1").textContent()).toBe("Inbox")
    await expect
      .poll(alertText(page), { timeout: 15_000 })
      .toMatch(/role requires a second factor\. Set one up first/)
    expect(await page.locator("[data-tip-id]").count()).toBe(0)
    // The same session, from Node's side: refused by the relay, not only hidden by the page.
    const fresh = await relayError(
      t.client.call(tips.listTips, { session: (await freshEnrolSession()).session }),
    )
    expect([fresh.status, fresh.code]).toEqual([403, "SECOND_FACTOR_ENROLMENT_REQUIRED"])
    await page.getByRole("link", { name: "Set up a second factor" }).click()
    await page.waitForURL(/\/staff\/second-factor$/)
  })

  it("after enrolling an authenticator app the inbox shows the tip", async () => {
    await page.getByRole("button", { name: "Set up authenticator app" }).click()
    await page.getByTestId("totp-qr").waitFor({ timeout: 15_000 })
    await fits360(page)
    await screenshot(page, "second-factor-enrol-qr-360")
    await page.setViewportSize({ width: 1280, height: 900 })
    await enrolTotpInBrowser(page)
    await confirmBackupCodes(page, "Continue")
    await page.waitForURL(/\/staff\/inbox$/, { timeout: 15_000 })
    await page.locator(`[data-tip-id="${tip.tipId}"]`).waitFor({ timeout: 15_000 })
    expect(await page.getByRole("alert").count()).toBe(0)
  })

  it("a first login under the policy goes from the new password straight to enrolment", async () => {
    const account = await createRecipient(t, admin, "newcomer")
    const fresh = await openPage(browser)
    const p = fresh.page
    await passwordLogin(p, t.baseUrl, "newcomer", account.oneTimePassword, /\/staff\/password$/)
    await p.locator("input[name=new-password]").fill(NEW_PASSWORD)
    await p.locator("input[name=confirm-password]").fill(NEW_PASSWORD)
    await p.getByRole("button", { name: "Set password" }).click()
    const shown = p.getByTestId("recovery-key")
    await shown.waitFor({ timeout: 30_000 })
    const grouped = (await shown.textContent())?.trim() ?? ""
    await p.getByLabel(/I have saved my recovery key/).check()
    await p.getByLabel(/last two groups/).fill(grouped.split(" ").slice(-2).join(" "))
    await p.getByRole("button", { name: "Save password and continue" }).click()
    await p.waitForURL(/\/staff\/second-factor$/, { timeout: 15_000 })
    await expect.poll(() => p.locator("h1").textContent()).toBe("Set up a second factor")
    await enrolTotpInBrowser(p)
    await confirmBackupCodes(p, "Continue")
    await p.waitForURL(/\/staff\/inbox$/, { timeout: 15_000 })
    await expect
      .poll(() => p.locator("main").textContent(), { timeout: 15_000 })
      .toContain("No tips yet")
    expect(fresh.problems).toEqual([])
    await fresh.context.close()
  })

  it("refuses to remove the only factor while the role requires one, in words", async () => {
    await page.getByRole("link", { name: "Account" }).click()
    await page.getByRole("button", { name: "Remove authenticator app…" }).click()
    await page.getByLabel("Current password").fill(me.password)
    await page.getByRole("button", { name: "Remove authenticator app", exact: true }).click()
    await expect
      .poll(alertText(page), { timeout: 15_000 })
      .toMatch(/role requires a second factor: set up another one before removing this one/)
    await expect
      .poll(() => page.getByTestId("factor-status").textContent())
      .toContain("Authenticator app: on")
    expect(w.problems).toEqual([])
  })
})

/** A password login from Node for the same account, which stops at enrolment too. */
async function freshEnrolSession(): Promise<{ session: string }> {
  const result = await login(t, me.username, me.password)
  expect(result.stage).toBe("second-factor-enrol")
  return result
}
