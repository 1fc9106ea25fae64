import { twoFactor } from "@sotto/protocol"
import { ManualClock } from "@sotto/relay"
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createUser, firstLogin, type StaffActor, setupNode } from "../relay/_actors.js"
import { startTestRelay, type TestRelay } from "../relay/_harness.js"
import { startMailServer, type TestMailServer } from "../relay/_mailServer.js"
import { mailedCode } from "../relay/_twoFactor.js"
import { launchBrowser, openPage, PWA_DIST, type WatchedPage } from "./_browser.js"
import {
  alertText,
  confirmBackupCodes,
  logout,
  passwordLogin,
  verifyInBrowser,
} from "./_twoFactorUi.js"

// E-mail codes in Chromium through a real local SMTP server: the recipient turns them on from the
// account page with a mailed code, logs in with another mailed code, and sees a used code and a
// second mail within the minute refused in words. A manual clock steps past the one-a-minute
// limit instead of waiting; the relay serves the build as in the other e2e files.

const address = "dana@example.org"
const clock = new ManualClock(Date.now())
let smtp: TestMailServer
let browser: Browser
let t: TestRelay
let w: WatchedPage
let page: Page
let dana: StaffActor
let usedCode: string

/** Sends the queued mails now and returns the newest code mailed to Dana. */
async function deliver(before: number): Promise<string> {
  await expect
    .poll(
      async () => {
        await t.relay.timers.runDue()
        return smtp.received.length
      },
      { timeout: 15_000 },
    )
    .toBeGreaterThan(before)
  return mailedCode(smtp, address)
}

beforeAll(async () => {
  smtp = await startMailServer()
  ;[browser, t] = await Promise.all([
    launchBrowser(),
    startTestRelay({ clock, env: { STATIC_DIR: PWA_DIST, SMTP_URL: smtp.url } }),
  ])
  t.relay.ctx.loginGuard.sleep = async () => {}
  const admin = await setupNode(t)
  const account = await createUser(t, admin, "dana", { email: address })
  dana = await firstLogin(t, "dana", account.oneTimePassword)
  w = await openPage(browser)
  page = w.page
})
afterAll(async () => {
  await browser?.close()
  await t?.destroy()
  await smtp?.close()
})

describe("e-mail codes as a second factor in the browser", () => {
  it("turns e-mail codes on from the account page with a mailed code", async () => {
    await passwordLogin(page, t.baseUrl, "dana", dana.password, /\/staff\/inbox$/)
    await page.getByRole("link", { name: "Account" }).click()
    await page.getByRole("button", { name: "Send code" }).click()
    await expect.poll(() => page.getByText(/A code was mailed to you/).count()).toBe(1)
    const code = await deliver(0)
    expect(smtp.received[0]?.to).toEqual([address])

    await page.getByLabel("8-digit code from the e-mail").fill("00000000")
    await page.getByRole("button", { name: "Turn on e-mail codes" }).click()
    // A wrong code (or, by chance, the right one: then the codes list appears).
    if (code !== "00000000") await expect.poll(alertText(page)).toMatch(/wrong or has expired/)
    await page.getByLabel("8-digit code from the e-mail").fill(code)
    await page.getByRole("button", { name: "Turn on e-mail codes" }).click()
    await page.getByTestId("backup-codes").waitFor({ timeout: 15_000 })
    expect(await page.getByTestId("backup-codes").locator("li").count()).toBe(10)
    await confirmBackupCodes(page, "Done")
    await expect
      .poll(() => page.getByTestId("factor-status").textContent(), { timeout: 15_000 })
      .toMatch(/E-mail codes: on/)
    const status = await t.client.call(twoFactor.getSecondFactors, { session: dana.session })
    expect(status).toMatchObject({ email: "on", totp: "off", backupCodesLeft: 10 })
    await logout(page)
  })

  it("logs in with a mailed code; a second mail within the minute is refused with the wait", async () => {
    clock.advance(61_000)
    await passwordLogin(page, t.baseUrl, "dana", dana.password, /\/staff\/second-factor$/)
    await page.getByRole("radio", { name: "Code mailed to you" }).check()
    const before = smtp.received.length
    await page.getByRole("button", { name: "Mail me a code" }).click()
    usedCode = await deliver(before)
    await page.getByRole("button", { name: "Mail me another code" }).click()
    await expect.poll(alertText(page)).toMatch(/once a minute.*try again in 60 seconds/i)
    expect(await verifyInBrowser(page, "Code mailed to you", usedCode)).toBe(200)
    await page.waitForURL(/\/staff\/inbox$/, { timeout: 15_000 })
    await expect.poll(() => page.locator("h1").textContent()).toBe("Inbox")
    await logout(page)
  })

  it("refuses the same mailed code a second time", async () => {
    await passwordLogin(page, t.baseUrl, "dana", dana.password, /\/staff\/second-factor$/)
    expect(await verifyInBrowser(page, "Code mailed to you", usedCode)).toBe(401)
    await expect.poll(alertText(page)).toMatch(/wrong or has expired/)
    expect(page.url()).toMatch(/\/staff\/second-factor$/)
  })

  it("removes e-mail codes after the password is typed again (a wrong one is refused)", async () => {
    clock.advance(61_000)
    const before = smtp.received.length
    await page.getByRole("button", { name: "Mail me a code" }).click()
    const code = await deliver(before)
    expect(await verifyInBrowser(page, "Code mailed to you", code)).toBe(200)
    await page.waitForURL(/\/staff\/inbox$/, { timeout: 15_000 })
    await page.getByRole("link", { name: "Account" }).click()
    await page.getByRole("button", { name: "Remove e-mail codes…" }).click()
    await page.getByLabel("Current password").fill("not my password at all")
    await page.getByRole("button", { name: "Remove e-mail codes", exact: true }).click()
    await expect.poll(alertText(page), { timeout: 15_000 }).toMatch(/do not match/)
    await page.getByLabel("Current password").fill(dana.password)
    await page.getByRole("button", { name: "Remove e-mail codes", exact: true }).click()
    await expect
      .poll(() => page.getByTestId("factor-status").textContent(), { timeout: 15_000 })
      .toMatch(/E-mail codes: off.*Backup codes left: 0/)
    expect(await page.getByText("The second factor was removed.").count()).toBe(1)
    expect(w.problems).toEqual([])
  })
})
