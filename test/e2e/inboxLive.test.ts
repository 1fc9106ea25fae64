import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { putWrapIn } from "../../relay/src/services/holderIndex.js"
import type { TipRecord, WrapRecord } from "../../relay/src/services/records.js"
import { countTipCreated } from "../../relay/src/services/tipCounters.js"
import { wipeTip } from "../../relay/src/services/tipWipe.js"
import type { TestRelay } from "../relay/_harness.js"
import { launchBrowser, openPage, screenshot, startAppRelay, type WatchedPage } from "./_browser.js"
import { type PreparedNode, prepareNode, staffComment } from "./_node.js"
import { submitTip, uploadFile, type Whistleblower } from "./_recipientWb.js"

// The staff inbox in Chromium: it loads a page of 50 lines and "Load more" fetches the rest; then
// comments, files, a new tip and a wipe arrive over the push channel and change the list in place,
// with no further GET /tips (counted on the page's own requests).

let browser: Browser
let t: TestRelay
let node: PreparedNode
let w: WatchedPage
let first: Whistleblower
const OLDER = 54

beforeAll(async () => {
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay()])
  node = await prepareNode(t)
  const [r] = node.recipients
  if (!r) throw new Error("no recipient")
  first = await submitTip(
    t,
    node.contextId,
    [{ userId: r.userId, name: "Recipient 1", recipient: r.recipient }],
    { what: "The first report" },
  )
  // Older tips held by the same recipient, copied in the store (the inbox only lists them).
  const store = t.relay.ctx.store
  const tip = await store.get<TipRecord>("tips", `t/${first.tipId}`)
  const wrap = await store.get<WrapRecord>("wraps", `${first.tipId}/${r.userId}`)
  if (!tip || !wrap) throw new Error("no tip")
  const batch = store.batch()
  for (let i = 1; i <= OLDER; i++) {
    const copy: TipRecord = { ...tip, id: `older-${i}`, createdAt: tip.createdAt - i * 60_000 }
    batch.put("tips", `t/${copy.id}`, copy)
    putWrapIn(batch, { ...wrap, tipId: copy.id }, copy.createdAt)
    countTipCreated(batch, copy)
  }
  await batch.write()
  w = await openPage(browser)
})
afterAll(async () => {
  await browser?.close()
  await t?.destroy()
})

describe("the staff inbox, paged and live", () => {
  it("loads 50 lines, then the rest with Load more, then applies pushes without refetching", async () => {
    const { page, problems } = w
    const [r] = node.recipients
    if (!r) throw new Error("no recipient")
    const listRequests: string[] = []
    page.on("request", (req) => {
      const url = new URL(req.url())
      if (req.method() === "GET" && url.pathname === "/api/v1/tips") listRequests.push(url.search)
    })
    const rows = page.locator("[data-tip-id]")
    const counts = (tipId: string) =>
      page.locator(`[data-tip-id="${tipId}"] [data-counts]`).textContent()

    await page.goto(`${t.baseUrl}/staff`)
    await page.getByLabel("Username").fill(r.username)
    await page.getByLabel("Password").fill(r.password)
    await page.getByRole("button", { name: "Log in" }).click()
    await page.waitForURL(/\/staff\/inbox$/, { timeout: 30_000 })
    await expect.poll(() => page.locator("[data-live]").getAttribute("data-live")).toBe("live")
    await expect.poll(() => rows.count()).toBe(50)
    expect(await rows.first().getAttribute("data-tip-id")).toBe(first.tipId)

    await page.getByRole("button", { name: "Load more tips" }).click()
    await expect.poll(() => rows.count()).toBe(OLDER + 1)
    await expect.poll(() => page.getByRole("button", { name: "Load more tips" }).count()).toBe(0)
    expect(await rows.last().getAttribute("data-tip-id")).toBe(`older-${OLDER}`)
    expect(listRequests).toHaveLength(2)
    expect(listRequests[1]).toContain("cursor=")

    // Pushes: a staff comment, a whistleblower's file, a new tip, a wipe.
    await staffComment(t, r, first.tipId, "We are looking into it")
    await expect.poll(() => counts(first.tipId)).toContain("1 comments · 0 files")
    await uploadFile(t, first, "ledger.pdf", 2000)
    await expect.poll(() => counts(first.tipId)).toContain("1 comments · 1 files")
    const second = await submitTip(
      t,
      node.contextId,
      [{ userId: r.userId, name: "Recipient 1", recipient: r.recipient }],
      { what: "A second report" },
    )
    await expect.poll(() => rows.first().getAttribute("data-tip-id")).toBe(second.tipId)
    await expect
      .poll(() => page.locator(`[data-tip-id="${second.tipId}"]`).textContent())
      .toContain("New")
    await wipeTip(t.relay.ctx, "older-3", node.admin.userId)
    await expect.poll(() => page.locator('[data-tip-id="older-3"]').count()).toBe(0)
    expect(await rows.count()).toBe(OLDER + 1)

    // Four changes arrived; the list was fetched only for its two pages.
    expect(listRequests).toHaveLength(2)
    await screenshot(page, "inbox-live-paged")
    expect(problems).toEqual([])
  })
})
