import { execFile } from "node:child_process"
import { cp, mkdtemp, readdir, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { TestRelay } from "../relay/_harness.js"
import { launchBrowser, openPage, PWA_DIST, screenshot, startAppRelay } from "./_browser.js"

// A new version is never swapped in silently: the relay serves the build under test, a second
// build (another VITE_BUILD) is copied over its static folder as a deployment would, the running
// app checks for an update and shows "A new version is ready — Reload"; the old version keeps
// running until Reload, which brings up the new build id in the footer.

const ROOT = new URL("../../", import.meta.url).pathname
const NEXT_BUILD = `next-${Date.now().toString(36)}`
const WAIT = { timeout: 30_000 }

let browser: Browser
let t: TestRelay
let served = ""
let next = ""

/** Replaces the served folder's contents with `from`'s, as a deployment would. */
async function deploy(from: string): Promise<void> {
  for (const name of await readdir(served)) await rm(join(served, name), { recursive: true })
  await cp(from, served, { recursive: true })
}

beforeAll(async () => {
  ;[served, next] = await Promise.all([
    mkdtemp(join(tmpdir(), "sotto-served-")),
    mkdtemp(join(tmpdir(), "sotto-next-")),
  ])
  await cp(PWA_DIST, served, { recursive: true })
  const build = promisify(execFile)(
    process.execPath,
    [join(ROOT, "node_modules/vite/bin/vite.js"), "build", "--outDir", next, "--emptyOutDir"],
    { cwd: join(ROOT, "pwa"), env: { ...process.env, VITE_BUILD: NEXT_BUILD } },
  )
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay({ STATIC_DIR: served }), build])
})
afterAll(async () => {
  await browser?.close()
  await t?.destroy()
  await Promise.all([served, next].map((d) => d && rm(d, { recursive: true, force: true })))
})

describe("a new version of the app", () => {
  it("is offered with a Reload banner and runs only after Reload", async () => {
    const { page, problems } = await openPage(browser, { width: 360, height: 740 })
    await page.goto(t.baseUrl)
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), WAIT)
      .toBe(true)
    const footer = page.locator("footer")
    const before = (await footer.textContent()) ?? ""
    expect(before).toMatch(/build \S+/)
    expect(before).not.toContain(NEXT_BUILD)
    expect(await page.getByText("A new version is ready").count()).toBe(0)

    await deploy(next)
    await page.evaluate(async () => {
      await (await navigator.serviceWorker.getRegistration())?.update()
    })
    const banner = page.getByRole("status").filter({ hasText: "A new version is ready" })
    await expect.poll(() => banner.count(), WAIT).toBe(1)
    // Nothing swapped yet: the running page is still the old build.
    expect(await footer.textContent()).toBe(before)
    await screenshot(page, "pwa-update-banner-360")

    await banner.getByRole("button", { name: "Reload" }).click()
    await expect.poll(() => footer.textContent(), WAIT).toContain(`build ${NEXT_BUILD}`)
    expect(await page.getByText("A new version is ready").count()).toBe(0)
    expect(problems).toEqual([])
  })
})
