import { accounts } from "@sotto/protocol"
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  createUser,
  firstLogin,
  type NodeAdmin,
  type StaffActor,
  setupNode,
} from "../relay/_actors.js"
import type { TestRelay } from "../relay/_harness.js"
import { launchBrowser, openPage, startAppRelay, type WatchedPage } from "./_browser.js"
import { openAsRecipient, randomFile, removeRandomFiles, tipIdsOf } from "./_node.js"

// Issue 6 acceptance, questionnaire builder: an admin builds a channel with one field of every
// type in the console; a whistleblower submits it in another browser; the recipient opens the tip
// in a third and sees every answer (and Node, with the recipient's key, reads exactly them).

let browser: Browser
let t: TestRelay
let admin: NodeAdmin
let rosa: StaffActor
const pages: WatchedPage[] = []

beforeAll(async () => {
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay()])
  admin = await setupNode(t, { nodeName: "Builder node" })
  // Cheap proof of work, so the whistleblower's browser is quick.
  await t.client.call(accounts.updateSettings, {
    session: admin.session,
    body: { powDifficulty: 8 },
  })
  const made = await createUser(t, admin, "rosa", { name: "Rosa Recipient" })
  rosa = await firstLogin(t, "rosa", made.oneTimePassword)
})
afterAll(async () => {
  await browser?.close()
  await t?.destroy()
  await removeRandomFiles()
})

async function staffLogin(username: string, password: string): Promise<Page> {
  const w = await openPage(browser)
  pages.push(w)
  await w.page.goto(`${t.baseUrl}/staff`)
  await w.page.getByLabel("Username").fill(username)
  await w.page.getByLabel("Password").fill(password)
  await w.page.getByRole("button", { name: "Log in" }).click()
  await w.page.waitForURL(/\/staff\/inbox$/, { timeout: 15_000 })
  return w.page
}

/** Label and the builder's type name of each field, in order. */
const FIELDS: readonly [string, string][] = [
  ["Short text", "Your role"],
  ["Long text", "What happened"],
  ["Choice (one)", "Which site"],
  ["Choices (several)", "Who was involved"],
  ["Checkbox", "I saw it myself"],
  ["Date", "When"],
  ["Files", "Evidence"],
]

describe("questionnaire builder, end to end", () => {
  it("builds a channel with every field type, which a whistleblower fills and a recipient reads", async () => {
    const page = await staffLogin(admin.username, admin.password)
    await page.getByRole("link", { name: "Admin", exact: true }).click()
    await page
      .getByRole("navigation", { name: "Admin console" })
      .getByRole("link", { name: "Channels" })
      .click()
    await page.getByRole("link", { name: "New channel" }).click()
    const form = page.getByRole("form", { name: "Channel" })
    await form.getByRole("textbox", { name: "Name", exact: true }).fill("Every type")
    await form.locator('input[name="recipient"][value="rosa"]').check({ timeout: 15_000 })
    for (const [i, [type, label]] of FIELDS.entries()) {
      await page.getByLabel("New field type").selectOption({ label: type })
      await page.getByRole("button", { name: "Add field" }).click()
      const field = form.getByRole("listitem", { name: `Field ${i + 1}`, exact: true })
      await field.getByLabel("Question").fill(label)
      if (type.startsWith("Choice")) {
        const options = type === "Choice (one)" ? "North\nSouth" : "Finance\nLegal\nSales"
        await field.getByLabel(/Options/).fill(options)
        await field.getByLabel(/Options/).press("Tab")
      }
    }
    await form
      .getByRole("listitem", { name: "Field 2", exact: true })
      .getByLabel("Required")
      .check()
    await form.getByRole("button", { name: "Save channel" }).click()
    await page.getByText("The channel was saved").waitFor({ timeout: 15_000 })
    const contextId = (await form.getAttribute("data-context")) ?? ""

    // The whistleblower, in a browser of their own.
    const wb = await openPage(browser)
    pages.push(wb)
    const p = wb.page
    await p.goto(t.baseUrl)
    await p.getByRole("link", { name: "Report to Every type" }).click()
    await p.waitForURL(`${t.baseUrl}/report/${encodeURIComponent(contextId)}`)
    await p.getByText("Their keys were checked").waitFor({ timeout: 15_000 })
    const story = `the scales were rigged ${Date.now()}`
    await p.getByLabel("Your role").fill("clerk")
    await p.getByLabel("What happened").fill(story)
    await p.getByLabel("Which site").selectOption("South")
    await p.getByRole("checkbox", { name: "Finance" }).check()
    await p.getByRole("checkbox", { name: "Sales" }).check()
    await p.getByRole("checkbox", { name: "I saw it myself" }).check()
    await p.getByLabel("When").fill("2026-03-02")
    const file = await randomFile("scales.pdf", 20_000)
    await p.locator("#q-file-1").setInputFiles([file.path])
    await p.getByRole("button", { name: "Send report" }).click()
    await p.waitForURL(/\/receipt$/, { timeout: 60_000 })

    const [tipId] = await tipIdsOf(t, rosa)
    const view = await openAsRecipient(t, rosa, tipId ?? "")
    expect(view.answers).toEqual({
      "text-1": "clerk",
      "textarea-1": story,
      "select-1": "South",
      "multiselect-1": ["Finance", "Sales"],
      "checkbox-1": true,
      "date-1": "2026-03-02",
      "file-1": ["scales.pdf"],
    })

    // The recipient in a third browser sees every answer under its label.
    const r = await staffLogin("rosa", rosa.password)
    await r.locator(`[data-tip-id="${tipId}"]`).click({ timeout: 15_000 })
    const answers = r.getByTestId("answers")
    await answers.waitFor({ timeout: 30_000 })
    const text = (await answers.textContent()) ?? ""
    for (const expected of [
      "Your role",
      "clerk",
      story,
      "South",
      "Finance, Sales",
      "I saw it myself",
      "Yes",
      "2026-03-02",
    ]) {
      expect(text).toContain(expected)
    }
    await r.getByRole("button", { name: "Download scales.pdf" }).waitFor({ timeout: 30_000 })
    expect(pages.flatMap((w) => w.problems)).toEqual([])
  })
})
