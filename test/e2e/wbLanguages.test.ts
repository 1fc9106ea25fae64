import { AxeBuilder } from "@axe-core/playwright"
import { accounts } from "@sotto/protocol"
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { TestRelay } from "../relay/_harness.js"
import { launchBrowser, openPage, screenshot, startAppRelay } from "./_browser.js"
import { type PreparedNode, prepareNode } from "./_node.js"

// Issue 13: the whistleblower's pages in the browser's language. From a 360 px phone, a browser
// asking for Arabic gets every page right to left (dir=rtl, the layout mirrored: the header's
// name and the form's button sit at the right edge), one asking for Spanish gets Spanish, and
// switching language mid-report keeps what was typed. Each page has 0 axe violations at WCAG 2.2
// AA in ar and es; screenshots of every page in English and Arabic at 360 and 1280 px go to
// test/artifacts (gitignored). Selectors avoid English text, so they work in every language.

let browser: Browser
let t: TestRelay
let node: PreparedNode

beforeAll(async () => {
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay()])
  node = await prepareNode(t)
})
afterAll(async () => {
  await browser?.close()
  await t?.destroy()
})

const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

/** Every axe violation on the page at WCAG 2.2 AA, as `rule: target` lines. */
async function violations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(WCAG).analyze()
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")}`))
}

const html = (page: Page) =>
  page.evaluate(() => ({
    lang: document.documentElement.lang,
    dir: document.documentElement.dir,
  }))

/** Left and right edges of the first match (once visible) and the viewport's width. */
async function edges(page: Page, selector: string) {
  const match = page.locator(selector).first()
  await match.waitFor()
  const box = await match.boundingBox()
  const width = await page.evaluate(() => document.documentElement.clientWidth)
  return { left: box?.x ?? Number.NaN, right: (box?.x ?? Number.NaN) + (box?.width ?? 0), width }
}

/**
 * The whole whistleblower flow in the page's language: landing, report form, receipt, the
 * report page, receipt login and the code check; at each page `visit(name)` runs (screenshots,
 * axe). Returns the receipt.
 */
async function walk(page: Page, visit: (name: string) => Promise<void>): Promise<string> {
  await page.goto(t.baseUrl)
  await page.locator(`a[href="/report/${node.contextId}"]`).waitFor()
  await visit("landing")
  await page.locator(`a[href="/report/${node.contextId}"]`).click()
  await page.locator("[data-keys-checked]").waitFor({ timeout: 60_000 })
  await page.locator("#q-what").fill("Invoices were forged in March.")
  await visit("report")
  await page.locator("form button[type=submit]").click()
  await page.waitForURL(/\/receipt$/, { timeout: 90_000 })
  await page.locator('[data-receipt-state="confirmed"]').waitFor({ timeout: 60_000 })
  const receipt = (await page.locator(".receipt").textContent()) ?? ""
  await visit("receipt")
  await page.locator('a[href="/my-report"]').click()
  await page.locator("[data-status]").waitFor({ timeout: 60_000 })
  await visit("my-report")
  await page.goto(`${t.baseUrl}/return`)
  await page.locator("#receipt-input").waitFor()
  await visit("return")
  await page.goto(`${t.baseUrl}/verify-code`)
  await page.locator("#verify-title").waitFor()
  await visit("verify-code")
  return receipt
}

describe("the whistleblower's pages in the browser's language", () => {
  it("are English in a headless Chromium that asks for nothing else (screenshots)", async () => {
    const { page, context, problems } = await openPage(browser, { width: 360, height: 740 })
    try {
      const seen: string[] = []
      await walk(page, async (name) => {
        expect(await html(page)).toEqual({ lang: "en", dir: "ltr" })
        seen.push(name)
        await screenshot(page, `wb-lang-en-${name}-360`)
        await page.setViewportSize({ width: 1280, height: 900 })
        await screenshot(page, `wb-lang-en-${name}-1280`)
        await page.setViewportSize({ width: 360, height: 740 })
      })
      expect(seen).toEqual(["landing", "report", "receipt", "my-report", "return", "verify-code"])
      // English by default: the existing tests' selectors by English text keep working.
      await page.goto(t.baseUrl)
      await page.getByRole("link", { name: `Report to ${node.contextName}` }).waitFor()
      expect(problems).toEqual([])
    } finally {
      await context.close()
    }
  }, 240_000)

  it("are right to left and mirrored in Arabic from a 360 px phone, 0 axe violations", async () => {
    const { page, context, problems } = await openPage(browser, {
      width: 360,
      height: 740,
      locale: "ar",
    })
    try {
      const found: Record<string, string[]> = {}
      await walk(page, async (name) => {
        expect(await html(page)).toEqual({ lang: "ar", dir: "rtl" })
        found[name] = await violations(page)
        await screenshot(page, `wb-lang-ar-${name}-360`)
        await page.setViewportSize({ width: 1280, height: 900 })
        await screenshot(page, `wb-lang-ar-${name}-1280`)
        await page.setViewportSize({ width: 360, height: 740 })
      })
      expect(found).toEqual({
        landing: [],
        report: [],
        receipt: [],
        "my-report": [],
        return: [],
        "verify-code": [],
      })
      // The page is in Arabic: its heading, and no English sentence of the flow.
      expect(await page.locator("h1").textContent()).toBe("تحقّق من الشيفرة التي تشغّلها")
      // Mirrored: the node's name starts at the right edge, the form's button too.
      await page.goto(t.baseUrl)
      await page.locator(`a[href="/report/${node.contextId}"]`).waitFor()
      const brand = await edges(page, ".brand")
      expect(brand.width - brand.right).toBeLessThan(20)
      expect(brand.left).toBeGreaterThan(40)
      await page.locator(`a[href="/report/${node.contextId}"]`).click()
      await page.locator("[data-keys-checked]").waitFor({ timeout: 60_000 })
      const send = await edges(page, "form button[type=submit]")
      expect(send.width - send.right).toBeLessThan(20)
      expect(send.left).toBeGreaterThan(100)
      expect(await page.locator("h1").textContent()).toBe(`أبلِغ إلى ${node.contextName}`)
      expect(problems).toEqual([])
    } finally {
      await context.close()
    }
  }, 300_000)

  it("offer only the node's languages, its default for a browser asking for none of them", async () => {
    await t.client.call(accounts.updateSettings, {
      session: node.admin.session,
      body: { languages: { enabled: ["en", "fr"], default: "fr" } },
    })
    const { page, context, problems } = await openPage(browser, { width: 360, locale: "de-DE" })
    try {
      await page.goto(t.baseUrl)
      await page.getByRole("heading", { name: "Choisissez où signaler" }).waitFor()
      expect(await html(page)).toEqual({ lang: "fr", dir: "ltr" })
      expect(await page.locator("#language-select option").allTextContents()).toEqual([
        "English",
        "Français",
      ])
      expect(problems).toEqual([])
    } finally {
      await context.close()
      await t.client.call(accounts.updateSettings, {
        session: node.admin.session,
        body: {
          languages: { enabled: ["en", "es", "fr", "pt", "ar", "ru", "tr", "fa"], default: "en" },
        },
      })
    }
  })

  it("are Spanish for a Spanish browser, and switching language mid-report keeps the answers", async () => {
    const { page, context, problems } = await openPage(browser, {
      width: 360,
      height: 740,
      locale: "es-ES",
    })
    try {
      await page.goto(t.baseUrl)
      await page.getByRole("link", { name: `Denunciar a ${node.contextName}` }).click()
      await page.locator("[data-keys-checked]").waitFor({ timeout: 60_000 })
      expect(await html(page)).toEqual({ lang: "es", dir: "ltr" })
      const story = "El director firmó facturas falsas."
      await page.locator("#q-what").fill(story)
      // Switch to English, then Arabic, then back: no reload, nothing typed is lost.
      const menu = page.locator("#language-select")
      await menu.selectOption("en")
      await page.getByRole("heading", { name: `Report to ${node.contextName}` }).waitFor()
      expect(await html(page)).toEqual({ lang: "en", dir: "ltr" })
      await menu.selectOption("ar")
      await page.getByRole("heading", { name: `أبلِغ إلى ${node.contextName}` }).waitFor()
      expect(await html(page)).toEqual({ lang: "ar", dir: "rtl" })
      expect(await page.locator("#q-what").inputValue()).toBe(story)
      await menu.selectOption("es")
      await page.getByRole("heading", { name: `Denunciar a ${node.contextName}` }).waitFor()
      expect(await page.locator("#q-what").inputValue()).toBe(story)
      expect(await page.getByRole("button", { name: "Enviar denuncia" }).count()).toBe(1)

      // The rest of the flow in Spanish, with axe on every page.
      const found: Record<string, string[]> = { report: await violations(page) }
      await page.locator("form button[type=submit]").click()
      await page.waitForURL(/\/receipt$/, { timeout: 90_000 })
      await page.getByRole("heading", { name: "Su denuncia se ha enviado" }).waitFor()
      await page.locator('[data-receipt-state="confirmed"]').waitFor({ timeout: 60_000 })
      found.receipt = await violations(page)
      await page.getByRole("link", { name: "Ir a mi denuncia" }).click()
      await page.locator("[data-status]").waitFor({ timeout: 60_000 })
      expect(await page.locator("[data-status]").textContent()).toBe(
        "Su denuncia ha llegado y está pendiente de lectura.",
      )
      found["my-report"] = await violations(page)
      await page.goto(t.baseUrl)
      await page.getByRole("heading", { name: "Elija dónde denunciar" }).waitFor()
      found.landing = await violations(page)
      await page.getByRole("link", { name: "Acceder con su recibo" }).click()
      await page.getByRole("textbox", { name: "Recibo" }).waitFor()
      found.return = await violations(page)
      expect(found).toEqual({ report: [], receipt: [], "my-report": [], landing: [], return: [] })

      // The choice is remembered: chosen English stays English after a reload.
      await menu.selectOption("en")
      await page.reload()
      await page.getByRole("heading", { name: "Log in with your receipt" }).waitFor()
      expect(await html(page)).toEqual({ lang: "en", dir: "ltr" })
      expect(problems).toEqual([])
    } finally {
      await context.close()
    }
  }, 300_000)
})
