import {
  createSigningKey,
  type SignedKeyDirectory,
  signDirectory,
  toBase64url,
} from "@sotto/crypto-core"
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { ContextRecord } from "../../relay/src/services/records.js"
import type { TestRelay } from "../relay/_harness.js"
import { launchBrowser, openPage, startAppRelay } from "./_browser.js"
import { type PreparedNode, prepareNode } from "./_node.js"

// Acceptance e2e 2: a relay that serves a key directory the node did not sign for this context
// (another signing key, a broken signature, another context's directory) or a node key that
// differs from the one this browser pinned. The page explains it before anything is typed, the
// submit button stays disabled, and no tip reaches the store.

let browser: Browser
let t: TestRelay
let node: PreparedNode
let valid: SignedKeyDirectory

beforeAll(async () => {
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay()])
  node = await prepareNode(t, { recipients: 1 })
  valid = (await t.relay.ctx.store.get<SignedKeyDirectory>("contexts", `d/${node.contextId}`))!
})
afterAll(async () => {
  await browser?.close()
  await t?.destroy()
})

/** Opens the report page of `contextId` in a fresh browser profile; returns the page. */
async function reportPage(contextId: string, pin?: string) {
  const watched = await openPage(browser)
  const { page } = watched
  if (pin) {
    await page.goto(t.baseUrl)
    await page.evaluate((value) => localStorage.setItem("sotto.pin.v1", value), pin)
  }
  await page.goto(`${t.baseUrl}/report/${encodeURIComponent(contextId)}`)
  await page.getByRole("heading", { level: 1 }).waitFor()
  return watched
}

async function refused(page: Page): Promise<{ alert: string; disabled: boolean }> {
  const alert = page.locator("#trust-error")
  await alert.waitFor()
  expect(await alert.getAttribute("role")).toBe("alert")
  return {
    alert: (await alert.textContent()) ?? "",
    disabled: await page.getByRole("button", { name: "Send report" }).isDisabled(),
  }
}

async function storedTips(): Promise<number> {
  return (await t.relay.ctx.store.list("tips")).length
}

describe("a key directory the page must not trust", () => {
  it("control: the node's own directory verifies and the form can be sent", async () => {
    const { page, problems } = await reportPage(node.contextId)
    await page.getByText("Their keys were checked").waitFor()
    expect(await page.getByRole("button", { name: "Send report" }).isEnabled()).toBe(true)
    expect(await page.evaluate(() => localStorage.getItem("sotto.pin.v1"))).toBe(
      toBase64url(node.admin.signing.publicKey),
    )
    expect(problems).toEqual([])
  })

  it("refuses a directory signed by another key: explanation, disabled button, no tip", async () => {
    const other = createSigningKey()
    await t.relay.ctx.store.put(
      "contexts",
      `d/${node.contextId}`,
      signDirectory(valid.directory, other),
    )
    const { page, problems } = await reportPage(node.contextId)
    const shown = await refused(page)
    expect(shown.alert).toContain("signed by a different key than this node's")
    expect(shown.alert).toContain("nothing was sent")
    expect(shown.disabled).toBe(true)
    await page.getByLabel("What happened?").fill("this must never leave")
    await page.getByRole("button", { name: "Send report" }).click({ force: true })
    await page.waitForTimeout(500)
    expect(page.url()).toContain("/report/")
    expect(await storedTips()).toBe(0)
    expect(problems).toEqual([])
  })

  it("refuses a directory whose signature does not verify", async () => {
    const forged = { ...valid, signature: toBase64url(new Uint8Array(64).fill(7)) }
    await t.relay.ctx.store.put("contexts", `d/${node.contextId}`, forged)
    const { page, problems } = await reportPage(node.contextId)
    const shown = await refused(page)
    expect(shown.alert).toContain("not signed by this node's key")
    expect(shown.disabled).toBe(true)
    expect(await storedTips()).toBe(0)
    expect(problems).toEqual([])
  })

  it("refuses another context's (validly signed) directory", async () => {
    await t.relay.ctx.store.put("contexts", `d/${node.contextId}`, valid)
    const record = await t.relay.ctx.store.get<ContextRecord>("contexts", `c/${node.contextId}`)
    const twin = "ctx-twin"
    await t.relay.ctx.store.put("contexts", `c/${twin}`, { ...record, id: twin, name: "Twin" })
    await t.relay.ctx.store.put("contexts", `d/${twin}`, valid)
    const { page, problems } = await reportPage(twin)
    const shown = await refused(page)
    expect(shown.alert).toContain("belongs to another channel")
    expect(shown.disabled).toBe(true)
    expect(await storedTips()).toBe(0)
    expect(problems).toEqual([])
  })

  it("refuses when the node's key is not the one this browser pinned before", async () => {
    const earlier = toBase64url(createSigningKey().publicKey)
    const { page, problems } = await reportPage(node.contextId, earlier)
    const shown = await refused(page)
    expect(shown.alert).toContain("not the one this browser trusted")
    expect(shown.disabled).toBe(true)
    // The old pin is kept: a node cannot reset it by serving a new key.
    expect(await page.evaluate(() => localStorage.getItem("sotto.pin.v1"))).toBe(earlier)
    expect(await storedTips()).toBe(0)
    expect(problems).toEqual([])
  })
})
