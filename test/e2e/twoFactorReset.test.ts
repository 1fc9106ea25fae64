import { contexts } from "@sotto/protocol"
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  createRecipient,
  escrowReset,
  firstLogin,
  login,
  type NodeAdmin,
  type StaffActor,
  setupNode,
} from "../relay/_actors.js"
import type { TestRelay } from "../relay/_harness.js"
import { enrolTotp } from "../relay/_twoFactor.js"
import { launchBrowser, openPage, startAppRelay, type WatchedPage } from "./_browser.js"
import { contextBody, type Listed, submitTip, type Whistleblower } from "./_recipientWb.js"
import { oathtool, passwordLogin, verifyInBrowser } from "./_twoFactorUi.js"

// The second step before a forced password change: a recipient with TOTP whose password an admin
// reset with the escrow key logs in with the one-time password, proves the app code, and only
// then gets the sealed identity; the new password reseals it and an earlier tip still opens.

const NEW_PASSWORD = "lantern quiver saffron 3307 dune"
let browser: Browser
let t: TestRelay
let w: WatchedPage
let page: Page
let admin: NodeAdmin
let eve: StaffActor
let secret: string
let oneTimePassword: string
let wbUser: Whistleblower
const answer = `the warehouse stock is counted twice ${Date.now()}`

beforeAll(async () => {
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay()])
  admin = await setupNode(t, { escrow: true })
  const account = await createRecipient(t, admin, "eve")
  eve = await firstLogin(t, "eve", account.oneTimePassword)
  const listed: Listed[] = [{ userId: eve.userId, name: "Eve E.", recipient: eve.recipient }]
  await t.client.call(contexts.createContext, {
    session: admin.session,
    body: { id: "ctx-stock", ...contextBody(admin, "ctx-stock", listed, new Date()) },
  })
  wbUser = await submitTip(t, "ctx-stock", listed, { what: answer })
  ;({ secret } = await enrolTotp(t, eve.session))
  oneTimePassword = await escrowReset(t, admin, eve.userId)
  w = await openPage(browser)
  page = w.page
})
afterAll(async () => {
  await browser?.close()
  await t?.destroy()
})

describe("second factor, then the password change after an escrow reset", () => {
  it("the one-time password leads to the second step first, and only then to the new password", async () => {
    const before = await login(t, "eve", oneTimePassword)
    expect(before.stage).toBe("second-factor")
    expect(before.sealedIdentity).toBeUndefined()
    await passwordLogin(page, t.baseUrl, "eve", oneTimePassword, /\/staff\/second-factor$/)
    const code = oathtool(secret, Date.now() + 30_000)
    expect(await verifyInBrowser(page, "Code from your authenticator app", code)).toBe(200)
    await page.waitForURL(/\/staff\/password$/, { timeout: 15_000 })
    expect(await page.locator("main").textContent()).toContain(
      "An administrator reset your password",
    )
  })

  it("the new password reseals the same identity: the earlier tip still opens", async () => {
    await page.locator("input[name=new-password]").fill(NEW_PASSWORD)
    await page.locator("input[name=confirm-password]").fill(NEW_PASSWORD)
    await page.getByRole("button", { name: "Set password" }).click()
    await page.waitForURL(/\/staff\/inbox$/, { timeout: 30_000 })
    await page.locator(`[data-tip-id="${wbUser.tipId}"]`).click()
    await expect
      .poll(() => page.getByTestId("answers").textContent(), { timeout: 15_000 })
      .toContain(answer)
    const after = await login(t, "eve", NEW_PASSWORD)
    expect(after.stage).toBe("second-factor")
    expect(w.problems).toEqual([])
  })
})
