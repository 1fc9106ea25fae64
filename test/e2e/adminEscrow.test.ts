import { accounts, contexts } from "@sotto/protocol"
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  createUser,
  firstLogin,
  type NodeAdmin,
  type StaffActor,
  setupNode,
} from "../relay/_actors.js"
import type { TestRelay } from "../relay/_harness.js"
import { startMailServer, type TestMailServer } from "../relay/_mailServer.js"
import { launchBrowser, openPage, startAppRelay, type WatchedPage } from "./_browser.js"
import { contextBody, submitTip } from "./_recipientWb.js"

// Issue 6 acceptance, escrow reset in the browser: a recipient forgets their password, the admin
// resets it from the console (escrow key opened in the admin's worker), the recipient logs in
// with the one-time password, must set a new one, and still decrypts the earlier tip; the audit
// view shows the reset and the recipient got a notice by mail (without the password).

const NEW_PASSWORD = "harbour lantern quartz 5831 fjord"

let browser: Browser
let t: TestRelay
let smtp: TestMailServer
let admin: NodeAdmin
let nina: StaffActor
const pages: WatchedPage[] = []
const story = `the pension fund was raided ${Date.now()}`

beforeAll(async () => {
  smtp = await startMailServer()
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay({ SMTP_URL: smtp.url })])
  admin = await setupNode(t, { escrow: true, nodeName: "Escrow node", oprf: true })
  const made = await createUser(t, admin, "nina", { name: "Nina N.", email: "nina@example.org" })
  nina = await firstLogin(t, "nina", made.oneTimePassword)
  const people = [{ userId: nina.userId, name: "Nina N.", recipient: nina.recipient }]
  await t.client.call(contexts.createContext, {
    session: admin.session,
    body: { id: "pensions", ...contextBody(admin, "pensions", people, new Date()) },
  })
  await submitTip(t, "pensions", people, { what: story })
})
afterAll(async () => {
  await browser?.close()
  await t?.destroy()
  await smtp?.close()
})

async function staffPage(): Promise<Page> {
  const w = await openPage(browser)
  pages.push(w)
  await w.page.goto(`${t.baseUrl}/staff`)
  return w.page
}

async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel("Username").fill(username)
  await page.getByLabel("Password").fill(password)
  await page.getByRole("button", { name: "Log in" }).click()
}

describe("escrow reset from the console", () => {
  let oneTimePassword = ""

  it("resets the password in the admin's browser, audits it and mails the user", async () => {
    const page = await staffPage()
    await logIn(page, admin.username, admin.password)
    await page.waitForURL(/\/staff\/inbox$/, { timeout: 15_000 })
    await page.getByRole("link", { name: "Admin", exact: true }).click()
    const row = page.locator('[data-user="nina"]')
    await row.getByRole("button", { name: "Reset password (escrow)" }).click({ timeout: 15_000 })
    const confirm = page.getByRole("form", { name: "Reset the password of nina with escrow" })
    await confirm.getByLabel(/Type your own password/).fill(admin.password)
    await confirm.getByRole("button", { name: "Reset password" }).click()
    const otp = page.locator("[data-otp]")
    await otp.waitFor({ timeout: 30_000 })
    oneTimePassword = (await otp.textContent())?.trim() ?? ""
    expect(oneTimePassword).toMatch(/^[a-z]+(-[a-z]+)+$/)
    await page.getByRole("button", { name: "I have handed it over" }).click()
    await row.getByText("Must change password").waitFor({ timeout: 15_000 })

    await page
      .getByRole("navigation", { name: "Admin console" })
      .getByRole("link", { name: "Audit log" })
      .click()
    await page.getByLabel("Action").selectOption({ label: "Password reset with escrow" })
    const entries = page.getByRole("list", { name: "Audit entries" }).getByRole("listitem")
    await expect.poll(() => entries.count(), { timeout: 15_000 }).toBe(1)
    expect(await entries.first().textContent()).toContain("on Nina N. (nina)")

    const resetMail = () =>
      smtp.received.find((m) => m.to.includes("nina@example.org") && /was reset/.test(m.subject))
    await expect
      .poll(
        async () => {
          await t.relay.timers.runDue()
          return resetMail()?.subject
        },
        { timeout: 15_000 },
      )
      .toBe("Your password on Escrow node was reset")
    expect(resetMail()?.text).not.toContain(oneTimePassword)
  })

  it("lets the user in with the one-time password, forces a new one, and the old tip opens", async () => {
    const page = await staffPage()
    await logIn(page, "nina", nina.password)
    // The forgotten password no longer works after the reset.
    await page.getByRole("alert").first().waitFor({ timeout: 15_000 })
    expect(await page.getByRole("alert").first().textContent()).toContain("do not match")
    await logIn(page, "nina", oneTimePassword)
    await page.waitForURL(/\/staff\/password$/, { timeout: 15_000 })
    await page.locator("input[name=new-password]").fill(NEW_PASSWORD)
    await page.locator("input[name=confirm-password]").fill(NEW_PASSWORD)
    await page.getByRole("button", { name: "Set password" }).click()
    await page.waitForURL(/\/staff\/inbox$/, { timeout: 30_000 })
    await page.locator(".tip-row").first().click({ timeout: 15_000 })
    const answers = page.getByTestId("answers")
    await answers.waitFor({ timeout: 30_000 })
    expect(await answers.textContent()).toContain(story)

    const { users } = await t.client.call(accounts.listUsers, { session: admin.session })
    const after = users.find((u) => u.username === "nina")
    expect(after?.mustChangePassword).toBe(false)
    expect(after?.publicKey).toBe(nina.recipient)
    expect(pages.flatMap((w) => w.problems)).toEqual([])
  })
})
