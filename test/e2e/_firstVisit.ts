import type { Browser, Request } from "playwright-core"

// A whistleblower's cold first visit on the wire (issue 14): a fresh browser context opens the
// landing page, follows the context's link and waits for a ready report form (the recipients'
// keys checked). Every response the page's Network domain (CDP) received by then is counted
// with its `encodedDataLength`: bytes on the wire, headers included. Worker scripts are fetched
// in the workers' own targets and do not show there; they are listed apart (`outsidePage`).
// Shared by the e2e budget test (firstVisit.test.ts) and `npm run bench -- bundle`.

/** One response received before the form was ready. */
export interface WireResponse {
  readonly path: string
  readonly status: number
  readonly type: string
  /** Bytes on the wire, response headers and (compressed) body. */
  readonly bytes: number
}

/** What {@link measureFirstVisit} found. */
export interface FirstVisit {
  readonly requests: number
  readonly bytes: number
  readonly responses: readonly WireResponse[]
  /**
   * Requests sent before the form was ready whose bytes the page's Network domain never reports:
   * dedicated worker scripts, which finish loading in the worker's own target.
   */
  readonly outsidePage: readonly string[]
  /** Requests the page made after the form was ready, within `settleMs` (deferred work). */
  readonly after: readonly string[]
}

/**
 * What the report form shows once the recipients' keys were checked, in any language: the form
 * is ready.
 */
const READY_SELECTOR = "[data-keys-checked]"

/** The budget for the way from the landing page to a ready form. */
export const FIRST_VISIT_BUDGET = { bytes: 60_000, requests: 12 } as const

/**
 * Measures one cold first visit against `baseUrl` (a fresh context: empty cache, no service
 * worker), following the link to `contextName`'s report form, from a browser whose languages
 * are `locale` (navigator.languages and Accept-Language): `ar` measures the Arabic catalogue.
 */
export async function measureFirstVisit(
  browser: Browser,
  baseUrl: string,
  contextName: string,
  settleMs = 1500,
  locale = "en-US",
): Promise<FirstVisit> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale })
  try {
    const page = await context.newPage()
    // The moment the form says its keys were checked, in wall-clock ms: a requests counts when
    // it was sent before then (work deferred to that moment starts right after).
    await page.addInitScript((selector) => {
      const w = window as unknown as { sottoReadyAt?: number }
      new MutationObserver((_, observer) => {
        if (w.sottoReadyAt === undefined && document.querySelector(selector)) {
          w.sottoReadyAt = Date.now()
          observer.disconnect()
        }
      }).observe(document, { childList: true, subtree: true, characterData: true })
    }, READY_SELECTOR)
    const cdp = await context.newCDPSession(page)
    await cdp.send("Network.enable")
    const seen = new Map<string, { path: string; status: number; type: string }>()
    const done = new Map<string, number>()
    const pageRequests = new Set<string>()
    const sentAt = new Map<string, number>()
    let ready = false
    const after: string[] = []
    const urlOf = new Map<string, string>()
    cdp.on("Network.requestWillBeSent", (e) => {
      pageRequests.add(e.request.url)
      urlOf.set(e.requestId, new URL(e.request.url).pathname)
      sentAt.set(e.requestId, e.wallTime * 1000)
    })
    // What the page's workers fetch is not in the page's Network domain: listed apart.
    const others: { request: Request; at: number }[] = []
    context.on("request", (request) => {
      if (!ready) others.push({ request, at: Date.now() })
    })
    cdp.on("Network.responseReceived", (e) => {
      seen.set(e.requestId, {
        path: new URL(e.response.url).pathname,
        status: e.response.status,
        type: e.type ?? "Other",
      })
    })
    cdp.on("Network.loadingFinished", (e) => {
      done.set(e.requestId, e.encodedDataLength)
    })
    await page.goto(baseUrl)
    // The link names the channel in every language ("Report to X", "أبلِغ إلى X").
    await page.getByRole("link", { name: contextName }).click()
    await page.locator(READY_SELECTOR).waitFor({ timeout: 60_000 })
    ready = true
    const readyAt = await page.evaluate(
      () => (window as unknown as { sottoReadyAt?: number }).sottoReadyAt ?? Date.now(),
    )
    // Responses under way at that moment finish; deferred work shows in `after`.
    await page.waitForTimeout(settleMs)
    const responses: WireResponse[] = []
    for (const [id, at] of sentAt) {
      const path = seen.get(id)?.path
      if (at > readyAt && path) after.push(path)
    }
    for (const [id, bytes] of done) {
      const r = seen.get(id)
      if ((sentAt.get(id) ?? 0) > readyAt) continue
      // Nothing on the wire: served from the memory or HTTP cache.
      if (!r || r.path.startsWith("data:") || bytes === 0) continue
      responses.push({ path: r.path, status: r.status, type: r.type, bytes })
    }
    return {
      requests: responses.length,
      bytes: responses.reduce((n, r) => n + r.bytes, 0),
      responses,
      outsidePage: [
        ...new Set([
          ...[...sentAt]
            .filter(([id, at]) => at <= readyAt && !done.has(id))
            .map(([id]) => seen.get(id)?.path ?? urlOf.get(id) ?? id),
          ...others
            .filter((o) => !pageRequests.has(o.request.url()) && o.at <= readyAt)
            .map((o) => new URL(o.request.url()).pathname),
        ]),
      ],
      after,
    }
  } finally {
    await context.close()
  }
}
