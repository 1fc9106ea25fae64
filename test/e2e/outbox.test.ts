import { readFile } from "node:fs/promises"
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { TestRelay } from "../relay/_harness.js"
import { launchBrowser, openPage, screenshot, startAppRelay, type WatchedPage } from "./_browser.js"
import { dumpIndexedDb, hexOf } from "./_idb.js"
import {
  downloadSha256,
  openAsRecipient,
  type PreparedNode,
  prepareNode,
  randomFile,
  removeRandomFiles,
  tipIdsOf,
} from "./_node.js"

// The offline outbox in Chromium against a real relay: the form is loaded online, then the
// browser context goes offline; two reports are sealed and kept in IndexedDB (one with a file),
// each receipt shown at once as not yet sent; one is deleted; IndexedDB holds none of the
// plaintext; back online the outbox delivers the other (proof of work, submit, file chunks),
// the receipt turns confirmed and a recipient reads exactly what was typed and the file's bytes.

const MiB = 1024 * 1024
let browser: Browser
let t: TestRelay
let node: PreparedNode
let wb: WatchedPage

beforeAll(async () => {
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay()])
  node = await prepareNode(t, {
    oprf: true,
    questionnaire: [
      { id: "what", type: "textarea", label: "What happened?", required: true },
      { id: "evidence", type: "file", label: "Documents", required: false },
    ],
    maxFiles: 2,
  })
  // Requests failing while offline (or cut by the test) are the point of this test.
  wb = await openPage(browser, { allowConsoleErrors: /ERR_INTERNET_DISCONNECTED|ERR_FAILED/ })
})
afterAll(async () => {
  await removeRandomFiles()
  await browser?.close()
  await t?.destroy()
})

describe("whistleblower outbox", () => {
  const story = "Offline: the Porto invoices were split to stay under the limit."
  const dropped = "This one will be deleted before it is sent."
  let file: Awaited<ReturnType<typeof randomFile>>
  let receipt = ""
  let droppedReceipt = ""
  let chunkCount = 0

  it("seals reports offline, keeps them pending and lets one be deleted", async () => {
    const { page, context } = wb
    file = await randomFile("offline-ledger.pdf", 2 * MiB + 12345)
    await page.goto(`${t.baseUrl}/report/${node.contextId}`)
    await expect
      .poll(() => page.getByText("Their keys were checked").count(), { timeout: 20_000 })
      .toBe(1)
    // The warm-up after the form is ready (workers, receipt and outbox code) has finished.
    await expect
      .poll(() => page.locator("h1[data-offline-ready]").getAttribute("data-offline-ready"), {
        timeout: 20_000,
      })
      .toBe("yes")
    await context.setOffline(true)
    await expect.poll(() => page.locator("#offline-note").count()).toBe(1)

    // First report (to delete), no file.
    await page.getByLabel("What happened?").fill(dropped)
    await page.getByRole("button", { name: "Send report" }).click()
    await page.waitForURL(/\/receipt$/, { timeout: 30_000 })
    droppedReceipt = (await page.locator(".receipt").textContent()) ?? ""
    expect(droppedReceipt).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/)
    expect(await page.locator("#receipt-state").getAttribute("data-receipt-state")).toBe("pending")

    // Second report, with a file, still offline (in-app navigation, no network).
    await page.goBack()
    await page.waitForURL(/\/report\//)
    await page.getByLabel("What happened?").fill(story)
    await page.locator("#q-evidence").setInputFiles(file.path)
    await expect
      .poll(() => page.locator(".sha256").allTextContents(), { timeout: 20_000 })
      .toEqual([file.sha256])
    await page.getByRole("button", { name: "Send report" }).click()
    await page.waitForURL(/\/receipt$/, { timeout: 60_000 })
    receipt = (await page.locator(".receipt").textContent()) ?? ""
    expect(receipt).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/)
    expect(receipt).not.toBe(droppedReceipt)
    const state = page.locator("#receipt-state")
    expect(await state.getAttribute("data-receipt-state")).toBe("pending")
    expect(await state.textContent()).toContain("Saved on this device, will be sent when online")
    await expect.poll(() => page.locator(".outbox-item").count()).toBe(2)
    await screenshot(page, "wb-outbox-pending")

    // Delete the first (oldest) one.
    await page
      .locator(".outbox-item")
      .first()
      .getByRole("button", { name: /^Delete/ })
      .click()
    await expect.poll(() => page.locator(".outbox-item").count()).toBe(1)
    expect(await page.getByText("will not be sent").count()).toBe(1)
  })

  it("keeps no plaintext in IndexedDB while offline", async () => {
    const { page } = wb
    const dump = await dumpIndexedDb(page)
    const parsed = JSON.parse(dump) as Record<string, Record<string, unknown[]>>
    const outbox = parsed["sotto-outbox"]
    expect(outbox?.submissions).toHaveLength(1)
    // Sealed ahead of time, the file waits in the relay's smallest upload chunks (64 KiB), which
    // any link carries: its size plus age's header and tags, rounded up.
    chunkCount = (outbox?.chunks ?? []).length
    const plainChunks = Math.ceil(file.size / (64 * 1024))
    expect(chunkCount).toBeGreaterThanOrEqual(plainChunks)
    expect(chunkCount).toBeLessThanOrEqual(plainChunks + 1)
    expect(outbox?.facts).toHaveLength(1)
    const bytes = await readFile(file.path)
    const samples = [0, 1 * MiB + 7, bytes.length - 40].map((at) =>
      hexOf(bytes.subarray(at, at + 32)),
    )
    const digits = (r: string) => r.replaceAll(" ", "")
    for (const secret of [
      story,
      dropped,
      "Porto invoices",
      "offline-ledger",
      receipt,
      digits(receipt),
      droppedReceipt,
      digits(droppedReceipt),
      file.sha256,
      ...samples,
    ]) {
      expect(dump.includes(secret), `IndexedDB holds ${secret.slice(0, 20)}`).toBe(false)
    }
    // The receipt's digits must not appear as bytes either (hex of their ASCII).
    expect(dump.includes(Buffer.from(digits(receipt)).toString("hex"))).toBe(false)
  })

  it("delivers when the connection returns, resuming an interrupted file, and confirms the receipt", async () => {
    const { page, context, problems } = wb
    // The connection drops again under the second chunk, once: delivery stops there.
    const chunkPuts: string[] = []
    let cut = false
    await page.route("**/api/v1/files/*/chunks/*", (route) => {
      const index = route.request().url().split("/").at(-1) ?? ""
      chunkPuts.push(index)
      if (index === "1" && !cut) {
        cut = true
        return route.abort("failed")
      }
      return route.continue()
    })
    await context.setOffline(false)
    await expect.poll(() => cut, { timeout: 45_000 }).toBe(true)
    expect(await page.locator("#receipt-state").getAttribute("data-receipt-state")).toBe("pending")
    // Back again: the relay is asked what it holds, and only the missing chunks go up.
    await context.setOffline(true)
    await context.setOffline(false)
    await expect
      .poll(() => page.locator("#receipt-state").getAttribute("data-receipt-state"), {
        timeout: 45_000,
      })
      .toBe("confirmed")
    expect(await page.locator("h1").textContent()).toBe("Your report was sent")
    // Chunk 1 is cut once and sent again; nothing already stored is sent twice.
    const rest = Array.from({ length: chunkCount - 1 }, (_, i) => String(i + 1))
    expect(chunkPuts).toEqual(["0", "1", ...rest])
    await page.unroute("**/api/v1/files/*/chunks/*")
    await expect.poll(() => page.locator(".outbox-item").count()).toBe(0)
    const left = JSON.parse(await dumpIndexedDb(page)) as Record<string, Record<string, unknown[]>>
    expect(left["sotto-outbox"]?.submissions).toEqual([])
    expect(left["sotto-outbox"]?.chunks).toEqual([])
    await screenshot(page, "wb-outbox-confirmed")

    const [recipient] = node.recipients
    if (!recipient) throw new Error("no recipient")
    const ids = await tipIdsOf(t, recipient)
    expect(ids).toHaveLength(1)
    const view = await openAsRecipient(t, recipient, ids[0] ?? "")
    expect(view.answers).toEqual({ what: story, evidence: ["offline-ledger.pdf"] })
    expect(view.files).toHaveLength(1)
    expect(view.files[0]?.meta).toMatchObject({
      name: "offline-ledger.pdf",
      size: file.size,
      sha256: file.sha256,
    })
    expect(await downloadSha256(t, recipient, view.files[0]?.id ?? "", view.tipKey)).toEqual({
      sha256: file.sha256,
      size: file.size,
    })

    // The confirmed receipt leads on to the report, opened with the session from delivery.
    await page.getByRole("link", { name: "Continue to my report" }).click()
    await page.waitForURL(/\/my-report$/)
    await expect
      .poll(() => page.locator('[data-answer="what"]').textContent(), { timeout: 20_000 })
      .toBe(story)
    expect(problems).toEqual([])
  })

  it("keeps a report whose sending fails on the network while online, then delivers it", async () => {
    const { page, context, problems } = wb
    const lost = "Sent into a dropped connection, delivered later."
    await page.goto(`${t.baseUrl}/report/${node.contextId}`)
    await expect
      .poll(() => page.getByText("Their keys were checked").count(), { timeout: 20_000 })
      .toBe(1)
    // The submission itself never reaches the relay: the connection drops under it.
    await page.route("**/api/v1/tips", (route) =>
      route.request().method() === "POST" ? route.abort("failed") : route.continue(),
    )
    await page.getByLabel("What happened?").fill(lost)
    await page.getByRole("button", { name: "Send report" }).click()
    await page.waitForURL(/\/receipt$/, { timeout: 60_000 })
    expect(await page.locator("#receipt-state").getAttribute("data-receipt-state")).toBe("pending")
    const [recipient] = node.recipients
    if (!recipient) throw new Error("no recipient")
    expect(await tipIdsOf(t, recipient)).toHaveLength(1)

    await page.unroute("**/api/v1/tips")
    // The connection "returns": the online event starts the delivery.
    await context.setOffline(true)
    await context.setOffline(false)
    await expect
      .poll(() => page.locator("#receipt-state").getAttribute("data-receipt-state"), {
        timeout: 45_000,
      })
      .toBe("confirmed")
    const ids = await tipIdsOf(t, recipient)
    expect(ids).toHaveLength(2)
    const answers = await Promise.all(
      ids.map(async (id) => (await openAsRecipient(t, recipient, id)).answers),
    )
    expect(answers).toContainEqual({ what: lost, evidence: [] })
    expect(problems).toEqual([])
  })
})
