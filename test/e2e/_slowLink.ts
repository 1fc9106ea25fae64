import type { Browser, Page } from "playwright-core"
import { openPage, screenshot } from "./_browser.js"
import type { Questionnaire } from "./_node.js"

// The slow-link figure of issue 7, shared by test/e2e/slowLink.test.ts (a generous sanity bound)
// and bench (`npm run bench -- slow-link`, via _slowLinkMain.ts): Chromium's network emulation
// at 400 ms latency, 250 kbit/s down and 100 kbit/s up; the time from navigation to a submit form
// that is ready (recipients' keys checked, Send enabled) on a cold cache and on a second visit
// (service worker and HTTP cache warm), and a submission with a file.

/** The emulated link (CDP throughputs are bytes per second). */
export const SLOW_LINK = { latencyMs: 400, downKbit: 250, upKbit: 100 } as const

/** The questionnaire the slow-link run answers: one text, one file question. */
export const SLOW_LINK_QUESTIONS: Questionnaire = [
  { id: "what", type: "textarea", label: "What happened?", required: true },
  { id: "evidence", type: "file", label: "Documents", required: false },
]

/** Milliseconds of each phase; `submitMs` only when a file was sent. */
export interface SlowLinkTimes {
  readonly coldMs: number
  readonly warmMs: number
  readonly submitMs?: number
  readonly fileBytes?: number
  /** Why the submission did not reach the receipt in time, when it did not. */
  readonly submitError?: string
}

/** Waits until the report form can be sent: keys checked and an enabled Send button. */
async function formReady(page: Page, timeout: number): Promise<void> {
  await page.waitForFunction(
    () =>
      document.body.textContent?.includes("Their keys were checked") === true &&
      [...document.querySelectorAll("button")].some(
        (b) => b.textContent?.trim() === "Send report" && !b.disabled,
      ),
    undefined,
    { timeout, polling: 50 },
  )
}

/** Navigates to `url` and times the way to a ready form. */
async function timeToForm(page: Page, url: string, timeout: number): Promise<number> {
  const started = performance.now()
  await page.goto(url, { waitUntil: "commit", timeout })
  await formReady(page, timeout)
  return Math.round(performance.now() - started)
}

/**
 * Measures the slow link in a fresh browser context on `baseUrl` (use http://localhost:<port>,
 * a secure context, so the service worker registers). With `file`, also fills the form, attaches
 * it and times Send → receipt shown (a submission that does not finish is reported in
 * `submitError`, with a screenshot in test/artifacts).
 * @throws when loading the form exceeds `timeoutMs` (default 120 s).
 */
export async function measureSlowLink(
  browser: Browser,
  baseUrl: string,
  contextId: string,
  options: {
    file?: { path: string; size: number }
    timeoutMs?: number
    /** How long Send → receipt may take (default `timeoutMs`). */
    submitTimeoutMs?: number
    /** false: no CDP emulation (the link is slowed elsewhere, e.g. _throttleProxy.ts). */
    emulate?: boolean
  } = {},
): Promise<SlowLinkTimes> {
  const timeout = options.timeoutMs ?? 120_000
  const { page, context } = await openPage(browser, { width: 360, height: 740 })
  try {
    if (options.emulate !== false) {
      const cdp = await context.newCDPSession(page)
      await cdp.send("Network.enable")
      await cdp.send("Network.emulateNetworkConditions", {
        offline: false,
        latency: SLOW_LINK.latencyMs,
        downloadThroughput: (SLOW_LINK.downKbit * 1000) / 8,
        uploadThroughput: (SLOW_LINK.upKbit * 1000) / 8,
      })
    }
    const url = `${baseUrl}/report/${encodeURIComponent(contextId)}`
    const coldMs = await timeToForm(page, url, timeout)
    // The second visit comes once the service worker has precached the shell.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready
    })
    await page.goto("about:blank")
    const warmMs = await timeToForm(page, url, timeout)
    if (!options.file) return { coldMs, warmMs }
    await page.getByLabel("What happened?").fill("Measured on a slow link.")
    await page.locator("#q-evidence").setInputFiles(options.file.path)
    await page.locator(".sha256").first().waitFor({ timeout })
    const started = performance.now()
    await page.getByRole("button", { name: "Send report" }).click()
    try {
      await page.waitForURL(/\/receipt$/, { timeout: options.submitTimeoutMs ?? timeout })
    } catch (e) {
      // Leave evidence of where it stopped, and say so in the figures instead of failing them.
      await screenshot(page, "slow-link-submit-failed")
      const failedAfterMs = Math.round(performance.now() - started)
      const shown = ((await page.locator("main").textContent()) ?? "")
        .replace(/\s+/g, " ")
        .slice(-300)
      return {
        coldMs,
        warmMs,
        fileBytes: options.file.size,
        submitError: `${String(e).split("\n")[0]} (after ${failedAfterMs} ms; page: ${shown})`,
      }
    }
    const submitMs = Math.round(performance.now() - started)
    return { coldMs, warmMs, submitMs, fileBytes: options.file.size }
  } finally {
    await context.close()
  }
}
