import { createEscrow } from "@sotto/crypto-core"
import { accounts } from "@sotto/protocol"
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { launchBrowser, openPage, screenshot, startAppRelay } from "../e2e/_browser.js"
import { createUser, firstLogin, type StaffActor, setupNode } from "../relay/_actors.js"
import type { TestRelay } from "../relay/_harness.js"
import { type EvilRelay, startEvilRelay } from "./_evilRelay.js"

// Attack 2 in the real PWA: the relay forces a password change (`stage: "password-change"`) and
// adds its own age recipient to the keyholder list (`sealed.to.escrow`) of the identity it hands
// out. The login page must refuse to open (and so to re-seal) an identity whose keyholders the
// account did not sign, say so in words, and send no re-sealed identity anywhere.
// The Node twin is keyholders.test.ts.
// Seen failing with crypto-core's keyholder comparison disabled (openWithHolders): no explanation
// appeared and the page went on past the login (the alert wait timed out).

let browser: Browser
let t: TestRelay
let evil: EvilRelay
let rosa: StaffActor
const attacker = await createEscrow()

beforeAll(async () => {
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay()])
  evil = await startEvilRelay(t.baseUrl)
  const admin = await setupNode(t, { nodeName: "Evil keyholder node", escrow: false })
  const made = await createUser(t, admin, "rosa", { name: "Rosa R." })
  rosa = await firstLogin(t, "rosa", made.oneTimePassword)
  // A compromised relay takes whatever re-sealed identity it is sent (and records it).
  evil.onRequest((req) =>
    req.path === accounts.changePassword.path ? { body: { ok: true } } : undefined,
  )
}, 120_000)
afterAll(async () => {
  await browser?.close()
  await evil?.close()
  await t?.destroy()
})

describe("attack 2 in the staff login page: a keyholder the relay added", () => {
  it("refuses the forced password change with words and sends no re-sealed identity", async () => {
    evil.onResponse((req, res) => {
      if (req.path !== accounts.login.path) return undefined
      const body = res.json() as {
        stage: string
        sealedIdentity?: { to: Record<string, string> }
      }
      if (!body.sealedIdentity) return undefined
      body.stage = "password-change"
      body.sealedIdentity.to = { ...body.sealedIdentity.to, escrow: attacker.recipient }
      return { body }
    })
    evil.clear()
    const { page, problems } = await openPage(browser, { width: 360, height: 800 })
    await page.goto(`${evil.baseUrl}/staff`)
    await page.getByLabel("Username").fill("rosa")
    await page.getByLabel("Password").fill(rosa.password)
    await page.getByRole("button", { name: "Log in" }).click()
    // If the page went on to the password form, fill it: the re-seal must still not happen.
    const alert = page.getByRole("alert").filter({ hasText: "changed after it was encrypted" })
    const form = page.getByLabel("New password", { exact: true })
    await Promise.race([
      alert.waitFor({ timeout: 30_000 }),
      form.waitFor({ timeout: 30_000 }).then(async () => {
        await form.fill("a brand new passphrase 42")
        await page.getByLabel(/Repeat|Confirm/).fill("a brand new passphrase 42")
        await page.getByRole("button", { name: /Change password|Save|Continue/ }).click()
      }),
    ])
    await alert.waitFor({ timeout: 30_000 })
    await screenshot(page, "evil-keyholders-login-360")
    expect(page.url()).toMatch(/\/staff\/?$/)
    expect(evil.seen.some((x) => x.url.startsWith(accounts.changePassword.path))).toBe(false)
    expect(evil.seen.some((x) => x.requestBody.includes("sealedIdentity"))).toBe(false)
    expect(evil.sawText(rosa.identity)).toBe(false)
    expect(problems).toEqual([])
  })
})
