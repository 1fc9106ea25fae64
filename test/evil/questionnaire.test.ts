import {
  decryptAgeFile,
  generateAgeIdentity,
  readTipArchive,
  recipientOf,
} from "@sotto/crypto-core"
import { RelayClient } from "@sotto/protocol"
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { launchBrowser, openPage, screenshot, startAppRelay } from "../e2e/_browser.js"
import { openAsRecipient, type PreparedNode, prepareNode } from "../e2e/_node.js"
import { submitTip, type Whistleblower, wbRead } from "../e2e/_recipientWb.js"
import type { TestRelay } from "../relay/_harness.js"
import { type EvilRelay, startEvilRelay } from "./_evilRelay.js"

// Attack 7 (issue 10): answers used to be shown under the relay's current questionnaire, so a
// question could be relabelled after submission ("Did you see it yourself?" becomes "Did you
// invent it?"). The sealed answers now carry the questions exactly as the whistleblower saw them,
// bound by the tip binding; readers and exports show those.

const ORIGINAL = "Who was present at the meeting?"
const RELABELLED = "Which of your colleagues do you accuse of lying?"
const ANSWER = `The CFO and two auditors ${Date.now()}`

let browser: Browser
let t: TestRelay
let evil: EvilRelay
let node: PreparedNode
let who: Whistleblower

beforeAll(async () => {
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay()])
  evil = await startEvilRelay(t.baseUrl)
  node = await prepareNode(t, {
    recipients: 1,
    questionnaire: [{ id: "who", type: "textarea", label: ORIGINAL, required: true }],
  })
  const [r] = node.recipients
  if (!r) throw new Error("no recipient")
  who = await submitTip(
    t,
    node.contextId,
    [{ userId: r.userId, name: "R", recipient: r.recipient }],
    { who: ANSWER },
  )
  // After submission the relay relabels the question wherever it serves the questionnaire.
  evil.onResponse((req, res) => {
    if (req.method !== "GET" || res.status !== 200) return undefined
    if (!/^\/api\/v1\/contexts(\/|$)/.test(req.path)) return undefined
    const text = res.body.toString("utf8")
    return text.includes(ORIGINAL)
      ? { body: JSON.parse(text.replaceAll(ORIGINAL, RELABELLED)) as object }
      : undefined
  })
}, 120_000)
afterAll(async () => {
  await evil?.close()
  await browser?.close()
  await t?.destroy()
})

describe("attack 7: the relay relabels a question after submission", () => {
  it("the relay really serves the new label", async () => {
    const res = await fetch(`${evil.baseUrl}/api/v1/contexts/${node.contextId}`)
    expect(await res.text()).toContain(RELABELLED)
  })

  it("in Node, the recipient and the whistleblower read the label the whistleblower saw", async () => {
    const viaEvil = { ...t, client: new RelayClient(evil.baseUrl) }
    const [r] = node.recipients
    const view = await openAsRecipient(viaEvil, r ?? node.admin, who.tipId)
    expect(view.checked.answers.questions.map((q) => q.label)).toEqual([ORIGINAL])
    expect(view.answers).toEqual({ who: ANSWER })
    const mine = await wbRead(viaEvil, who)
    expect(mine.answers.questions.map((q) => q.label)).toEqual([ORIGINAL])
  })

  it("in Chromium, the recipient's tip view and export show the original question", async () => {
    const [r] = node.recipients
    if (!r) throw new Error("no recipient")
    const w = await openPage(browser)
    const page = w.page
    await page.goto(`${evil.baseUrl}/staff`)
    await page.getByLabel("Username").fill(r.username)
    await page.getByLabel("Password").fill(r.password)
    await page.getByRole("button", { name: "Log in" }).click()
    await page.waitForURL(/\/staff\/inbox$/, { timeout: 30_000 })
    await page.locator(`[data-tip-id="${who.tipId}"]`).click()
    const answers = page.getByTestId("answers")
    await expect.poll(() => answers.textContent(), { timeout: 30_000 }).toContain(ANSWER)
    expect(await answers.textContent()).toContain(ORIGINAL)
    expect(await answers.textContent()).not.toContain(RELABELLED)

    // The export's tip.json carries the question text beside the answer.
    const identity = await generateAgeIdentity()
    await page.getByLabel("Encrypt the export with").selectOption("age")
    await page.getByLabel("age recipient").fill(await recipientOf(identity))
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export tip" }).click(),
    ])
    const { readFile } = await import("node:fs/promises")
    const sealed = await readFile((await download.path()) ?? "")
    const { manifest } = readTipArchive(
      await decryptAgeFile(new Uint8Array(sealed), identity, undefined),
    )
    expect((manifest as { answers: unknown }).answers).toEqual([
      { id: "who", question: ORIGINAL, type: "textarea", answer: ANSWER },
    ])
    await screenshot(page, "evil7-recipient-original-label-1280")
    expect(w.problems).toEqual([])
    await w.context.close()
  })

  it("in Chromium, the whistleblower's page shows the original question", async () => {
    const w = await openPage(browser, { width: 360, height: 740 })
    const page = w.page
    await page.goto(`${evil.baseUrl}/return`)
    await page.getByLabel("Receipt", { exact: true }).fill(who.receipt)
    await page.getByRole("button", { name: "Log in" }).click()
    await page.waitForURL(/\/my-report$/, { timeout: 60_000 })
    const list = page.locator("dl.answers")
    await expect.poll(() => list.textContent(), { timeout: 30_000 }).toContain(ANSWER)
    expect(await list.textContent()).toContain(ORIGINAL)
    expect(await list.textContent()).not.toContain(RELABELLED)
    expect(w.problems).toEqual([])
    await w.context.close()
  })
})
