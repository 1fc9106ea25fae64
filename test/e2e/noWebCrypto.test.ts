import { createHash } from "node:crypto"
import { networkInterfaces } from "node:os"
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { TestRelay } from "../relay/_harness.js"
import { launchBrowser, openPage, screenshot, startAppRelay, type WatchedPage } from "./_browser.js"
import {
  downloadSha256,
  openAsRecipient,
  type PreparedNode,
  prepareNode,
  randomFile,
  removeRandomFiles,
  tipIdsOf,
} from "./_node.js"

// Every flow without WebCrypto, for real: the relay listens on all interfaces and Chromium opens
// it over plain http at this machine's non-loopback address, which is not a secure context, so
// `crypto.subtle` is undefined in the page and in its workers (as on .onion pages on iOS). A
// whistleblower submits with a file; a recipient logs in in the browser, reads the answers and
// downloads the file, whose bytes have the original's SHA-256.

const MiB = 1024 * 1024
let browser: Browser
let t: TestRelay
let node: PreparedNode
let w: WatchedPage
let origin = ""

/** This machine's first non-internal IPv4 address. */
function lanAddress(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const entry of list ?? []) {
      if (entry.family === "IPv4" && !entry.internal) return entry.address
    }
  }
  throw new Error("no non-loopback IPv4 address on this machine")
}

/** isSecureContext and whether crypto.subtle exists, in the page and in each of its workers. */
async function secureState(page: Page): Promise<{ secure: boolean; subtle: boolean }[]> {
  const probe = () => ({
    secure: globalThis.isSecureContext,
    subtle: typeof globalThis.crypto?.subtle !== "undefined",
  })
  // A worker may end while being asked (the page's short-lived file pools): skip those.
  const inWorkers = await Promise.all(
    page.workers().map((wk) => wk.evaluate(probe).catch(() => undefined)),
  )
  return [await page.evaluate(probe), ...inWorkers.filter((s) => s !== undefined)]
}

beforeAll(async () => {
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay({ HOST: "0.0.0.0" })])
  node = await prepareNode(t, {
    questionnaire: [
      { id: "what", type: "textarea", label: "What happened?", required: true },
      { id: "evidence", type: "file", label: "Documents", required: false },
    ],
  })
  origin = `http://${lanAddress()}:${new URL(t.baseUrl).port}`
  // Chromium says, rightly, that the relay's COOP header means nothing on an untrustworthy origin.
  w = await openPage(browser, {
    allowConsoleErrors: /Cross-Origin-Opener-Policy header has been ignored/,
  })
})
afterAll(async () => {
  await removeRandomFiles()
  await browser?.close()
  await t?.destroy()
})

describe("no WebCrypto (not a secure context)", () => {
  const story = `No subtle crypto here: the Faro tender was rigged ${Date.now()}.`
  let file: Awaited<ReturnType<typeof randomFile>>
  let tipId = ""

  it("submits a report with a file from a page without crypto.subtle", async () => {
    const { page } = w
    file = await randomFile("tender-notes.bin", MiB + 4321)
    await page.goto(`${origin}/report/${node.contextId}`)
    await expect
      .poll(() => page.getByText("Their keys were checked").count(), { timeout: 20_000 })
      .toBe(1)
    const states = await secureState(page)
    expect(states.length).toBeGreaterThan(1)
    for (const state of states) expect(state).toEqual({ secure: false, subtle: false })

    await page.getByLabel("What happened?").fill(story)
    await page.locator("#q-evidence").setInputFiles(file.path)
    await expect
      .poll(() => page.locator(".sha256").allTextContents(), { timeout: 20_000 })
      .toEqual([file.sha256])
    await page.getByRole("button", { name: "Send report" }).click()
    await page.waitForURL(/\/receipt$/, { timeout: 60_000 })
    expect(await page.locator(".receipt").textContent()).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/)
    expect(await page.locator("#receipt-state").getAttribute("data-receipt-state")).toBe(
      "confirmed",
    )
    for (const state of await secureState(page)) {
      expect(state).toEqual({ secure: false, subtle: false })
    }
    await screenshot(page, "nowebcrypto-receipt")

    const [recipient] = node.recipients
    if (!recipient) throw new Error("no recipient")
    ;[tipId = ""] = await tipIdsOf(t, recipient)
    const view = await openAsRecipient(t, recipient, tipId)
    expect(view.answers).toEqual({ what: story, evidence: ["tender-notes.bin"] })
    expect(await downloadSha256(t, recipient, view.files[0]?.id ?? "", view.tipKey)).toEqual({
      sha256: file.sha256,
      size: file.size,
    })
  })

  it("a recipient logs in, reads the answers and downloads the file without crypto.subtle", async () => {
    const { page, problems } = w
    const [recipient] = node.recipients
    if (!recipient) throw new Error("no recipient")
    await page.goto(`${origin}/staff`)
    await page.getByLabel("Username").fill(recipient.username)
    await page.getByLabel("Password").fill(recipient.password)
    await page.getByRole("button", { name: "Log in" }).click()
    await page.waitForURL(/\/staff\/inbox$/, { timeout: 30_000 })
    await page.locator(`[data-tip-id="${tipId}"]`).click()
    await page.waitForURL(/\/staff\/tips\//)
    await expect
      .poll(() => page.getByTestId("answers").textContent(), { timeout: 20_000 })
      .toContain(story)
    const [download] = await Promise.all([
      page.waitForEvent("download", { timeout: 30_000 }),
      page.getByRole("button", { name: "Download tender-notes.bin" }).click(),
    ])
    const stream = await download.createReadStream()
    const hash = createHash("sha256")
    let size = 0
    for await (const piece of stream) {
      hash.update(piece as Buffer)
      size += (piece as Buffer).length
    }
    expect({ sha256: hash.digest("hex"), size }).toEqual({ sha256: file.sha256, size: file.size })
    for (const state of await secureState(page)) {
      expect(state).toEqual({ secure: false, subtle: false })
    }
    expect(problems).toEqual([])
  })
})
