import { AxeBuilder } from "@axe-core/playwright"
import { recipientOf, toBase64url, verifyDirectory } from "@sotto/crypto-core"
import { accounts, contexts } from "@sotto/protocol"
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  createUser,
  firstLogin,
  login,
  type NodeAdmin,
  type StaffActor,
  setupNode,
} from "../relay/_actors.js"
import type { TestRelay } from "../relay/_harness.js"
import { enrolTotp } from "../relay/_twoFactor.js"
import { launchBrowser, openPage, screenshot, startAppRelay, type WatchedPage } from "./_browser.js"
import { submitTip } from "./_recipientWb.js"

// The admin console in Chromium against a real relay: the admin logs in at /staff, creates a
// recipient (whose one-time password Node then uses), builds a channel with a questionnaire
// (several types, reordered with the keyboard) whose signed directory Node verifies, resets the
// recipient's password with escrow, renames the node, reads the audit log and the stats, gives
// the node keys to a second admin, resets their second factor after re-authentication, deletes
// them (a wrong password refused first); on a node without escrow the console says what a lost password means and offers no reset.
// The session lives in the tab's memory only, so the test moves between pages by clicking.

let browser: Browser
let t: TestRelay
let admin: NodeAdmin
let w: WatchedPage
let page: Page
let rita: StaffActor
let contextId = ""

beforeAll(async () => {
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay()])
  admin = await setupNode(t, { escrow: true, nodeName: "Admin node" })
  w = await openPage(browser)
  page = w.page
})
afterAll(async () => {
  await browser?.close()
  await t?.destroy()
})

const nav = async (name: string, heading: string) => {
  await page.getByRole("navigation", { name: "Admin console" }).getByRole("link", { name }).click()
  await page.getByRole("heading", { level: 1, name: heading }).waitFor({ timeout: 15_000 })
}

/** Full-page screenshots at 1280 and 360 px wide. */
async function shots(name: string): Promise<void> {
  await screenshot(page, `admin-${name}-1280`)
  await page.setViewportSize({ width: 360, height: 800 })
  await screenshot(page, `admin-${name}-360`)
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  )
  expect(overflow, `${name} scrolls sideways at 360 px`).toBeLessThanOrEqual(0)
  await page.setViewportSize({ width: 1280, height: 900 })
}

describe("admin console", () => {
  it("logs the admin in and opens the console", async () => {
    await page.goto(`${t.baseUrl}/staff`)
    await page.getByLabel("Username").fill(admin.username)
    await page.getByLabel("Password").fill(admin.password)
    await page.getByRole("button", { name: "Log in" }).click()
    await page.waitForURL(/\/staff\/inbox$/, { timeout: 15_000 })
    await page.getByRole("link", { name: "Admin", exact: true }).click()
    await page.getByRole("heading", { level: 1, name: "Users" }).waitFor({ timeout: 15_000 })
    await expect(page.locator("[data-escrow]").textContent()).resolves.toContain("Escrow is on")
  })

  it("creates a recipient whose one-time password works", async () => {
    const form = page.getByRole("form", { name: "New account" })
    await form.getByLabel("Username").fill("rita")
    await form.getByLabel("Full name").fill("Rita Rossi")
    await form.getByLabel(/E-mail/).fill("rita@example.org")
    await form.getByLabel("Role").selectOption("recipient")
    await form.getByRole("button", { name: "Create account" }).click()
    const otp = page.locator("[data-otp]")
    await otp.waitFor({ timeout: 30_000 })
    const oneTimePassword = (await otp.textContent())?.trim() ?? ""
    expect(oneTimePassword).toMatch(/^[a-z]+(-[a-z]+)+$/)
    rita = await firstLogin(t, "rita", oneTimePassword)
    expect(rita.role).toBe("recipient")
    const form2 = page.getByRole("form", { name: "New account" })
    await page.getByRole("button", { name: "I have handed it over" }).click()
    await form2.getByLabel("Username").fill("rita")
    await form2.getByLabel("Full name").fill("Another Rita")
    await form2.getByRole("button", { name: "Create account" }).click()
    await form2.getByText("This username is taken.").waitFor({ timeout: 30_000 })
    const row = page.locator('[data-user="rita"]')
    await row.waitFor({ timeout: 15_000 })
    await expect(row.textContent()).resolves.toContain("Recipient")
    await expect(otp.count()).resolves.toBe(0)
    await shots("users")
  })

  it("builds a channel with a reordered questionnaire and a signed directory", async () => {
    await nav("Channels", "Channels")
    await page.getByRole("link", { name: "New channel" }).click()
    await page.getByRole("heading", { level: 1, name: "New channel" }).waitFor()
    const form = page.getByRole("form", { name: "Channel" })
    await form.getByRole("textbox", { name: "Name", exact: true }).fill("Safety at work")
    await form.getByLabel(/Description/).fill("Accidents, hazards and cover-ups.")
    await form.locator('input[name="recipient"][value="rita"]').check({ timeout: 15_000 })
    await form.getByLabel("Most files per tip").fill("2")

    const add = async (type: string) => {
      await page.getByLabel("New field type").selectOption({ label: type })
      await page.getByRole("button", { name: "Add field" }).click()
    }
    const field = (n: number) => form.getByRole("listitem", { name: `Field ${n}`, exact: true })
    await add("Short text")
    await field(1).getByLabel("Question").fill("What happened?")
    await field(1)
      .getByLabel(/Help text/)
      .fill("In your own words.")
    await field(1).getByLabel("Required").check()
    await add("Date")
    await field(2).getByLabel("Question").fill("When did it happen?")
    await add("Choice (one)")
    await field(3).getByLabel("Question").fill("Where?")
    await field(3)
      .getByLabel(/Options/)
      .fill("Warehouse\nOffice\nWarehouse\nYard")
    await field(3)
      .getByLabel(/Options/)
      .press("Tab")
    await add("Checkbox")
    await field(4).getByLabel("Question").fill("I was there myself")
    await add("Long text")
    await field(5).getByLabel("Delete field 5").click()
    await expect(form.getByRole("listitem", { name: /^Field \d$/ }).count()).resolves.toBe(4)

    // Keyboard reorder: "Where?" moves up one place with Enter; focus follows it.
    await field(3).getByRole("button", { name: "Move up field 3" }).focus()
    await page.keyboard.press("Enter")
    await expect(field(2).getByLabel("Question").inputValue()).resolves.toBe("Where?")
    await page.keyboard.press("Enter")
    await expect(field(1).getByLabel("Question").inputValue()).resolves.toBe("Where?")
    await field(1).getByRole("button", { name: "Move down field 1" }).click()
    await expect(field(2).getByLabel("Question").inputValue()).resolves.toBe("Where?")
    // Issue 13 onboarding bug 3: spoken names start with the visible words. Axe's rule is
    // experimental, so off by default: asked for by name.
    const mismatch = await new AxeBuilder({ page })
      .withRules(["label-content-name-mismatch"])
      .analyze()
    expect(mismatch.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target}`))).toEqual(
      [],
    )
    expect(mismatch.passes.flatMap((v) => v.nodes).length).toBeGreaterThanOrEqual(8)

    // The preview renders the fields the way the whistleblower's form does, in order.
    const preview = page.getByRole("region", { name: "Preview of the form" })
    await expect(preview.getByLabel("Where?").locator("option").allTextContents()).resolves.toEqual(
      ["Choose…", "Warehouse", "Office", "Yard"],
    )
    await expect(preview.getByLabel(/When did it happen/).getAttribute("type")).resolves.toBe(
      "date",
    )

    await form.getByRole("button", { name: "Save channel" }).click()
    await page.getByText("The channel was saved").waitFor({ timeout: 15_000 })
    contextId = (await form.getAttribute("data-context")) ?? ""
    await shots("context-builder")

    const stored = await t.client.call(contexts.getContext, { params: { contextId } })
    expect(stored.name).toBe("Safety at work")
    expect(stored.maxFiles).toBe(2)
    expect(stored.questionnaire.map((q) => [q.type, q.label, q.required])).toEqual([
      ["text", "What happened?", true],
      ["select", "Where?", false],
      ["date", "When did it happen?", false],
      ["checkbox", "I was there myself", false],
    ])
    expect(stored.questionnaire[0]?.help).toBe("In your own words.")
    expect(stored.questionnaire[1]?.options).toEqual(["Warehouse", "Office", "Yard"])
    const signed = await t.client.call(contexts.getContextDirectory, { params: { contextId } })
    const { directory } = verifyDirectory(signed, toBase64url(admin.signing.publicKey))
    expect(directory.context).toBe(contextId)
    expect(directory.recipients).toEqual([
      {
        id: rita.userId,
        name: "Rita Rossi",
        recipient: rita.recipient,
        signer: expect.any(String),
      },
    ])
  })

  it("reopens the channel from the list and shows a relay validation error at its field", async () => {
    await nav("Channels", "Channels")
    await page.getByRole("link", { name: "Edit Safety at work" }).click()
    await page.getByRole("heading", { level: 1, name: "Edit channel" }).waitFor()
    const form = page.getByRole("form", { name: "Channel" })
    const field2 = form.getByRole("listitem", { name: "Field 2", exact: true })
    await expect(field2.getByLabel("Question").inputValue({ timeout: 15_000 })).resolves.toBe(
      "Where?",
    )
    await expect(form.locator('input[name="recipient"][value="rita"]').isChecked()).resolves.toBe(
      true,
    )
    await form.getByLabel("Tips expire after (days)").fill("99999")
    await form.getByRole("button", { name: "Save channel" }).click()
    await form.getByText("A whole number of days from 1 to 3650.").waitFor({ timeout: 15_000 })
    await expect(
      form.getByLabel("Tips expire after (days)").getAttribute("aria-invalid"),
    ).resolves.toBe("true")
    await form.getByLabel("Tips expire after (days)").fill("30")
    await form.getByRole("button", { name: "Save channel" }).click()
    await page.getByText("The channel was saved").waitFor({ timeout: 15_000 })
    const stored = await t.client.call(contexts.getContext, { params: { contextId } })
    expect(stored.expiryDays).toBe(30)
  })

  it("resets the recipient's password with escrow; the identity opens to the same key", async () => {
    await nav("Users", "Users")
    const row = page.locator('[data-user="rita"]')
    await row.getByRole("button", { name: "Reset password (escrow)" }).click()
    const confirm = page.getByRole("form", { name: "Reset the password of rita with escrow" })
    await confirm.getByLabel(/Type your own password/).fill(admin.password)
    await confirm.getByRole("button", { name: "Reset password" }).click()
    const otp = page.locator("[data-otp]")
    await otp.waitFor({ timeout: 30_000 })
    const oneTimePassword = (await otp.textContent())?.trim() ?? ""
    const again = await login(t, "rita", oneTimePassword)
    expect(again.stage).toBe("password-change")
    expect(again.identity).toBeDefined()
    expect(await recipientOf(again.identity ?? "")).toBe(rita.recipient)
    await page.getByRole("button", { name: "I have handed it over" }).click()
  })

  it("renames the node", async () => {
    await nav("Settings", "Node settings")
    await page.getByLabel("Node name").fill("Renamed node")
    await page.getByRole("button", { name: "Save settings" }).click()
    await page.locator('[data-node-name="Renamed node"]').waitFor({ timeout: 15_000 })
    await expect(page.getByLabel("Node name").inputValue()).resolves.toBe("Renamed node")
    expect((await t.client.call(accounts.getNode)).name).toBe("Renamed node")
  })

  it("counts a tip in the stats", async () => {
    await submitTip(
      t,
      contextId,
      [{ userId: rita.userId, name: "Rita Rossi", recipient: rita.recipient }],
      {
        "text-1": "a forklift tipped over",
      },
    )
    await nav("Stats", "Stats")
    const cell = page.locator(`tr[data-context="${contextId}"] [data-tips]`)
    await cell.waitFor({ timeout: 15_000 })
    await expect(cell.textContent()).resolves.toBe("1")
    await page
      .locator(`tr[data-context="${contextId}"] th`, { hasText: "Safety at work" })
      .waitFor({ timeout: 15_000 })
  })

  it("shows the account creation in the audit log, filtered", async () => {
    await nav("Audit log", "Audit log")
    const entries = page.getByRole("list", { name: "Audit entries" }).getByRole("listitem")
    await entries.first().waitFor({ timeout: 15_000 })
    // Newest first: the tip came last.
    await expect(entries.first().getAttribute("data-action")).resolves.toBe("tip.created")
    await page.getByLabel("Action").selectOption({ label: "Account created" })
    await expect(entries.count()).resolves.toBe(1)
    await expect(entries.first().textContent()).resolves.toContain("on Rita Rossi (rita)")
    await page.getByLabel(/Actor/).fill("nobody-at-all")
    await expect(entries.count()).resolves.toBe(0)
    await page.getByLabel(/Actor/).fill(admin.username)
    await expect(entries.count()).resolves.toBe(1)
    await shots("audit")
    expect(w.problems).toEqual([])
  })
  it("gives the node keys to a new admin, resets their second factor after re-auth, deletes them", async () => {
    const made = await createUser(t, admin, "ada", { role: "admin", name: "Ada Admin" })
    const ada = await firstLogin(t, "ada", made.oneTimePassword)
    await nav("Users", "Users")
    const row = page.locator('[data-user="ada"]')
    await row.getByText("No node keys").waitFor({ timeout: 15_000 })
    await row.getByRole("button", { name: "Give node keys" }).click()
    await page.getByText("The node keys were given to Ada Admin.").waitFor({ timeout: 15_000 })
    // The list reloads after the message: wait for the row to lose the button.
    await expect
      .poll(() => row.getByRole("button", { name: "Give node keys" }).count(), { timeout: 15_000 })
      .toBe(0)
    const opened = await login(t, "ada", ada.password)
    expect(opened.signing?.publicKey).toEqual(admin.signing.publicKey)
    expect(opened.escrow).toBe(admin.escrow?.identity)

    await enrolTotp(t, opened.session)
    expect((await login(t, "ada", ada.password)).stage).toBe("second-factor")
    await page.getByRole("button", { name: "Reload the list" }).click()
    await row.getByText("Second factor on").waitFor({ timeout: 15_000 })
    await row.getByRole("button", { name: "Reset second factors" }).click()
    const dialog = page.getByRole("form", { name: "Reset the second factors of ada" })
    await dialog.getByLabel(/Type your own password/).fill("not my password")
    await dialog.getByRole("button", { name: "Reset second factors" }).click()
    await dialog.getByText("That is not your password.").waitFor({ timeout: 15_000 })
    expect((await login(t, "ada", ada.password)).stage).toBe("second-factor")
    await dialog.getByLabel(/Type your own password/).fill(admin.password)
    await dialog.getByRole("button", { name: "Reset second factors" }).click()
    await page
      .getByText("The second factors of Ada Admin were removed")
      .waitFor({ timeout: 15_000 })
    expect((await login(t, "ada", ada.password)).stage).toBe("full")
    await row.getByText("No second factor").waitFor({ timeout: 15_000 })

    await row.getByRole("button", { name: "Delete" }).click()
    const del = page.getByRole("form", { name: "Delete ada" })
    await del.getByLabel(/Type your own password/).fill("not my password")
    await del.getByRole("button", { name: "Delete ada" }).click()
    await del.getByText("That is not your password.").waitFor({ timeout: 15_000 })
    expect((await login(t, "ada", ada.password)).stage).toBe("full")
    await del.getByLabel(/Type your own password/).fill(admin.password)
    await del.getByRole("button", { name: "Delete ada" }).click()
    await row.waitFor({ state: "detached", timeout: 15_000 })
    const { users } = await t.client.call(accounts.listUsers, { session: admin.session })
    expect(users.map((u) => u.username).sort()).toEqual([admin.username, "rita"].sort())
    expect(w.problems).toEqual([])
  })

  // Issue 13 onboarding bug 2: an account with no key yet was silently missing from the editor.
  it("shows a recipient who has not logged in as waiting, selectable once they have a key", async () => {
    const made = await createUser(t, admin, "walt", { role: "recipient", name: "Walt Waiting" })
    await nav("Channels", "Channels")
    await page.getByRole("link", { name: "New channel" }).click()
    await page.getByRole("heading", { level: 1, name: "New channel" }).waitFor()
    const form = page.getByRole("form", { name: "Channel" })
    const walt = form.locator('input[name="recipient"][value="walt"]')
    await walt.waitFor({ timeout: 15_000 })
    await expect(walt.isDisabled()).resolves.toBe(true)
    await expect(form.locator('[data-waiting="walt"]').textContent()).resolves.toContain(
      "waiting for first login",
    )
    await firstLogin(t, "walt", made.oneTimePassword)
    await form.getByRole("button", { name: "Reload the accounts" }).click()
    await expect.poll(() => walt.isEnabled(), { timeout: 15_000 }).toBe(true)
    await walt.check()
    await expect(form.locator('[data-waiting="walt"]').count()).resolves.toBe(0)
    expect(w.problems).toEqual([])
  })

  it("states plainly what a lost password means when escrow is off, and offers no reset", async () => {
    const t2 = await startAppRelay()
    try {
      const admin2 = await setupNode(t2, { escrow: false, nodeName: "No escrow node" })
      const made = await createUser(t2, admin2, "otto")
      await firstLogin(t2, "otto", made.oneTimePassword)
      const w2 = await openPage(browser, { width: 360, height: 800 })
      const p = w2.page
      await p.goto(`${t2.baseUrl}/staff`)
      await p.getByLabel("Username").fill(admin2.username)
      await p.getByLabel("Password").fill(admin2.password)
      await p.getByRole("button", { name: "Log in" }).click()
      await p.waitForURL(/\/staff\/inbox$/, { timeout: 15_000 })
      await p.getByRole("link", { name: "Admin", exact: true }).click()
      const row = p.locator('[data-user="otto"]')
      await row.waitFor({ timeout: 15_000 })
      await expect(p.locator("[data-escrow]").textContent()).resolves.toContain(
        "loses both their password and their recovery key loses access",
      )
      await expect(row.getByRole("button", { name: /Reset password/ }).count()).resolves.toBe(0)
      await row.getByRole("button", { name: "Disable" }).click()
      await row.getByRole("button", { name: "Enable" }).waitFor({ timeout: 15_000 })
      await row.getByText("Disabled").waitFor()
      expect(w2.problems).toEqual([])
      await w2.context.close()
    } finally {
      await t2.destroy()
    }
  })
})
