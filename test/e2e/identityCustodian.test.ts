import { readFile } from "node:fs/promises"
import {
  accountSigner,
  decryptAgeFile,
  directoryExpiry,
  generateAgeIdentity,
  readTipArchive,
  recipientOf,
  signDirectory,
  unwrapIdentityKey,
} from "@sotto/crypto-core"
import { accounts, contexts, identity } from "@sotto/protocol"
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
import { wire } from "../relay/_seed.js"
import { launchBrowser, openPage, screenshot, startAppRelay, type WatchedPage } from "./_browser.js"
import { tipIdsOf } from "./_node.js"
import { passwordLogin } from "./_twoFactorUi.js"

// Issue 17 in Chromium: a report with an identity field; the recipient reads the report but not
// the identity, asks with a reason; the custodian, in their own browser, reads the reason and
// approves; the recipient now reads the identity, a second recipient still cannot; the
// whistleblower's page says it was disclosed; the audit log has the request and the approval.

const NAME = `Jane Roe ${Date.now()}`
const REASON = "We must call the reporter back about the invoices."

let browser: Browser
let t: TestRelay
let admin: NodeAdmin
let alice: StaffActor
let bob: StaffActor
let carol: StaffActor
let wbPage: WatchedPage
let alicePage: WatchedPage
let carolPage: WatchedPage
const contextId = `ctx-id-${Date.now().toString(36)}`
let tipId = ""
let receipt = ""

/** Opens the tip from the inbox (the staff session lives in the page: no full reload). */
async function openTipFromInbox(page: Page): Promise<void> {
  await page.getByRole("link", { name: "Inbox" }).click()
  await page.locator(`a[data-tip-id="${tipId}"]`).click({ timeout: 30_000 })
  await page.waitForURL(new RegExp(`/staff/tips/${tipId}$`))
}

beforeAll(async () => {
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay()])
  admin = await setupNode(t, { escrow: false, nodeName: "Custodian node" })
  const made = await Promise.all([
    createUser(t, admin, "alice", { role: "recipient", name: "Alice A." }),
    createUser(t, admin, "bob", { role: "recipient", name: "Bob B." }),
    createUser(t, admin, "carol", { role: "custodian", name: "Carol C." }),
  ])
  ;[alice, bob, carol] = (await Promise.all(
    made.map((m) => firstLogin(t, m.username, m.oneTimePassword)),
  )) as [StaffActor, StaffActor, StaffActor]
  const person = (s: StaffActor, name: string) => ({
    id: s.userId,
    name,
    recipient: s.recipient,
    signer: accountSigner(s.identity),
  })
  const directory = signDirectory(
    {
      v: 2,
      context: contextId,
      version: 1,
      issuedAt: new Date().toISOString(),
      expiresAt: directoryExpiry(new Date()),
      recipients: [person(alice, "Alice A."), person(bob, "Bob B.")],
      custodians: [{ id: carol.userId, name: "Carol C.", recipient: carol.recipient }],
    },
    admin.signing,
  )
  await t.client.call(contexts.createContext, {
    session: admin.session,
    body: {
      id: contextId,
      name: "Procurement",
      description: "Bribes and rigged tenders",
      recipients: [alice.userId, bob.userId],
      custodians: [carol.userId],
      questionnaire: [
        { id: "what", type: "textarea", label: "What happened?", required: true },
        { id: "name", type: "text", label: "Your name", required: false, identity: true },
      ],
      expiryDays: 30,
      maxFiles: 0,
      maxFileBytes: 1024,
      directory: wire(directory),
    },
  })
  wbPage = await openPage(browser, { width: 360, height: 740 })
  alicePage = await openPage(browser)
  carolPage = await openPage(browser)
})
afterAll(async () => {
  await browser?.close()
  await t?.destroy()
})

const text = (page: Page, selector: string) => page.locator(selector).first().textContent()

/** Exports the open tip to a fresh age key and returns the archive's tip.json as text. */
async function exportedManifest(page: Page): Promise<string> {
  const key = generateAgeIdentity()
  await page.getByLabel("Encrypt the export with").selectOption("age")
  await page.getByLabel("age recipient").fill(await recipientOf(key))
  const [file] = await Promise.all([
    page.waitForEvent("download", { timeout: 30_000 }),
    page.getByRole("button", { name: "Export tip" }).click(),
  ])
  const sealed = await readFile((await file.path()) ?? "")
  const { manifest } = readTipArchive(await decryptAgeFile(new Uint8Array(sealed), key, undefined))
  return JSON.stringify(manifest)
}

describe("identity behind a custodian, in Chromium", () => {
  it("the whistleblower answers an identity field, marked as sealed for custodians, and sends", async () => {
    const { page } = wbPage
    await page.goto(t.baseUrl)
    await page.getByRole("link", { name: "Report to Procurement" }).click()
    await page.waitForURL(/\/report\//)
    await expect.poll(() => page.getByText("Their keys were checked").count()).toBe(1)
    expect(await text(page, "[data-identity-note]")).toContain("Only the channel's custodians")
    await page.getByLabel("What happened?").fill("The tender for lot 7 was rigged.")
    await page.getByLabel("Your name").fill(NAME)
    await page.getByRole("button", { name: "Send report" }).click()
    await page.waitForURL(/\/receipt$/, { timeout: 60_000 })
    receipt = (await page.locator(".receipt").textContent()) ?? ""
    await page.getByRole("link", { name: "Continue to my report" }).click()
    await page.waitForURL(/\/my-report$/)
    await expect
      .poll(() => page.locator("[data-identity-disclosed]").getAttribute("data-identity-disclosed"))
      .toBe("no")
    ;[tipId = ""] = await tipIdsOf(t, alice)
    expect(tipId).not.toBe("")
  })

  it("the recipient reads the report but not the identity, and asks with a reason", async () => {
    const { page } = alicePage
    await passwordLogin(page, t.baseUrl, "alice", alice.password, /\/staff\/inbox$/)
    await openTipFromInbox(page)
    await expect
      .poll(() => page.locator("main").textContent(), { timeout: 30_000 })
      .toContain("The tender for lot 7 was rigged.")
    await page.locator("[data-identity-hidden]").waitFor({ timeout: 15_000 })
    expect(await page.locator("main").textContent()).not.toContain(NAME)
    // An export carries only what its maker holds: no identity yet.
    const before = await exportedManifest(page)
    expect(before).toContain("The tender for lot 7 was rigged.")
    expect(before).not.toContain(NAME)
    await page.getByLabel("Why you need it (read by the custodian)").fill(REASON)
    await page.getByRole("button", { name: "Ask a custodian for the identity" }).click()
    await expect
      .poll(() => page.locator("[data-request-state]").first().getAttribute("data-request-state"))
      .toBe("pending")
    await screenshot(page, "identity-requested")
  })

  it("the custodian reads the reason in their own browser and approves", async () => {
    const { page } = carolPage
    await passwordLogin(page, t.baseUrl, "carol", carol.password, /\/staff\/inbox$/)
    await page.getByRole("link", { name: "Identity requests" }).click()
    await page.waitForURL(/\/staff\/custodian$/)
    await expect.poll(() => text(page, "[data-reason]"), { timeout: 30_000 }).toBe(REASON)
    await page.getByRole("button", { name: "Approve" }).click()
    await expect
      .poll(() => page.locator("[data-request]").first().getAttribute("data-state"), {
        timeout: 30_000,
      })
      .toBe("approved")
    await screenshot(page, "identity-custodian")
  })

  it("the recipient now reads the identity; the second recipient still cannot", async () => {
    const { page } = alicePage
    await openTipFromInbox(page)
    await expect.poll(() => text(page, "[data-identity-open]"), { timeout: 30_000 }).toContain(NAME)
    expect(await text(page, "[data-identity-open]")).toContain("Your name")
    expect(await exportedManifest(page)).toContain(NAME)

    const forBob = await t.client.call(identity.getTipIdentity, {
      session: bob.session,
      params: { tipId },
    })
    expect(forBob.wrap).toBeUndefined()
    expect(forBob.age).not.toContain(NAME)
    const forAlice = await t.client.call(identity.getTipIdentity, {
      session: alice.session,
      params: { tipId },
    })
    if (!forAlice.wrap) throw new Error("no wrap for Alice")
    await expect(unwrapIdentityKey(forAlice.wrap, bob.identity)).rejects.toMatchObject({
      code: expect.stringMatching(/WRONG_KEY|TAMPERED/),
    })
  })

  it("tells the whistleblower their identity was disclosed", async () => {
    const { page } = wbPage
    await page.goto(`${t.baseUrl}/return`)
    await page.getByLabel("Receipt", { exact: true }).fill(receipt)
    await page.getByRole("button", { name: "Log in" }).click()
    await page.waitForURL(/\/my-report$/, { timeout: 30_000 })
    await expect
      .poll(
        () => page.locator("[data-identity-disclosed]").getAttribute("data-identity-disclosed"),
        { timeout: 30_000 },
      )
      .toBe("yes")
  })

  it("has the request and the approval in the audit log, without the reason", async () => {
    const { entries } = await t.client.call(accounts.listAudit, { session: admin.session })
    const mine = entries.filter((e) => e.target === tipId).map((e) => [e.action, e.actor])
    expect(mine).toEqual(
      expect.arrayContaining([
        ["identity.requested", alice.userId],
        ["identity.approved", carol.userId],
      ]),
    )
    expect(JSON.stringify(entries)).not.toContain(REASON)
    expect(JSON.stringify(entries)).not.toContain(NAME)
  })
})
