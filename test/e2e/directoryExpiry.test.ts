import { type SignedKeyDirectory, signDirectory, verifyDirectory } from "@sotto/crypto-core"
import { contexts } from "@sotto/protocol"
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { TestRelay } from "../relay/_harness.js"
import { launchBrowser, openPage, screenshot, startAppRelay } from "./_browser.js"
import { type PreparedNode, prepareNode } from "./_node.js"

// Directories near expiry in the console (issue 10 follow-up): a channel whose signed directory
// expires within 30 days shows a warning with the days left and "Re-sign now"; an expired one is
// flagged red. Re-signing makes a new version valid for 180 days that whistleblowers accept.
// Seen failing before: the channel list showed nothing about the directory at all.

const DAY = 86_400_000

let browser: Browser
let t: TestRelay
let node: PreparedNode
let v1: SignedKeyDirectory

beforeAll(async () => {
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay()])
  node = await prepareNode(t, { recipients: 2, contextName: "Procurement" })
  v1 = (await t.relay.ctx.store.get<SignedKeyDirectory>("contexts", `d/${node.contextId}`))!
})
afterAll(async () => {
  await browser?.close()
  await t?.destroy()
})

/** Stores the context's directory re-signed by the node key with `version` and `expiresAt`. */
async function serveDirectory(version: number, issuedAt: number, expiresAt: number) {
  const signed = signDirectory(
    {
      ...v1.directory,
      version,
      issuedAt: new Date(issuedAt).toISOString(),
      expiresAt: new Date(expiresAt).toISOString(),
    },
    node.admin.signing,
  )
  await t.relay.ctx.store.put("contexts", `d/${node.contextId}`, signed)
}

/** Opens the channel list afresh (via Users: the list is fetched on each visit). */
async function openChannels(page: Page): Promise<void> {
  const nav = page.getByRole("navigation", { name: "Admin console" })
  await nav.getByRole("link", { name: "Users" }).click()
  await page.getByRole("heading", { level: 1, name: "Users" }).waitFor({ timeout: 15_000 })
  await nav.getByRole("link", { name: "Channels" }).click()
  await page.locator(`[data-context="${node.contextId}"]`).waitFor({ timeout: 15_000 })
}

describe("directories near expiry in the console", () => {
  it("warns with the days left, flags an expired one red, and re-signs on request", async () => {
    const { page, problems } = await openPage(browser, { width: 360, height: 800 })
    await page.goto(`${t.baseUrl}/staff`)
    await page.getByLabel("Username").fill(node.admin.username)
    await page.getByLabel("Password").fill(node.admin.password)
    await page.getByRole("button", { name: "Log in" }).click()
    await page.waitForURL(/\/staff\/inbox$/, { timeout: 20_000 })
    await page.getByRole("link", { name: "Admin", exact: true }).click()
    await page.getByRole("heading", { level: 1, name: "Users" }).waitFor({ timeout: 15_000 })

    // Healthy (180 days): nothing shown.
    await openChannels(page)
    const row = page.locator(`[data-context="${node.contextId}"]`)
    await page.waitForTimeout(500)
    expect(await row.getByTestId("directory-state").count()).toBe(0)

    // 10 days left: a warning with the days left.
    await serveDirectory(2, Date.now() - 170 * DAY, Date.now() + 10 * DAY - 60_000)
    await openChannels(page)
    const state = row.getByTestId("directory-state")
    await state.waitFor({ timeout: 15_000 })
    expect(await state.getAttribute("data-state")).toBe("soon")
    expect(await state.textContent()).toContain("expires in 10 days")
    await screenshot(page, "admin-directory-soon-360")

    await state.getByRole("button", { name: "Re-sign now" }).click()
    await page.getByText("was re-signed").waitFor({ timeout: 20_000 })
    await expect.poll(() => state.count(), { timeout: 15_000 }).toBe(0)
    const renewed = await t.client.call(contexts.getContextDirectory, {
      params: { contextId: node.contextId },
    })
    const { directory } = verifyDirectory(renewed, v1.signer)
    expect(directory.version).toBe(3)
    expect(Date.parse(directory.expiresAt) - Date.now()).toBeGreaterThan(179 * DAY)
    expect(directory.recipients.map((r) => r.id)).toEqual(v1.directory.recipients.map((r) => r.id))

    // Expired 3 days ago: flagged red, and re-signing fixes it too.
    await serveDirectory(4, Date.now() - 183 * DAY, Date.now() - 3 * DAY)
    await openChannels(page)
    await state.waitFor({ timeout: 20_000 })
    expect(await state.getAttribute("data-state")).toBe("expired")
    expect(await state.getAttribute("class")).toContain("error")
    expect(await state.textContent()).toContain("expired 3 days ago")
    await screenshot(page, "admin-directory-expired-360")
    await state.getByRole("button", { name: "Re-sign now" }).click()
    await expect.poll(() => state.count(), { timeout: 20_000 }).toBe(0)
    const again = await t.client.call(contexts.getContextDirectory, {
      params: { contextId: node.contextId },
    })
    expect(verifyDirectory(again, v1.signer).directory.version).toBe(5)
    expect(problems).toEqual([])
  })
})
