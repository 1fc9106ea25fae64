import { createSigningKey, fingerprintWords, signNodeManifest } from "@sotto/crypto-core"
import { accounts, oprf } from "@sotto/protocol"
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { NodeSettings } from "../../relay/src/services/records.js"
import { createUser, firstLogin, login, type NodeAdmin, setupNode } from "../relay/_actors.js"
import type { TestRelay } from "../relay/_harness.js"
import { launchBrowser, openPage, screenshot, startAppRelay, type WatchedPage } from "./_browser.js"

// Issue 10: the console re-signs the node manifest when a setting it covers changes (here the
// node's name and the most proof-of-work bits a device accepts), in the admin's browser, with
// the node key opened from the admin's wrap; the relay stores settings and manifest together.
// A whistleblower's browser that pinned version 1 and a staff browser both verify and pin the
// new version. Seen failing before the fix: the save went through, GET /node kept serving
// version 1 with the old name, and the console showed no manifest version.

let browser: Browser
let t: TestRelay
let admin: NodeAdmin
/** Rosa's staff browser, logged in by the first test. */
let rosaPage: WatchedPage

beforeAll(async () => {
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay()])
  admin = await setupNode(t, { escrow: false, nodeName: "Manifest node" })
})
afterAll(async () => {
  await browser?.close()
  await t?.destroy()
})

/** The manifest pin this page's origin keeps (lib/trustStore.ts). */
function pinOf(page: Page): Promise<{ signer: string; version: number } | undefined> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open("sotto-trust", 1)
        open.onupgradeneeded = () => open.result.createObjectStore("pins")
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          const req = open.result.transaction("pins").objectStore("pins").get("manifest")
          req.onsuccess = () => resolve(req.result)
          req.onerror = () => reject(req.error)
        }
      }),
  )
}

async function landing(w: WatchedPage): Promise<void> {
  await w.page.goto(t.baseUrl)
  await w.page.getByTestId("node-fingerprint").waitFor({ timeout: 15_000 })
}

async function staffLogin(page: Page, username: string, password: string): Promise<void> {
  await page.goto(`${t.baseUrl}/staff`)
  await page.getByLabel("Username").fill(username)
  await page.getByLabel("Password").fill(password)
  await page.getByRole("button", { name: "Log in" }).click()
  await page.waitForURL(/\/staff\/inbox$/, { timeout: 20_000 })
}

describe("re-signing the node manifest from the console", () => {
  it("signs version 2 when the name and PoW bound change; clients verify and pin it", async () => {
    const wb = await openPage(browser, { width: 360 })
    await landing(wb)
    expect((await pinOf(wb.page))?.version).toBe(1)

    const a = await openPage(browser)
    const page = a.page
    await staffLogin(page, admin.username, admin.password)
    await page.getByRole("link", { name: "Admin", exact: true }).click()
    await page
      .getByRole("navigation", { name: "Admin console" })
      .getByRole("link", { name: "Settings" })
      .click()
    const version = page.getByTestId("manifest-version")
    await version.waitFor({ timeout: 15_000 })
    expect(await version.textContent()).toContain("version 1")

    // A bound below the base difficulty is refused by the relay, in words, changing nothing.
    await page.getByLabel(/Most proof-of-work bits/).fill("8")
    await page.getByRole("button", { name: "Save settings" }).click()
    await page.getByText("At least the anti-spam bits above, at most 28.").waitFor()
    expect((await t.client.call(accounts.getNode)).manifest.body.version).toBe(1)

    await page.getByLabel("Node name").fill("Renamed newsroom")
    await page.getByLabel(/Most proof-of-work bits/).fill("20")
    await page.getByRole("button", { name: "Save settings" }).click()
    await page.locator('[data-node-name="Renamed newsroom"]').waitFor({ timeout: 20_000 })
    expect(await version.textContent()).toContain("version 2")
    await screenshot(page, "admin-manifest-resigned-1280")

    const served = (await t.client.call(accounts.getNode)).manifest
    expect(served.body).toMatchObject({
      version: 2,
      name: "Renamed newsroom",
      pow: { maxDifficulty: 20 },
    })
    expect(served.signer).toBe(admin.manifest.signer)
    expect((await pinOf(page))?.version).toBe(2)
    // Issue 12: a node made before the OPRF gets the relay's OPRF keys with the first re-signing,
    // and says that its older tips keep v1 receipts (SPEC §16).
    const { keys } = await t.client.call(oprf.getOprfKeys)
    expect(served.body.oprf).toEqual({ suite: "ristretto255-SHA512", keys, v1Receipts: true })

    // The whistleblower's browser that pinned version 1 takes version 2 and pins it.
    await landing(wb)
    expect(await pinOf(wb.page)).toEqual({ signer: admin.manifest.signer, version: 2 })

    // A staff browser verifies and pins it at login.
    const made = await createUser(t, admin, "rosa", { name: "Rosa Recipient" })
    const rosa = await firstLogin(t, "rosa", made.oneTimePassword)
    const r = await openPage(browser, { width: 360 })
    rosaPage = r
    await staffLogin(r.page, "rosa", rosa.password)
    expect((await pinOf(r.page))?.version).toBe(2)

    // The admin's account, made before the OPRF, moves at its next login in the PWA: a password
    // change with the same password; the Node client then logs in through the OPRF.
    const paramsOf = () => t.client.call(accounts.getAuthParams, { query: { username: "admin" } })
    expect((await paramsOf()).oprf).toBeUndefined()
    const again = await openPage(browser)
    await staffLogin(again.page, admin.username, admin.password)
    expect((await paramsOf()).oprf).toBe(keys[0])
    expect((await login(t, admin.username, admin.password)).stage).toBe("full")

    expect([...wb.problems, ...a.problems, ...r.problems, ...again.problems]).toEqual([])
  })
})

// Item 3: the staff account page shows the node key's fingerprint in the landing page's words,
// checked against the key this browser pinned; another key is explained, not shown as words.
describe("the node key's fingerprint on the staff account page", () => {
  it("shows the pinned node key's words, and refuses another key in words", async () => {
    const page = rosaPage.page
    await page.getByRole("link", { name: "Account" }).click()
    const words = page.getByTestId("node-fingerprint-staff")
    await words.waitFor({ timeout: 15_000 })
    expect((await words.textContent())?.trim()).toBe(
      fingerprintWords(admin.signing.publicKey).join(" "),
    )
    expect(await page.getByTestId("node-key-pin").textContent()).toContain(
      "The same key this browser pinned",
    )
    await screenshot(page, "staff-account-node-key-360")

    // A seized relay serves a manifest under its own key: the page says so instead.
    const genuine = (await t.relay.ctx.store.get<NodeSettings>("settings", "node"))!
    const { v: _v, protocol: _p, directorySigner: _d, ...fields } = genuine.manifest.body
    const intruder = signNodeManifest({ ...fields, version: 9 }, createSigningKey())
    await t.relay.ctx.store.put("settings", "node", { ...genuine, manifest: intruder })
    try {
      await page.getByRole("link", { name: "Inbox" }).click()
      await page.getByRole("link", { name: "Account" }).click()
      const alert = page.getByRole("alert").filter({ hasText: "not the one this browser trusted" })
      await alert.waitFor({ timeout: 15_000 })
      expect(await words.count()).toBe(0)
    } finally {
      await t.relay.ctx.store.put("settings", "node", genuine)
    }
    expect(rosaPage.problems).toEqual([])
  })
})
