import { type KeyDirectory, type SignedKeyDirectory, signDirectory } from "@sotto/crypto-core"
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  launchBrowser,
  openPage,
  screenshot,
  startAppRelay,
  type WatchedPage,
} from "../e2e/_browser.js"
import { type PreparedNode, prepareNode } from "../e2e/_node.js"
import { submitTip, type Whistleblower } from "../e2e/_recipientWb.js"
import type { TestRelay } from "../relay/_harness.js"

// Attack 4, staff side, in Chromium: a recipient's browser opens a tip only after checking its
// context's directory (the colleagues a grant may go to, the keys comments verify under). A relay
// that rolls the directory back to an older version, or serves an expired one (both validly
// signed by the node key), is refused with words on screen, and the tip is not shown.
// Seen failing before the fix (this test, first run): the tip view checked the directory under
// the unsigned `signingPublicKey` of GET /node with no version check, so the rolled-back
// directory still showed the tip (only the grant panel complained), and the expired one showed a
// generic error without the words "has expired".

let browser: Browser
let t: TestRelay
let node: PreparedNode
let who: Whistleblower
let v1: SignedKeyDirectory
let staff: WatchedPage

beforeAll(async () => {
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay()])
  node = await prepareNode(t, { recipients: 1 })
  const [r] = node.recipients
  if (!r) throw new Error("no recipient")
  who = await submitTip(
    t,
    node.contextId,
    [{ userId: r.userId, name: "R", recipient: r.recipient }],
    { what: "The ledger was rewritten" },
  )
  v1 = (await t.relay.ctx.store.get<SignedKeyDirectory>("contexts", `d/${node.contextId}`))!
  staff = await openPage(browser, { width: 360, height: 800 })
}, 120_000)
afterAll(async () => {
  await browser?.close()
  await t?.destroy()
})

async function serveDirectory(changes: Partial<KeyDirectory>): Promise<void> {
  const signed = signDirectory({ ...v1.directory, ...changes }, node.admin.signing)
  await t.relay.ctx.store.put("contexts", `d/${node.contextId}`, signed)
}

/** Opens the tip from the inbox (each visit verifies the directory afresh). */
async function openTip(page: Page): Promise<void> {
  await page.getByRole("link", { name: "Inbox" }).click()
  await page.locator(`[data-tip-id="${who.tipId}"]`).click()
}

async function refusedWith(page: Page, words: string): Promise<void> {
  const alert = page.getByRole("alert").filter({ hasText: words })
  await alert.waitFor({ timeout: 20_000 })
  expect(await page.getByTestId("answers").count()).toBe(0)
}

describe("attack 4 in a staff browser: directory rollback and expiry", () => {
  it("opens the tip under the current directory, pinning its version", async () => {
    const [r] = node.recipients
    if (!r) throw new Error("no recipient")
    const { page } = staff
    await page.goto(`${t.baseUrl}/staff`)
    await page.getByLabel("Username").fill(r.username)
    await page.getByLabel("Password").fill(r.password)
    await page.getByRole("button", { name: "Log in" }).click()
    await page.waitForURL(/\/staff\/inbox$/, { timeout: 30_000 })
    await serveDirectory({ version: 2 })
    await page.locator(`[data-tip-id="${who.tipId}"]`).click()
    const answers = page.getByTestId("answers")
    await expect.poll(() => answers.textContent(), { timeout: 30_000 }).toContain("ledger")
  })

  it("refuses an older directory version than this browser saw, in words", async () => {
    await t.relay.ctx.store.put("contexts", `d/${node.contextId}`, v1)
    await openTip(staff.page)
    await refusedWith(staff.page, "older than one this browser saw before")
    await screenshot(staff.page, "evil4-staff-rollback-360")
  })

  it("refuses an expired directory, in words", async () => {
    await serveDirectory({
      version: 3,
      issuedAt: "2025-01-01T00:00:00.000Z",
      expiresAt: "2025-06-30T00:00:00.000Z",
    })
    await openTip(staff.page)
    await refusedWith(staff.page, "has expired")
    expect(staff.problems).toEqual([])
  })
})
