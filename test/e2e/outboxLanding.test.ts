import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { TestRelay } from "../relay/_harness.js"
import { launchBrowser, openPage, startAppRelay } from "./_browser.js"
import { openAsRecipient, type PreparedNode, prepareNode, tipIdsOf } from "./_node.js"

// A whistleblower seals a report offline, closes the tab, and later comes back to the site's
// landing page (not the report page): the landing finds the outbox and sends what waits in it.

let browser: Browser
let t: TestRelay
let node: PreparedNode

beforeAll(async () => {
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay()])
  node = await prepareNode(t, {
    questionnaire: [{ id: "what", type: "textarea", label: "What happened?", required: true }],
  })
})
afterAll(async () => {
  await browser?.close()
  await t?.destroy()
})

describe("the landing page and the outbox", () => {
  it("sends a report saved offline when the whistleblower comes back to the landing page", async () => {
    const story = `Saved offline, sent from the landing page (${Date.now()}).`
    const wb = await openPage(browser, { allowConsoleErrors: /ERR_INTERNET_DISCONNECTED/ })
    await wb.page.goto(`${t.baseUrl}/report/${node.contextId}`)
    await expect
      .poll(() => wb.page.getByText("Their keys were checked").count(), { timeout: 20_000 })
      .toBe(1)
    // The warm-up after the form is ready (workers, receipt and outbox code) has finished.
    await expect
      .poll(() => wb.page.locator("h1[data-offline-ready]").getAttribute("data-offline-ready"), {
        timeout: 20_000,
      })
      .toBe("yes")
    await wb.context.setOffline(true)
    await wb.page.getByLabel("What happened?").fill(story)
    await wb.page.getByRole("button", { name: "Send report" }).click()
    await wb.page.waitForURL(/\/receipt$/, { timeout: 30_000 })
    expect(await wb.page.locator("#receipt-state").getAttribute("data-receipt-state")).toBe(
      "pending",
    )
    await wb.page.close()
    const recipient = node.recipients[0]
    if (!recipient) throw new Error("prepareNode makes one recipient")
    expect(await tipIdsOf(t, recipient)).toEqual([])

    // Later, online again, a new tab of the same browser opens the landing page.
    await wb.context.setOffline(false)
    const again = await wb.context.newPage()
    await again.goto(t.baseUrl)
    await expect.poll(() => tipIdsOf(t, recipient), { timeout: 45_000 }).toHaveLength(1)
    const [tipId] = await tipIdsOf(t, recipient)
    expect((await openAsRecipient(t, recipient, tipId ?? "")).answers).toMatchObject({
      what: story,
    })
    expect(wb.problems).toEqual([])
  })
})
