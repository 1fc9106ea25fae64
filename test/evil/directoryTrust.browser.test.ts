import {
  createSigningKey,
  fingerprintWords,
  type KeyDirectory,
  type SignedKeyDirectory,
  type SignedNodeManifest,
  signDirectory,
  signNodeManifest,
} from "@sotto/crypto-core"
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { NodeSettings } from "../../relay/src/services/records.js"
import { launchBrowser, openPage, startAppRelay } from "../e2e/_browser.js"
import { type PreparedNode, prepareNode } from "../e2e/_node.js"
import type { TestRelay } from "../relay/_harness.js"

// Attack 4 in the real PWA (Chromium): the relay rolls a context's directory back to an older
// version, serves an expired one (both validly signed by the node key), or serves a node manifest
// signed by another key than the one this browser pinned. Each time the report page explains it,
// the send button stays disabled and no tip reaches the store.
// Before the fix (protocol 1.0) the page had no version, expiry or manifest to check: it accepted
// any directory the node key ever signed, and its pin lived in localStorage only.

let browser: Browser
let t: TestRelay
let node: PreparedNode
let v1: SignedKeyDirectory

beforeAll(async () => {
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay()])
  node = await prepareNode(t, { recipients: 1 })
  v1 = (await t.relay.ctx.store.get<SignedKeyDirectory>("contexts", `d/${node.contextId}`))!
})
afterAll(async () => {
  await browser?.close()
  await t?.destroy()
})

function resigned(changes: Partial<KeyDirectory>): SignedKeyDirectory {
  return signDirectory({ ...v1.directory, ...changes }, node.admin.signing)
}

async function serveDirectory(signed: SignedKeyDirectory): Promise<void> {
  await t.relay.ctx.store.put("contexts", `d/${node.contextId}`, signed)
}

async function serveManifest(manifest: SignedNodeManifest): Promise<void> {
  const settings = (await t.relay.ctx.store.get<NodeSettings>("settings", "node"))!
  await t.relay.ctx.store.put("settings", "node", { ...settings, manifest })
}

async function openReport(page: Page): Promise<void> {
  await page.goto(`${t.baseUrl}/report/${encodeURIComponent(node.contextId)}`)
  await page.getByRole("heading", { level: 1 }).waitFor()
}

async function refusedWith(page: Page, words: string): Promise<void> {
  const alert = page.locator("#trust-error")
  await alert.waitFor()
  expect(await alert.textContent()).toContain(words)
  expect(await page.getByRole("button", { name: "Send report" }).isDisabled()).toBe(true)
  await page.getByLabel("What happened?").fill("this must never leave")
  await page.getByRole("button", { name: "Send report" }).click({ force: true })
  await page.waitForTimeout(300)
  expect((await t.relay.ctx.store.list("tips")).length).toBe(0)
}

describe("attack 4: directory rollback, expiry and another node key, in Chromium", () => {
  it("shows the node key's fingerprint words on the landing page, for comparison", async () => {
    const { page, problems } = await openPage(browser, { width: 360 })
    await page.goto(t.baseUrl)
    const shown = page.getByTestId("node-fingerprint")
    await shown.waitFor()
    expect((await shown.textContent())?.trim()).toBe(
      fingerprintWords(node.admin.signing.publicKey).join(" "),
    )
    expect(problems).toEqual([])
  })

  it("refuses an older directory version than this browser saw", async () => {
    const { page, problems } = await openPage(browser)
    await serveDirectory(resigned({ version: 2 }))
    await openReport(page)
    await page.getByText("Their keys were checked").waitFor()
    await serveDirectory(v1)
    await openReport(page)
    await refusedWith(page, "older than one this browser saw before")
    expect(problems).toEqual([])
  })

  it("refuses an expired directory", async () => {
    const { page, problems } = await openPage(browser)
    await serveDirectory(
      resigned({
        version: 3,
        issuedAt: "2025-01-01T00:00:00.000Z",
        expiresAt: "2025-06-30T00:00:00.000Z",
      }),
    )
    await openReport(page)
    await refusedWith(page, "has expired")
    expect(problems).toEqual([])
  })

  it("refuses a manifest from another key than the pinned one", async () => {
    const { page, problems } = await openPage(browser)
    await serveDirectory(resigned({ version: 4 }))
    await openReport(page)
    await page.getByText("Their keys were checked").waitFor()
    const genuine = node.admin.manifest
    const intruder = createSigningKey()
    const { v: _v, protocol: _p, directorySigner: _d, ...fields } = genuine.body
    await serveManifest(signNodeManifest({ ...fields, version: 99 }, intruder))
    await serveDirectory(signDirectory({ ...v1.directory, version: 5 }, intruder))
    try {
      await openReport(page)
      await refusedWith(page, "not the one this browser trusted")
    } finally {
      await serveManifest(genuine)
    }
    expect(problems).toEqual([])
  })
})
