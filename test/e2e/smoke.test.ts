import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { TestRelay } from "../relay/_harness.js"
import { launchBrowser, openPage, startAppRelay } from "./_browser.js"

let browser: Browser
let t: TestRelay

beforeAll(async () => {
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay()])
})
afterAll(async () => {
  await browser?.close()
  await t?.destroy()
})

describe("the built app served by the relay", () => {
  it("sends a fresh node's visitor to the setup wizard without any page error", async () => {
    const { page, problems } = await openPage(browser)
    await page.goto(t.baseUrl)
    await page.waitForURL(/\/setup$/)
    expect(await page.title()).toBe("Sotto")
    expect(problems).toEqual([])
  })
})
