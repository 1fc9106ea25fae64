import { AxeBuilder } from "@axe-core/playwright"
import { accounts, contexts, storage } from "@sotto/protocol"
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { diskGuard } from "../../relay/src/services/diskGuard.js"
import { type NodeAdmin, setupNode } from "../relay/_actors.js"
import type { TestRelay } from "../relay/_harness.js"
import { launchBrowser, openPage, screenshot, startAppRelay, type WatchedPage } from "./_browser.js"
import { contextBody, submitTip } from "./_recipientWb.js"

// Issue 11 in the console, in Chromium against a real relay: the stored sizes per channel and
// for the node with their budgets (and changing the budgets), the free-disk warning on every
// admin page while the disk is under the watermark, and the tip deletion policy setting; each
// page axe-clean, at 1280 px and on a 360 px phone.

const MiB = 1024 * 1024
let browser: Browser
let t: TestRelay
let admin: NodeAdmin
let w: WatchedPage
let page: Page
const contextId = "storage-test"

beforeAll(async () => {
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay()])
  admin = await setupNode(t, { nodeName: "Storage node" })
  const people = [{ userId: admin.userId, name: "Admin", recipient: admin.recipient }]
  await t.client.call(contexts.createContext, {
    session: admin.session,
    body: {
      id: contextId,
      ...contextBody(admin, contextId, people, new Date(Date.UTC(2026, 0, 1))),
    },
  })
  await submitTip(t, contextId, people, { what: "storage test" })
  w = await openPage(browser)
  page = w.page
})
afterAll(async () => {
  await browser?.close()
  await t?.destroy()
})

/** Axe's violations on the page now, as "rule: target" lines (empty when clean). */
async function axeViolations(p: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page: p }).analyze()
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")}`))
}

const nav = (name: string) =>
  page.getByRole("navigation", { name: "Admin console" }).getByRole("link", { name, exact: true })

describe("storage, the disk warning and the deletion policy in the console", () => {
  it("shows what each channel and the node hold, and changes the budgets", async () => {
    await page.goto(`${t.baseUrl}/staff`)
    await page.getByLabel("Username").fill(admin.username)
    await page.getByLabel("Password").fill(admin.password)
    await page.getByRole("button", { name: "Log in" }).click()
    await page.waitForURL(/\/staff\/inbox$/, { timeout: 15_000 })
    await page.getByRole("link", { name: "Admin", exact: true }).click()
    await nav("Storage").click()
    await page.getByRole("heading", { level: 1, name: "Storage" }).waitFor({ timeout: 15_000 })

    const stored = await t.client.call(storage.getStorage, { session: admin.session })
    expect(stored.node.tips).toBe(1)
    const row = page.locator(`tr[data-context="${contextId}"]`)
    await row.waitFor({ timeout: 15_000 })
    expect(await row.getAttribute("data-bytes")).toBe(String(stored.node.bytes))
    expect(await row.textContent()).toMatch(/Financial misconduct1.* KiB of 50\.0 GiB \(0 %\)/)
    expect(await page.locator("[data-node-bytes]").textContent()).toMatch(/1 reports.*200\.0 GiB/)
    expect(await page.locator("[data-disk-low]").count()).toBe(0)

    await page.getByLabel("Per channel (MiB)").fill("0")
    await page.getByRole("button", { name: "Save budgets" }).click()
    await page.getByText(/A whole number of MiB from 1/).waitFor({ timeout: 15_000 })
    await page.getByLabel("Per channel (MiB)").fill("2048")
    await page.getByLabel("Files per report (MiB)").fill("512")
    await page.getByRole("button", { name: "Save budgets" }).click()
    await page
      .getByRole("status")
      .filter({ hasText: "Budgets saved." })
      .waitFor({ timeout: 15_000 })
    const settings = await t.client.call(accounts.getSettings, { session: admin.session })
    expect(settings.quotas).toEqual({
      tipFileBytes: 512 * MiB,
      contextBytes: 2048 * MiB,
      nodeBytes: 200 * 1024 * MiB,
    })
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toMatch(/of 2\.0 GiB/)
    expect(await axeViolations(page)).toEqual([])
    await screenshot(page, "admin-storage-1280")
  })

  it("warns staff on every admin page while the disk is under the watermark", async () => {
    const guard = diskGuard(t.relay.ctx)
    const realProbe = guard.probe
    guard.probe = async () => guard.minFreeBytes - 5 * MiB
    guard.refresh()
    try {
      await nav("Users").click()
      const warning = page.getByRole("alert").filter({ hasText: "short of disk space" })
      await warning.waitFor({ timeout: 15_000 })
      expect(await warning.textContent()).toMatch(/1019\.0 MiB free, under the 1\.0 GiB/)
      await nav("Storage").click()
      await page.getByRole("heading", { level: 1, name: "Storage" }).waitFor()
      await warning.waitFor({ timeout: 15_000 })
      expect(await axeViolations(page)).toEqual([])
      // On a phone: nothing wider than the screen.
      await page.setViewportSize({ width: 360, height: 740 })
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        360,
      )
      await screenshot(page, "admin-storage-disk-low-360")
      await page.setViewportSize({ width: 1280, height: 900 })
    } finally {
      guard.probe = realProbe
      guard.refresh()
    }
    await nav("Audit log").click()
    await page.getByRole("heading", { level: 1, name: "Audit log" }).waitFor()
    await expect.poll(() => page.locator("[data-disk-low]").count(), { timeout: 5_000 }).toBe(0)
  })

  it("sets who may delete reports", async () => {
    await nav("Settings").click()
    const form = page.getByRole("form", { name: "Deleting reports" })
    await form.waitFor({ timeout: 15_000 })
    expect(await form.getByLabel("Administrators only (recommended)").isChecked()).toBe(true)
    await form.getByLabel("Any staff member who holds the report").check()
    await form.getByRole("button", { name: "Save deletion policy" }).click()
    await page.locator('[data-tip-policy="holders"]').waitFor({ timeout: 15_000 })
    const settings = await t.client.call(accounts.getSettings, { session: admin.session })
    expect(settings.tipPolicy).toBe("holders")
    const audit = await t.client.call(accounts.listAudit, { session: admin.session })
    expect(audit.entries[0]).toMatchObject({
      action: "settings.update",
      details: { fields: "tipPolicy" },
    })
    expect(await axeViolations(page)).toEqual([])
    expect(w.problems).toEqual([])
  })
})
