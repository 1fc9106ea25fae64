import { twoFactor } from "@sotto/protocol"
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { login, type StaffActor } from "../relay/_actors.js"
import type { TestRelay } from "../relay/_harness.js"
import { launchBrowser, openPage, screenshot, startAppRelay, type WatchedPage } from "./_browser.js"
import { prepareNode } from "./_node.js"
import {
  alertText,
  confirmBackupCodes,
  downloadBackupCodes,
  enrolTotpInBrowser,
  fits360,
  logout,
  oathtool,
  passwordLogin,
  verifyInBrowser,
} from "./_twoFactorUi.js"

// TOTP in Chromium on a relay with the real clock: the recipient enrols an authenticator app on
// the account page (QR code + secret text; the test reads the text), logs in with a code from the
// Debian oathtool CLI, sees a replayed code and a spent backup code refused, and ten wrong codes
// lock the second step with a visible wait.

let browser: Browser
let t: TestRelay
let w: WatchedPage
let page: Page
let me: StaffActor
let secret: string
let backupCodes: string[]
let loginCode: string

beforeAll(async () => {
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay()])
  // The guard's doubling delays are real sleeps: skip them, the lock still comes at 10.
  t.relay.ctx.loginGuard.sleep = async () => {}
  me = (await prepareNode(t)).recipients[0] as StaffActor
  w = await openPage(browser)
  page = w.page
})
afterAll(async () => {
  await browser?.close()
  await t?.destroy()
})

describe("TOTP second factor in the browser", () => {
  it("enrols on the account page: QR code and secret, confirmed with a code, 10 backup codes once", async () => {
    await passwordLogin(page, t.baseUrl, me.username, me.password, /\/staff\/inbox$/)
    await page.getByRole("link", { name: "Account" }).click()
    await page.waitForURL(/\/staff\/account$/)
    await expect
      .poll(() => page.getByTestId("factor-status").textContent(), { timeout: 15_000 })
      .toContain("Authenticator app: off")
    await fits360(page)
    await screenshot(page, "account-360")
    await page.setViewportSize({ width: 1280, height: 900 })

    ;({ secret, backupCodes } = await enrolTotpInBrowser(page))
    const file = await downloadBackupCodes(page)
    for (const code of backupCodes) expect(file).toContain(code)
    await page.getByRole("button", { name: "Done" }).click()
    await expect.poll(() => alertText(page)()).toMatch(/confirm that you saved your backup codes/)
    await confirmBackupCodes(page, "Done")
    await expect
      .poll(() => page.getByTestId("factor-status").textContent(), { timeout: 15_000 })
      .toMatch(/Authenticator app: on.*Backup codes left: 10/)
    const status = await t.client.call(twoFactor.getSecondFactors, { session: me.session })
    expect(status).toMatchObject({ totp: "on", backupCodesLeft: 10 })
    await logout(page)
  })

  it("logs in with the password, then a code of the next step; the identity opens", async () => {
    await passwordLogin(page, t.baseUrl, me.username, me.password, /\/staff\/second-factor$/)
    await expect.poll(() => page.locator("h1").textContent()).toBe("Second factor")
    // The enrolment used this step's code: take the next step's (the relay allows ±1 step).
    loginCode = oathtool(secret, Date.now() + 30_000)
    await fits360(page)
    await screenshot(page, "second-factor-360")
    await page.setViewportSize({ width: 1280, height: 900 })
    expect(await verifyInBrowser(page, "Code from your authenticator app", loginCode)).toBe(200)
    await page.waitForURL(/\/staff\/inbox$/, { timeout: 15_000 })
    await expect.poll(() => page.locator("[data-live]").getAttribute("data-live")).toBe("live")
    expect(await page.locator("main").textContent()).toContain("No tips yet")
    await logout(page)
  })

  it("refuses the same code a second time with a visible message; a backup code works once", async () => {
    await passwordLogin(page, t.baseUrl, me.username, me.password, /\/staff\/second-factor$/)
    expect(await verifyInBrowser(page, "Code from your authenticator app", loginCode)).toBe(401)
    await expect.poll(alertText(page)).toMatch(/already used/)
    expect(page.url()).toMatch(/\/staff\/second-factor$/)

    const backup = backupCodes[0] ?? ""
    expect(await verifyInBrowser(page, "Backup code", backup.toUpperCase())).toBe(200)
    await page.waitForURL(/\/staff\/inbox$/, { timeout: 15_000 })
    await logout(page)

    await passwordLogin(page, t.baseUrl, me.username, me.password, /\/staff\/second-factor$/)
    expect(await verifyInBrowser(page, "Backup code", backup)).toBe(401)
    await expect.poll(alertText(page)).toMatch(/wrong or has expired/)
    const left = await t.client.call(twoFactor.getSecondFactors, { session: me.session })
    expect(left.backupCodesLeft).toBe(9)
  })

  it("ten wrong codes lock the second step; the page says how long to wait", async () => {
    // One wrong (the spent backup code) so far: nine more count up to ten, the next is locked.
    const wrong = oathtool(secret) === "000000" ? "111111" : "000000"
    const statuses: number[] = []
    for (let i = 0; i < 10; i++) {
      statuses.push(await verifyInBrowser(page, "Code from your authenticator app", wrong))
    }
    expect(statuses).toEqual([...Array(9).fill(401), 423])
    await expect.poll(alertText(page)).toMatch(/locked for a while.*try again in 15 minutes/i)
    // Locked means locked: even the right code is refused now.
    const right = oathtool(secret, Date.now() + 30_000)
    expect(await verifyInBrowser(page, "Code from your authenticator app", right)).toBe(423)
    // The password alone still logs in only as far as the second step.
    expect((await login(t, me.username, me.password)).stage).toBe("second-factor")
    expect(w.problems).toEqual([])
  })
})
