import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startTestRelay, type TestRelay } from "../relay/_harness.js"
import { launchBrowser, openPage, PWA_DIST, startAppRelay } from "./_browser.js"
import {
  downloadSha256,
  openAsRecipient,
  type PreparedNode,
  prepareNode,
  randomFile,
  removeRandomFiles,
  tipIdsOf,
} from "./_node.js"
import { type RelayProxy, startRelayProxy } from "./_proxy.js"

// Acceptance e2e 3: the relay goes away in the middle of a 20 MiB upload and a new one comes back
// on the same data dir, behind the same origin (a TCP proxy that drops every connection when the
// relay "dies", as a killed process would). The page says it is retrying, resumes from what the
// relay holds, and the recipient decrypts a file byte-identical to the one on the disk.

const MiB = 1024 * 1024
let browser: Browser
let t: TestRelay
let node: PreparedNode
let proxy: RelayProxy

beforeAll(async () => {
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay()])
  node = await prepareNode(t, {
    recipients: 1,
    questionnaire: [
      { id: "what", type: "textarea", label: "What happened?", required: true },
      { id: "evidence", type: "file", label: "Documents", required: true },
    ],
    maxFileBytes: 32 * MiB,
  })
  proxy = await startRelayProxy(t.relay.port)
})
afterAll(async () => {
  await removeRandomFiles()
  await browser?.close()
  await proxy?.close()
  await t?.destroy()
})

describe("an upload across a relay restart", () => {
  it("retries, resumes and completes; the recipient's file is byte-identical", async () => {
    const file = await randomFile("warehouse-footage.bin", 20 * MiB)
    // While the relay is down the browser logs each refused request; that is expected here.
    const { page, problems } = await openPage(browser, { allowConsoleErrors: /net::ERR_/ })
    await page.goto(`${proxy.baseUrl}/report/${node.contextId}`)
    await page.getByLabel("What happened?").fill("Footage of the night shift.")
    await page.locator("#q-evidence").setInputFiles(file.path)
    await expect
      .poll(() => page.locator(".sha256").textContent(), { timeout: 20_000 })
      .toBe(file.sha256)
    await page.getByRole("button", { name: "Send report" }).click()

    // Stop the relay once a few chunks are stored, keep it down a moment, start it again.
    const store = t.relay.ctx.store
    // The upload's received-bitmap record counts its stored chunks.
    const stored = async () =>
      (await store.list<{ received: number }>("chunks")).reduce((n, [, b]) => n + b.received, 0)
    await expect.poll(stored, { timeout: 30_000, interval: 10 }).toBeGreaterThanOrEqual(3)
    proxy.cut()
    // Mid-upload: some of the age file's chunks are stored, not all (the browser picks the chunk
    // size from the link it measured).
    const [upload] = await store.list<{ chunkCount: number }>("objects")
    expect(await stored()).toBeLessThan(upload?.[1].chunkCount ?? 0)
    await t.stop()
    await expect
      .poll(() => page.getByText("Connection lost, retrying").count(), { timeout: 10_000 })
      .toBe(1)
    await new Promise((resolve) => setTimeout(resolve, 1500))
    t = await startTestRelay({ dataDir: t.dataDir, env: { STATIC_DIR: PWA_DIST } })
    proxy.target(t.relay.port)

    await page.waitForURL(/\/receipt$/, { timeout: 60_000 })
    expect(await page.locator(".receipt").textContent()).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/)
    expect(await page.getByText("could not be sent").count()).toBe(0)

    const [recipient] = node.recipients
    if (!recipient) throw new Error("no recipient")
    const [tipId] = await tipIdsOf(t, recipient)
    const view = await openAsRecipient(t, recipient, tipId ?? "")
    expect(view.files).toHaveLength(1)
    expect(view.files[0]?.meta).toMatchObject({
      name: "warehouse-footage.bin",
      sha256: file.sha256,
    })
    const opened = await downloadSha256(t, recipient, view.files[0]?.id ?? "", view.tipKey)
    expect(opened).toEqual({ sha256: file.sha256, size: file.size })
    expect(problems).toEqual([])
  })
})
