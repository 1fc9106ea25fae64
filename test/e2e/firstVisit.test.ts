import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { TestRelay } from "../relay/_harness.js"
import { launchBrowser, startAppRelay } from "./_browser.js"
import { FIRST_VISIT_BUDGET, measureFirstVisit } from "./_firstVisit.js"
import { prepareNode } from "./_node.js"

// Issue 14's lean first visit, on the wire: from the landing page to a ready report form a fresh
// browser receives at most 12 responses and 60 KB, headers included (CDP encodedDataLength), and
// what the form does not need (service worker, manifest and icons, receipt and outbox code, the
// warmed workers) is fetched only after it is ready. `npm run bench -- bundle` records the figures.

let browser: Browser
let t: TestRelay

beforeAll(async () => {
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay()])
})
afterAll(async () => {
  await browser?.close()
  await t?.destroy()
})

describe("a whistleblower's cold first visit", () => {
  it("reaches a ready report form within 12 requests and 60 KB, the rest after it", async () => {
    const node = await prepareNode(t)
    // localhost: a secure context, as over HTTPS, so the service worker registers.
    const visit = await measureFirstVisit(
      browser,
      t.baseUrl.replace("127.0.0.1", "localhost"),
      node.contextName,
    )
    const paths = visit.responses.map((r) => r.path)
    expect(visit.requests, paths.join(" ")).toBeLessThanOrEqual(FIRST_VISIT_BUDGET.requests)
    expect(visit.bytes).toBeLessThanOrEqual(FIRST_VISIT_BUDGET.bytes)
    expect(
      paths.filter((p) => /icons\/|serviceWorker-|Receipt-|outbox|Outbox|sw\.js/.test(p)),
    ).toEqual([])
    // Deferred, not dropped: each starts once the form is ready.
    for (const deferred of [/serviceWorker-/, /Receipt-/, /outboxSend-/, /icons\/icon-192/])
      expect(
        visit.after.some((p) => deferred.test(p)),
        String(deferred),
      ).toBe(true)
  })
})
