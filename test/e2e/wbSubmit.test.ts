import { readFile } from "node:fs/promises"

import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { TestRelay } from "../relay/_harness.js"
import { launchBrowser, openPage, screenshot, startAppRelay, type WatchedPage } from "./_browser.js"
import {
  downloadSha256,
  openAsRecipient,
  type PreparedNode,
  prepareNode,
  type Questionnaire,
  randomFile,
  removeRandomFiles,
  staffComment,
  tipIdsOf,
} from "./_node.js"

// The whistleblower's whole story in Chromium against a real relay: pick a channel, answer every
// kind of question (after a validation error), attach a 20 MiB file and a harmful-looking one,
// send, get the receipt; a recipient (in Node, with real crypto) reads exactly what was typed and
// the very bytes of the files; the whistleblower comes back with the receipt typed with dashes,
// reads the recipient's reply (also one pushed live), answers, and the recipient reads it.

const MiB = 1024 * 1024
const QUESTIONS: Questionnaire = [
  {
    id: "what",
    type: "textarea",
    label: "What happened?",
    required: true,
    help: "Dates, places, people.",
  },
  { id: "where", type: "select", label: "Where?", required: true, options: ["HQ", "Branch"] },
  { id: "when", type: "date", label: "When?", required: false },
  {
    id: "departments",
    type: "multiselect",
    label: "Which departments?",
    required: false,
    options: ["Finance", "Audit", "Sales"],
  },
  { id: "witnessed", type: "checkbox", label: "I saw it myself", required: false },
  { id: "name", type: "text", label: "Your name", required: false },
  { id: "evidence", type: "file", label: "Documents", required: false },
]

let browser: Browser
let t: TestRelay
let node: PreparedNode
let wbPage: WatchedPage
let receipt = ""
let tipId = ""

beforeAll(async () => {
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay()])
  node = await prepareNode(t, {
    oprf: true,
    recipients: 2,
    questionnaire: QUESTIONS,
    maxFiles: 3,
    maxFileBytes: 32 * MiB,
  })
  wbPage = await openPage(browser, { width: 360, height: 740 })
})
afterAll(async () => {
  await removeRandomFiles()
  await browser?.close()
  await t?.destroy()
})

describe("whistleblower: submit, receipt, return", () => {
  const story = "The Lisbon ledger was rewritten on 14 February.\nAsk the auditor."
  let big: Awaited<ReturnType<typeof randomFile>>
  let exe: Awaited<ReturnType<typeof randomFile>>
  let extra: Awaited<ReturnType<typeof randomFile>>

  it("fills every field type, sees a validation error first, attaches files with SHA-256s and sends", async () => {
    const { page } = wbPage
    let spare: Awaited<ReturnType<typeof randomFile>>
    ;[big, exe, extra, spare] = await Promise.all([
      randomFile("ledger-2025.bin", 20 * MiB),
      randomFile("macro tool.exe", 3000),
      randomFile("notes.txt", 100),
      randomFile("spare.txt", 10),
    ])
    await page.goto(t.baseUrl)
    await page.getByRole("link", { name: `Report to ${node.contextName}` }).click()
    await page.waitForURL(/\/report\//)
    await expect.poll(() => page.getByText("Their keys were checked").count()).toBe(1)
    await screenshot(page, "wb-report-360")
    await page.setViewportSize({ width: 1280, height: 900 })
    await screenshot(page, "wb-report-1280")

    await page.getByRole("button", { name: "Send report" }).click()
    await expect.poll(() => page.getByText("Please answer this question.").count()).toBe(2)
    expect(await page.getByRole("alert").first().textContent()).toContain("need your attention")
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("q-what")

    await page.getByLabel("What happened?").fill(story)
    await page.getByLabel("Where?").selectOption("Branch")
    await page.getByLabel("When?").fill("2026-02-14")
    await page.getByRole("checkbox", { name: "Finance" }).check()
    await page.getByRole("checkbox", { name: "Audit" }).check()
    await page.getByRole("checkbox", { name: "I saw it myself" }).check()
    await page.getByLabel("Your name").fill("A. Nonymous")
    // Four files where the channel takes three: a clear message until some are removed.
    await page.locator("#q-evidence").setInputFiles([big.path, exe.path, extra.path, spare.path])
    await expect.poll(() => page.getByText("accepts at most 3 files").count()).toBe(1)
    await page.getByRole("button", { name: "Send report" }).click()
    expect(page.url()).toContain("/report/")
    await page.getByRole("button", { name: "Remove notes.txt" }).click()
    await page.getByRole("button", { name: "Remove spare.txt" }).click()
    await expect.poll(() => page.getByText("accepts at most 3 files").count()).toBe(0)
    await expect
      .poll(() => page.locator(".sha256").allTextContents(), { timeout: 20_000 })
      .toEqual([big.sha256, exe.sha256])
    expect(await page.locator(".harmful").count()).toBe(1)
    expect(await page.locator(".harmful").textContent()).toContain("can harm the recipients")

    await page.getByRole("button", { name: "Send report" }).click()
    await page.waitForURL(/\/receipt$/, { timeout: 60_000 })
    receipt = (await page.locator(".receipt").textContent()) ?? ""
    expect(receipt).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/)
    expect(await page.getByText("cannot be recovered").count()).toBe(1)
    await screenshot(page, "wb-receipt-1280")
    await page.setViewportSize({ width: 360, height: 740 })
    await screenshot(page, "wb-receipt-360")
  })

  it("gives a recipient exactly the answers and the files' bytes", async () => {
    const [recipient] = node.recipients
    if (!recipient) throw new Error("no recipient")
    const ids = await tipIdsOf(t, recipient)
    expect(ids).toHaveLength(1)
    tipId = ids[0] ?? ""
    const view = await openAsRecipient(t, recipient, tipId)
    expect(view.answers).toEqual({
      what: story,
      where: "Branch",
      when: "2026-02-14",
      departments: ["Finance", "Audit"],
      witnessed: true,
      name: "A. Nonymous",
      evidence: ["ledger-2025.bin", "macro tool.exe"],
    })
    const byName = new Map(view.files.map((f) => [(f.meta as { name: string }).name, f]))
    for (const file of [big, exe]) {
      const name = file.path.split("/").at(-1) ?? ""
      const stored = byName.get(name)
      expect(stored?.meta).toMatchObject({ name, size: file.size, sha256: file.sha256 })
      const opened = await downloadSha256(t, recipient, stored?.id ?? "", view.tipKey)
      expect(opened).toEqual({ sha256: file.sha256, size: file.size })
    }
    // The second recipient of the directory holds a wrap too.
    const other = node.recipients[1]
    if (!other) throw new Error("no second recipient")
    expect((await openAsRecipient(t, other, tipId)).answers).toMatchObject({ where: "Branch" })
  })

  it("downloads a proof of submission without the receipt", async () => {
    const { page } = wbPage
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download proof of submission" }).click(),
    ])
    const proof = JSON.parse(await readFile((await download.path()) ?? "", "utf8"))
    expect(proof).toMatchObject({ tipId, context: { id: node.contextId } })
    expect(proof.files.map((f: { sha256: string }) => f.sha256)).toEqual([big.sha256, exe.sha256])
    expect(JSON.stringify(proof)).not.toContain(receipt.replaceAll(" ", ""))
    expect(JSON.stringify(proof)).not.toContain(receipt)

    // On to the report with the session from submitting; the receipt is no longer in the page.
    await page.getByRole("link", { name: "Continue to my report" }).click()
    await page.waitForURL(/\/my-report$/)
    await expect.poll(() => page.locator('[data-answer="what"]').textContent()).toBe(story)
    expect(await page.locator("main").textContent()).not.toContain(receipt)
    await screenshot(page, "wb-my-report-360")
  })

  it("comes back with the receipt typed with dashes, reads the reply and answers", async () => {
    const { page, problems } = wbPage
    const [recipient] = node.recipients
    if (!recipient) throw new Error("no recipient")
    const { tipKey } = await openAsRecipient(t, recipient, tipId)
    const reply = "Thank you. Which auditor?"
    await staffComment(t, recipient, tipId, reply)

    await page.goto(`${t.baseUrl}/return`)
    const input = page.getByLabel("Receipt", { exact: true })
    const login = page.getByRole("button", { name: "Log in" })
    await input.fill("1234 5678")
    await login.click()
    await expect
      .poll(() => page.getByRole("alert").textContent())
      .toContain("not a receipt of this node")
    const last = receipt.at(-1) === "0" ? "1" : "0"
    await input.fill(`${receipt.slice(0, -1)}${last}`)
    await login.click()
    await expect
      .poll(() => page.getByRole("alert").textContent(), { timeout: 20_000 })
      .toContain("No report matches this receipt")

    await page.getByLabel("Receipt", { exact: true }).fill(`${receipt.replaceAll(" ", "-")}`)
    await page.getByRole("button", { name: "Log in" }).click()
    await page.waitForURL(/\/my-report$/, { timeout: 30_000 })
    await expect.poll(() => page.locator(".comment-text").allTextContents()).toEqual([reply])
    expect(await page.locator(".comment strong").first().textContent()).toBe("Recipient")
    expect(await page.locator('[data-answer="where"]').textContent()).toBe("Branch")
    expect(await page.locator("[data-status]").getAttribute("data-status")).toBe("new")
    expect(await page.locator("[data-status]").textContent()).toContain("waiting to be read")
    expect(await page.locator(".file-item").count()).toBe(2)

    const answer = "The auditor is on the second floor."
    await page.getByLabel("Write to the recipients").fill(answer)
    await page.getByRole("button", { name: "Send message" }).click()
    await expect
      .poll(() => page.getByText("Your message was sent.").count(), { timeout: 20_000 })
      .toBe(1)
    await expect
      .poll(async () => (await openAsRecipient(t, recipient, tipId)).comments)
      .toEqual([
        { author: recipient.userId, body: { text: reply } },
        { author: "wb", body: { text: answer } },
      ])

    // One more file, from the report page: same encryption and upload.
    await page.getByLabel("Add files").setInputFiles(extra.path)
    await expect
      .poll(() => page.locator("#main form .sha256").allTextContents())
      .toContain(extra.sha256)
    await page.getByRole("button", { name: "Send files" }).click()
    // Sealed and hashed in a fresh pool of file workers, then uploaded: seconds on a busy machine.
    await expect
      .poll(() => page.getByText("notes.txt was sent.").count(), { timeout: 20_000 })
      .toBe(1)
    await expect.poll(() => page.locator(".file-item").count()).toBe(3)
    const added = (await openAsRecipient(t, recipient, tipId)).files.find(
      (f) => (f.meta as { name: string }).name === "notes.txt",
    )
    expect(added?.meta).toMatchObject({ sha256: extra.sha256, size: extra.size })
    expect(await downloadSha256(t, recipient, added?.id ?? "", tipKey)).toEqual({
      sha256: extra.sha256,
      size: extra.size,
    })

    // A reply while the page is open arrives over the push channel, without a reload.
    await expect.poll(() => page.locator("[data-live]").getAttribute("data-live")).toBe("live")
    const pushed = "Got it, thanks."
    await staffComment(t, recipient, tipId, pushed)
    await expect
      .poll(() => page.locator(".comment-text").allTextContents(), { timeout: 10_000 })
      .toEqual([reply, answer, pushed])
    expect(problems).toEqual([])
  })
})
