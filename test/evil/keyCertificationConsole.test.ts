import { generateAgeIdentity, recipientOf } from "@sotto/crypto-core"
import { accounts, contexts } from "@sotto/protocol"
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { launchBrowser, openPage, screenshot, startAppRelay } from "../e2e/_browser.js"
import {
  createUser,
  firstLogin,
  type NodeAdmin,
  type StaffActor,
  setupNode,
} from "../relay/_actors.js"
import type { TestRelay } from "../relay/_harness.js"
import { type EvilRelay, startEvilRelay } from "./_evilRelay.js"

// Attack 3 (issue 10) in the real console: the relay swaps a new admin's public key in the user
// list for its own. The admin's browser shows the account as not certified and refuses to give it
// the node keys, in words, sending no wrap to the relay's key.

let browser: Browser
let t: TestRelay
let evil: EvilRelay
let admin: NodeAdmin
let ada: StaffActor
let relayKey: string

beforeAll(async () => {
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay()])
  evil = await startEvilRelay(t.baseUrl)
  admin = await setupNode(t, { nodeName: "Evil console node" })
  const made = await createUser(t, admin, "ada", { role: "admin", name: "Ada Admin" })
  ada = await firstLogin(t, "ada", made.oneTimePassword)
  relayKey = await recipientOf(generateAgeIdentity())
})
afterAll(async () => {
  await browser?.close()
  await evil?.close()
  await t?.destroy()
})

describe("the console behind a relay that swaps a user's public key", () => {
  it("shows the user as not certified and refuses to give them the node keys", async () => {
    evil.onResponse((req, res) => {
      if (req.path !== accounts.listUsers.path || req.method !== "GET") return undefined
      const list = res.json() as { users: { id: string; publicKey?: string }[] }
      const users = list.users.map((u) => (u.id === ada.userId ? { ...u, publicKey: relayKey } : u))
      return { body: { users } }
    })
    const { page } = await openPage(browser, { width: 360, height: 800 })
    await page.goto(`${evil.baseUrl}/staff`)
    await page.getByLabel("Username").fill(admin.username)
    await page.getByLabel("Password").fill(admin.password)
    await page.getByRole("button", { name: "Log in" }).click()
    await page.waitForURL(/\/staff\/inbox$/, { timeout: 20_000 })
    await page.getByRole("link", { name: "Admin", exact: true }).click()
    await page.getByRole("heading", { level: 1, name: "Users" }).waitFor({ timeout: 15_000 })
    const row = page.locator('[data-user="ada"]')
    await row.getByText("Not certified").waitFor({ timeout: 15_000 })
    await row.getByRole("button", { name: "Give node keys" }).click()
    await row.getByText(/is not certified/).waitFor({ timeout: 15_000 })
    await screenshot(page, "evil-console-not-certified-360")
    const wraps = evil.seen.filter((x) => x.url.includes("/admin-wraps"))
    expect(wraps).toEqual([])
    expect(evil.sawText(relayKey)).toBe(false)
    // The honest rows show fingerprints for a spoken check.
    const self = page.locator(`[data-user="${admin.username}"]`)
    await expect(self.getByTestId("key-certification").textContent()).resolves.toMatch(
      /fingerprint.*(\w+ ){7}\w+/,
    )
  })

  // Item 6: signing a directory. The relay swaps a recipient's key in the user list; the console
  // refuses to sign a channel listing them, in words, and no signed directory reaches the relay.
  // Seen failing with requireCertified disabled in saveContext: no refusal was shown (the
  // alert never came within 20 s).
  it("refuses to sign a channel's directory that lists a relay-substituted key", async () => {
    const made = await createUser(t, admin, "rita", { name: "Rita Recipient" })
    const rita = await firstLogin(t, "rita", made.oneTimePassword)
    evil.onResponse((req, res) => {
      if (req.path !== accounts.listUsers.path || req.method !== "GET") return undefined
      const list = res.json() as { users: { id: string; publicKey?: string }[] }
      const users = list.users.map((u) =>
        u.id === rita.userId ? { ...u, publicKey: relayKey } : u,
      )
      return { body: { users } }
    })
    evil.clear()
    const { page, problems } = await openPage(browser, { width: 360, height: 800 })
    await page.goto(`${evil.baseUrl}/staff`)
    await page.getByLabel("Username").fill(admin.username)
    await page.getByLabel("Password").fill(admin.password)
    await page.getByRole("button", { name: "Log in" }).click()
    await page.waitForURL(/\/staff\/inbox$/, { timeout: 20_000 })
    await page.getByRole("link", { name: "Admin", exact: true }).click()
    await page
      .getByRole("navigation", { name: "Admin console" })
      .getByRole("link", { name: "Channels" })
      .click()
    await page.getByRole("link", { name: "New channel" }).click()
    const form = page.getByRole("form", { name: "Channel" })
    await form.getByRole("textbox", { name: "Name", exact: true }).fill("Swapped keys")
    await form.getByRole("checkbox", { name: /rita/ }).check()
    await form.getByRole("button", { name: "Save channel" }).click()
    await page
      .getByRole("alert")
      .filter({ hasText: /key of rita is not certified/ })
      .waitFor({ timeout: 20_000 })
    await screenshot(page, "evil-console-directory-refused-360")
    const posted = evil.seen.filter(
      (x) => x.url.startsWith("/api/v1/contexts") && x.method !== "GET",
    )
    expect(posted).toEqual([])
    expect(evil.sawText(relayKey)).toBe(false)
    expect((await t.client.call(contexts.listContexts)).contexts).toEqual([])
    expect(problems).toEqual([])
    evil.onResponse(undefined)
  })
})
