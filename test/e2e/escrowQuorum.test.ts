import { accounts } from "@sotto/protocol"
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createRecipient, firstLogin, login, type StaffActor } from "../relay/_actors.js"
import { threeAdmins } from "../relay/_escrowQuorum.js"
import type { TestRelay } from "../relay/_harness.js"
import { launchBrowser, openPage, startAppRelay, type WatchedPage } from "./_browser.js"

// Issue 12 acceptance, k-of-n escrow in Chromium: three admins split the escrow key 2-of-3 from
// the console; one asks to reset a recipient's password, one approval is not enough (the reset
// cannot complete), a second makes it possible; each approval is in the audit log.

let browser: Browser
let t: TestRelay
let ana: StaffActor
let bianca: StaffActor
let chidi: StaffActor
let nina: StaffActor
const pages: WatchedPage[] = []

beforeAll(async () => {
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay()])
  t.relay.ctx.loginGuard.sleep = async () => {}
  ;[ana, bianca, chidi] = (await threeAdmins(t)).admins
  nina = await firstLogin(t, "nina", (await createRecipient(t, ana, "nina")).oneTimePassword)
})
afterAll(async () => {
  await browser?.close()
  await t?.destroy()
})

/** A fresh browser (its own storage) logged in as `who`, on the console's settings page. */
async function consoleOf(who: StaffActor): Promise<Page> {
  const w = await openPage(browser)
  pages.push(w)
  const { page } = w
  await page.goto(`${t.baseUrl}/staff`)
  await page.getByLabel("Username").fill(who.username)
  await page.getByLabel("Password").fill(who.password)
  await page.getByRole("button", { name: "Log in" }).click()
  await page.waitForURL(/\/staff\/inbox$/, { timeout: 30_000 })
  await page.getByRole("link", { name: "Admin", exact: true }).click()
  await page
    .getByRole("navigation", { name: "Admin console" })
    .getByRole("link", { name: "Settings" })
    .click()
  await page.getByRole("region", { name: "Escrow approvals" }).waitFor({ timeout: 30_000 })
  return page
}

/** Confirms the re-authentication form titled `title` with `who`'s password. */
async function reauth(page: Page, title: string, action: string, who: StaffActor) {
  const form = page.getByRole("form", { name: title })
  await form.getByLabel(/Type your own password/).fill(who.password)
  await form.getByRole("button", { name: action }).click()
}

const card = (page: Page) => page.getByRole("region", { name: "Escrow approvals" })

describe("2-of-3 escrow from the console", () => {
  let anaPage: Page

  it("says plainly what 1-of-n means, then splits the key 2-of-3 and deletes every wrap", async () => {
    anaPage = await consoleOf(ana)
    const text = await card(anaPage).locator('[data-escrow-mode="1-of-n"]').textContent()
    expect(text).toContain(
      "any single admin, or anyone who gets one admin's password, can reset any account and read every tip",
    )
    await card(anaPage).getByLabel("Admins who must approve a reset").selectOption("2")
    await card(anaPage).getByRole("button", { name: "Split the escrow key" }).click()
    await reauth(anaPage, "Split the escrow key", "Split the escrow key", ana)
    const mode = card(anaPage).locator('[data-escrow-mode="k-of-n"]')
    await mode.waitFor({ timeout: 60_000 })
    expect(await mode.textContent()).toMatch(/needs 2 of 3 admins/)
    for (const admin of [ana, bianca, chidi]) {
      const me = await t.client.call(accounts.getMe, { session: admin.session })
      expect(me.escrowWrap).toBeUndefined()
    }
  })

  it("cannot reset with one approval, resets with two, and audits each approval", async () => {
    const ask = card(anaPage).getByRole("form", { name: "New escrow reset request" })
    await ask.getByLabel("Account to reset").selectOption({ label: "Person nina (nina)" })
    await ask.getByLabel(/Why/).fill("Nina lost her password and her recovery key")
    await ask.getByRole("button", { name: "Ask the other admins" }).click()
    await reauth(anaPage, "Ask for an escrow reset", "Ask for approval", ana)
    const request = card(anaPage).locator("[data-request]").first()
    await request.waitFor({ timeout: 30_000 })
    expect(await request.locator("[data-approvals]").textContent()).toBe("0 of 2 approvals")

    const biancaPage = await consoleOf(bianca)
    const seen = card(biancaPage).locator("[data-request]").first()
    expect(await seen.textContent()).toContain("Nina lost her password and her recovery key")
    await seen.getByRole("button", { name: "Approve" }).click()
    await reauth(biancaPage, "Approve resetting nina", "Approve", bianca)
    await expect
      .poll(() => seen.locator("[data-approvals]").textContent(), { timeout: 60_000 })
      .toBe("1 of 2 approvals")

    // One approval: the asking admin's browser cannot rebuild the key; nothing changes.
    await request.getByRole("button", { name: "Complete reset" }).click()
    await reauth(anaPage, "Complete the escrow reset", "Complete reset", ana)
    const alert = card(anaPage).getByRole("alert")
    await alert.waitFor({ timeout: 60_000 })
    expect(await alert.textContent()).toContain("Not enough approvals: 1 of the 2 needed")
    expect((await login(t, "nina", nina.password)).stage).toBe("full")

    const chidiPage = await consoleOf(chidi)
    const third = card(chidiPage).locator("[data-request]").first()
    await third.getByRole("button", { name: "Approve" }).click()
    await reauth(chidiPage, "Approve resetting nina", "Approve", chidi)
    await expect
      .poll(() => third.locator("[data-approvals]").textContent(), { timeout: 60_000 })
      .toBe("2 of 2 approvals")

    await request.getByRole("button", { name: "Complete reset" }).click()
    await reauth(anaPage, "Complete the escrow reset", "Complete reset", ana)
    const otp = anaPage.locator("[data-otp]")
    await otp.waitFor({ timeout: 90_000 })
    const oneTimePassword = (await otp.textContent())?.trim() ?? ""
    expect(oneTimePassword).toMatch(/^[a-z]+(-[a-z]+){5}$/)
    const after = await login(t, "nina", oneTimePassword)
    expect([after.stage, after.identity]).toEqual(["password-change", nina.identity])

    await anaPage
      .getByRole("navigation", { name: "Admin console" })
      .getByRole("link", { name: "Audit log" })
      .click()
    await anaPage.getByLabel("Action").selectOption({ label: "Escrow reset approved" })
    const entries = anaPage.getByRole("list", { name: "Audit entries" }).getByRole("listitem")
    await expect.poll(() => entries.count(), { timeout: 30_000 }).toBe(2)
    const texts = (await entries.allTextContents()).join("\n")
    expect(texts).toContain("(bianca)")
    expect(texts).toContain("(chidi)")
    expect(pages.flatMap((w) => w.problems)).toEqual([])
  })
})
