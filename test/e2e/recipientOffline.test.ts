import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { TestRelay } from "../relay/_harness.js"
import { launchBrowser, openPage, screenshot, startAppRelay, type WatchedPage } from "./_browser.js"
import { dumpIndexedDb } from "./_idb.js"
import { type PreparedNode, prepareNode } from "./_node.js"
import { submitTip, type Whistleblower } from "./_recipientWb.js"

// The recipient offline, within one running page (a reload offline needs the service worker):
// a tip opened once online is kept encrypted in IndexedDB; after logging out and losing the
// connection, the password opens the kept sealed identity in the workers (a wrong one is
// refused) and the kept tip reads again; IndexedDB holds none of it in plaintext; "Forget this
// device" deletes the database.

let browser: Browser
let t: TestRelay
let node: PreparedNode
let w: WatchedPage
let wb: Whistleblower
const answer = `The Braga warehouse stock was sold twice ${Date.now()}`

beforeAll(async () => {
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay()])
  node = await prepareNode(t)
  const [r] = node.recipients
  if (!r) throw new Error("no recipient")
  wb = await submitTip(
    t,
    node.contextId,
    [{ userId: r.userId, name: "Recipient 1", recipient: r.recipient }],
    { what: answer },
  )
  w = await openPage(browser, { allowConsoleErrors: /ERR_INTERNET_DISCONNECTED/ })
})
afterAll(async () => {
  await browser?.close()
  await t?.destroy()
})

describe("recipient offline", () => {
  it("opens a tip online, then reads it offline after logging in with the password", async () => {
    const { page, context } = w
    const [r] = node.recipients
    if (!r) throw new Error("no recipient")
    const logIn = async (password: string) => {
      await page.getByLabel("Username").fill(r.username)
      await page.getByLabel("Password").fill(password)
      await page.getByRole("button", { name: "Log in" }).click()
    }
    await page.goto(`${t.baseUrl}/staff`)
    await logIn(r.password)
    await page.waitForURL(/\/staff\/inbox$/, { timeout: 30_000 })
    await page.locator(`[data-tip-id="${wb.tipId}"]`).click()
    await expect
      .poll(() => page.getByTestId("answers").textContent(), { timeout: 20_000 })
      .toContain(answer)

    await page.getByRole("button", { name: "Log out" }).click()
    await page.waitForURL(/\/staff$/)
    await context.setOffline(true)

    await logIn("not the password at all")
    await expect
      .poll(() => page.getByRole("alert").first().textContent(), { timeout: 20_000 })
      .toMatch(/password/i)
    await logIn(r.password)
    await page.waitForURL(/\/staff\/inbox$/, { timeout: 30_000 })
    expect(await page.getByText("You are offline").count()).toBeGreaterThan(0)
    await page.locator(`[data-tip-id="${wb.tipId}"]`).click()
    await expect
      .poll(() => page.getByTestId("answers").textContent(), { timeout: 20_000 })
      .toContain(answer)
    await screenshot(page, "recipient-offline-tip")

    const dump = await dumpIndexedDb(page)
    expect(dump).toContain("sotto-staff")
    expect(dump.includes(answer)).toBe(false)
    expect(dump.includes("Braga")).toBe(false)
    expect(dump.includes(r.identity)).toBe(false)
    expect(dump.includes(r.password)).toBe(false)
  })

  it("forgets the device: IndexedDB no longer holds the staff database", async () => {
    const { page, context, problems } = w
    await page.goBack()
    await page.waitForURL(/\/staff\/inbox$/)
    await page.getByRole("button", { name: "Forget this device" }).click()
    await expect.poll(() => page.locator("#forget-status").textContent()).toContain("deleted")
    const names = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))
    expect(names).not.toContain("sotto-staff")
    expect(await dumpIndexedDb(page)).not.toContain(answer)

    // Nothing left to open offline.
    await page.getByRole("button", { name: "Log out" }).click()
    await page.waitForURL(/\/staff$/)
    const [r] = node.recipients
    await page.getByLabel("Username").fill(r?.username ?? "")
    await page.getByLabel("Password").fill(r?.password ?? "")
    await page.getByRole("button", { name: "Log in" }).click()
    await expect
      .poll(() => page.getByRole("alert").first().textContent(), { timeout: 20_000 })
      .toContain("keeps no copy")
    await context.setOffline(false)
    expect(problems).toEqual([])
  })
})
