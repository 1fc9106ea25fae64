import { wb } from "@sotto/protocol"
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { launchBrowser, openPage, screenshot, startAppRelay } from "../e2e/_browser.js"
import { type PreparedNode, prepareNode } from "../e2e/_node.js"
import type { TestRelay } from "../relay/_harness.js"
import { type EvilRelay, startEvilRelay } from "./_evilRelay.js"

// Attack 9 (PoW part) in the real PWA: the relay asks a whistleblower's phone for a 40-bit
// proof of work (days of hashing) on submit and on the receipt login. The pages must say why
// nothing was sent, at once, instead of a progress bar that never fills; nothing reaches the
// relay's submit or login routes.
// Seen failing before the fix (bounds not passed to the PoW worker): the submit page showed
// crypto-core's generic BAD_INPUT error for 40 bits, and at 30 bits the bar kept crawling with
// no explanation until the test's time limit.

const EXPLANATION = "anti-spam check outside the limits it signed"

let browser: Browser
let t: TestRelay
let evil: EvilRelay
let node: PreparedNode

beforeAll(async () => {
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay()])
  evil = await startEvilRelay(t.baseUrl)
  node = await prepareNode(t, { recipients: 1 })
})
afterAll(async () => {
  await browser?.close()
  await evil?.close()
  await t?.destroy()
})

/** From now on every challenge the evil relay hands out asks `bits` (undefined: honest). */
function askBits(bits: number | undefined): void {
  evil.onResponse((req, res) => {
    if (bits === undefined || req.path !== wb.getPow.path) return undefined
    return { body: { ...(res.json() as object), difficulty: bits } }
  })
}

const sent = (path: string) => evil.seen.some((x) => x.method === "POST" && x.url === path)

describe("attack 9: a relay asking a phone for days of proof of work", () => {
  let receipt = ""

  it("sends a report when the challenge is within the signed bounds (control)", async () => {
    askBits(undefined)
    const { page, problems } = await openPage(browser, { width: 360, height: 740 })
    await page.goto(`${evil.baseUrl}/report/${encodeURIComponent(node.contextId)}`)
    await page.getByText("Their keys were checked").waitFor({ timeout: 20_000 })
    await page.getByLabel("What happened?").fill("An honest report")
    await page.getByRole("button", { name: "Send report" }).click()
    await page.waitForURL(/\/receipt$/, { timeout: 60_000 })
    receipt = (await page.locator(".receipt").textContent()) ?? ""
    expect(receipt).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/)
    expect(problems).toEqual([])
  })

  it("explains a 40-bit challenge on the submit page and sends nothing", async () => {
    const { page, problems } = await openPage(browser, { width: 360, height: 740 })
    await page.goto(`${evil.baseUrl}/report/${encodeURIComponent(node.contextId)}`)
    await page.getByText("Their keys were checked").waitFor({ timeout: 20_000 })
    const before = (await t.relay.ctx.store.list("tips")).length
    askBits(40)
    evil.clear()
    await page.getByLabel("What happened?").fill("This must not wait for days")
    await page.getByRole("button", { name: "Send report" }).click()
    const alert = page.getByRole("alert").filter({ hasText: EXPLANATION })
    await alert.waitFor({ timeout: 20_000 })
    await screenshot(page, "evil-pow-40-bits-submit-360")
    expect(sent(wb.submitTip.path)).toBe(false)
    expect((await t.relay.ctx.store.list("tips")).length).toBe(before)
    // The form is usable again, not stuck behind a progress bar.
    expect(await page.getByRole("button", { name: "Send report" }).isEnabled()).toBe(true)
    expect(problems).toEqual([])
  })

  it("explains a 40-bit challenge on the receipt login and sends no login", async () => {
    askBits(40)
    evil.clear()
    const { page, problems } = await openPage(browser, { width: 360, height: 740 })
    await page.goto(`${evil.baseUrl}/return`)
    await page.getByLabel("Receipt", { exact: true }).fill(receipt)
    await page.getByRole("button", { name: "Log in" }).click()
    await page.getByRole("alert").filter({ hasText: EXPLANATION }).waitFor({ timeout: 30_000 })
    expect(sent(wb.wbLogin.path)).toBe(false)
    expect(problems).toEqual([])
  })
})
