import { accounts, twoFactor } from "@sotto/protocol"
import type { Browser, CDPSession, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { login, type StaffActor } from "../relay/_actors.js"
import type { TestRelay } from "../relay/_harness.js"
import { launchBrowser, openPage, screenshot, startAppRelay, type WatchedPage } from "./_browser.js"
import { prepareNode } from "./_node.js"
import {
  alertText,
  confirmBackupCodes,
  fits360,
  logout,
  passwordLogin,
  verifyInBrowser,
} from "./_twoFactorUi.js"

// Security keys in Chromium with its virtual authenticator (CDP WebAuthn domain): the recipient
// registers "Desk key" on the account page and logs in with it; with the key gone, the login
// needs another factor (a backup code); removing the key on the account page (password again)
// leaves a login without a second step. WebAuthn needs a secure context and a host name as RP ID
// (never an IP address), so the pages are opened at http://localhost:<port>.

let browser: Browser
let t: TestRelay
let w: WatchedPage
let page: Page
let cdp: CDPSession
let authenticatorId: string
let me: StaffActor
let other: StaffActor
let adminSession: string
let base: string
let backupCodes: string[] = []

const VIRTUAL_KEY = {
  options: {
    protocol: "ctap2",
    transport: "usb",
    hasResidentKey: true,
    hasUserVerification: true,
    isUserVerified: true,
  },
} as const

beforeAll(async () => {
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay()])
  base = `http://localhost:${new URL(t.baseUrl).port}`
  const node = await prepareNode(t, { recipients: 2 })
  me = node.recipients[0] as StaffActor
  other = node.recipients[1] as StaffActor
  adminSession = node.admin.session
  w = await openPage(browser)
  page = w.page
  cdp = await w.context.newCDPSession(page)
  await cdp.send("WebAuthn.enable")
  ;({ authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", VIRTUAL_KEY))
})
afterAll(async () => {
  await browser?.close()
  await t?.destroy()
})

const status = () => t.client.call(twoFactor.getSecondFactors, { session: me.session })

describe("security keys (WebAuthn) as a second factor in the browser", () => {
  it("registers a named key on the account page; the first key brings backup codes", async () => {
    await passwordLogin(page, base, me.username, me.password, /\/staff\/inbox$/)
    await page.getByRole("link", { name: "Account" }).click()
    await page.waitForURL(/\/staff\/account$/)
    const section = page.getByTestId("webauthn-factors")
    await section.waitFor({ timeout: 15_000 })
    await section.getByRole("button", { name: "Add security key" }).click()
    await expect.poll(alertText(page)).toMatch(/Give the key a name/)
    await page.getByLabel("Name of the new key").fill("Desk key")
    await section.getByRole("button", { name: "Add security key" }).click()
    const list = page.getByTestId("backup-codes")
    await list.waitFor({ timeout: 30_000 })
    backupCodes = (await list.locator("li").allTextContents()).map((c) => c.trim())
    expect(backupCodes).toHaveLength(10)
    await confirmBackupCodes(page, "Done")
    await expect
      .poll(() => page.getByTestId("factor-status").textContent(), { timeout: 15_000 })
      .toMatch(/Security keys: 1.*Backup codes left: 10/)
    expect(await page.getByTestId("webauthn-key").textContent()).toContain("Desk key")
    const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId })
    expect(credentials).toHaveLength(1)
    expect((await status()).webauthn.map((k) => k.name)).toEqual(["Desk key"])
    await fits360(page)
    await screenshot(page, "webauthn-account-360")
    await page.setViewportSize({ width: 1280, height: 900 })
    await logout(page)
  })

  it("logs in with the password, then the key; the inbox opens", async () => {
    await passwordLogin(page, base, me.username, me.password, /\/staff\/second-factor$/)
    const use = page.getByRole("button", { name: "Use a security key" })
    await use.waitFor({ timeout: 15_000 })
    await fits360(page)
    await screenshot(page, "webauthn-second-factor-360")
    await page.setViewportSize({ width: 1280, height: 900 })
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/api/v1/auth/2fa/webauthn/verify"), {
        timeout: 30_000,
      }),
      use.click(),
    ])
    expect(res.status()).toBe(200)
    await page.waitForURL(/\/staff\/inbox$/, { timeout: 15_000 })
    await expect.poll(() => page.locator("[data-live]").getAttribute("data-live")).toBe("live")
    expect(await page.locator("main").textContent()).toContain("No tips yet")
    expect((await status()).webauthn[0]?.lastUsedAt).toBeGreaterThan(0)
    await logout(page)
  })

  it("with the key gone, the login needs another factor: a backup code from enrolment", async () => {
    await cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId })
    // Another key, never registered here: the browser finds no matching credential on it.
    ;({ authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", VIRTUAL_KEY))
    await passwordLogin(page, base, me.username, me.password, /\/staff\/second-factor$/)
    await page.getByRole("button", { name: "Use a security key" }).click()
    await expect.poll(alertText(page), { timeout: 30_000 }).toMatch(/did not answer|not accepted/)
    expect(page.url()).toMatch(/\/staff\/second-factor$/)
    expect(await verifyInBrowser(page, "Backup code", backupCodes[0] ?? "")).toBe(200)
    await page.waitForURL(/\/staff\/inbox$/, { timeout: 15_000 })
  })

  it("removing the key on the account page (password again) ends the second step", async () => {
    await page.getByRole("link", { name: "Account" }).click()
    await page.waitForURL(/\/staff\/account$/)
    await page.getByRole("button", { name: "Remove Desk key…" }).click()
    await page.getByLabel("Current password").fill(`${me.password}x`)
    await page.getByRole("button", { name: "Remove Desk key", exact: true }).click()
    await expect.poll(alertText(page), { timeout: 30_000 }).toMatch(/password/i)
    await page.getByLabel("Current password").fill(me.password)
    await page.getByRole("button", { name: "Remove Desk key", exact: true }).click()
    await expect
      .poll(() => page.getByTestId("factor-status").textContent(), { timeout: 30_000 })
      .toMatch(/Security keys: 0.*Backup codes left: 0/)
    expect(await page.getByText("Security key removed.").count()).toBe(1)
    expect(await status()).toMatchObject({ webauthn: [], backupCodesLeft: 0 })
    await logout(page)
    await passwordLogin(page, base, me.username, me.password, /\/staff\/inbox$/)
    expect((await login(t, me.username, me.password)).stage).toBe("full")
    expect(w.problems).toEqual([])
  })

  it("a role that requires a second factor can enrol a security key at login", async () => {
    await t.client.call(accounts.updateSettings, {
      session: adminSession,
      body: { twoFactorRequired: { recipient: true } },
    })
    await logout(page)
    await passwordLogin(page, base, other.username, other.password, /\/staff\/second-factor$/)
    await expect.poll(() => page.locator("h1").textContent()).toBe("Set up a second factor")
    await page.getByLabel("Name of the new key").fill("Laptop key")
    await page.getByRole("button", { name: "Add security key" }).click()
    await page.getByTestId("backup-codes").waitFor({ timeout: 30_000 })
    await confirmBackupCodes(page, "Continue")
    await page.waitForURL(/\/staff\/inbox$/, { timeout: 15_000 })
    const mine = await t.client.call(twoFactor.getSecondFactors, { session: other.session })
    expect(mine.webauthn.map((k) => k.name)).toEqual(["Laptop key"])
    expect(w.problems).toEqual([])
  })
})
