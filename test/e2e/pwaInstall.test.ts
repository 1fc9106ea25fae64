import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type BrowserContext, chromium } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { TestRelay } from "../relay/_harness.js"
import { screenshot, startAppRelay } from "./_browser.js"
import { prepareNode } from "./_node.js"

// The installable PWA in Chromium against the real relay: the manifest and service worker pass
// Chromium's installability check, a reload with the network off shows the app from the
// precached shell (and API calls fail visibly, never answered from a cache), and nothing the
// service worker cached is an API response or a staff-only chunk.

/** Generous: the machine is shared. */
const WAIT = { timeout: 20_000 }
let profile = ""
let context: BrowserContext
let t: TestRelay
/** localhost, not 127.0.0.1: the name Chromium's installability check is happiest with. */
let base = ""

beforeAll(async () => {
  profile = await mkdtemp(join(tmpdir(), "sotto-profile-"))
  // A real profile: Chromium never offers to install from an incognito-like context, which is
  // what browser.newContext() gives.
  ;[context, t] = await Promise.all([
    chromium.launchPersistentContext(profile, {
      executablePath: "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
      headless: true,
      viewport: { width: 360, height: 740 },
    }),
    startAppRelay(),
  ])
  base = t.baseUrl.replace("127.0.0.1", "localhost")
})
afterAll(async () => {
  await context?.close()
  await t?.destroy()
  await rm(profile, { recursive: true, force: true })
})

describe("the installable PWA", () => {
  it("is installable, opens offline and never caches API responses", async () => {
    const node = await prepareNode(t, { nodeName: "Offline Node" })
    const page = context.pages()[0] ?? (await context.newPage())
    const problems: string[] = []
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`))
    page.on("console", (m) => {
      // While offline, Chromium logs each failed request.
      if (m.type() === "error" && !/ERR_INTERNET_DISCONNECTED/.test(m.text()))
        problems.push(`console: ${m.text()}`)
    })
    await page.goto(base)
    await expect
      .poll(() => page.getByRole("heading", { name: /Offline Node/ }).count(), WAIT)
      .toBe(1)
    // Registered once a page is ready (the landing page waits a few seconds, lib/appReady.ts);
    // controlling once activated (it claims the open page).
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready
    })
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), {
        timeout: 20_000,
      })
      .toBe(true)
    await page.reload()
    await expect
      .poll(() => page.getByRole("heading", { name: /Offline Node/ }).count(), WAIT)
      .toBe(1)

    const cdp = await context.newCDPSession(page)
    // Linked once the page is ready, like the service worker.
    await expect
      .poll(async () => (await cdp.send("Page.getAppManifest")).url, WAIT)
      .toBe(`${base}/manifest.webmanifest`)
    const { errors } = await cdp.send("Page.getAppManifest")
    const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors")
    expect(installabilityErrors).toEqual([])
    expect(errors).toEqual([])

    // Use the API a little, then look at everything the service worker cached.
    await page.getByRole("link", { name: `Report to ${node.contextName}` }).click()
    await expect.poll(() => page.getByText("Their keys were checked").count(), WAIT).toBe(1)
    const cached = await page.evaluate(async () => {
      const urls: string[] = []
      for (const name of await caches.keys())
        for (const request of await (await caches.open(name)).keys()) urls.push(request.url)
      return urls
    })
    const paths = cached.map((u) => new URL(u).pathname)
    expect(paths).toEqual(expect.arrayContaining(["/index.html", "/manifest.webmanifest"]))
    expect(paths.filter((p) => p.startsWith("/assets/Report-"))).toHaveLength(1)
    expect(paths.filter((p) => p.startsWith("/api/"))).toEqual([])
    expect(paths.filter((p) => /\/(Setup|Inbox|Login)-/.test(p))).toEqual([])

    await context.setOffline(true)
    await page.goto(`${base}/`)
    // The shell comes from the precache: the app's own page, not Chromium's offline error.
    await expect
      .poll(() => page.getByRole("heading", { name: "Already reported?" }).count(), WAIT)
      .toBe(1)
    await expect.poll(() => page.getByText("The node could not be reached").count(), WAIT).toBe(1)
    expect(await page.locator("footer").textContent()).toMatch(/build \S+/)
    const api = await page.evaluate(() =>
      fetch("/api/v1/health").then(
        (r) => `answered ${r.status}`,
        (e: unknown) => `failed: ${String(e)}`,
      ),
    )
    expect(api).toMatch(/^failed/)
    await screenshot(page, "pwa-offline-360")
    await context.setOffline(false)
    expect(problems).toEqual([])
  })
})
