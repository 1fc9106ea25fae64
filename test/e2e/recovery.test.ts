import { formatRecoveryKey } from "@sotto/crypto-core"
import { contexts } from "@sotto/protocol"
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  createUser,
  firstLogin,
  login,
  type NodeAdmin,
  relayError,
  type StaffActor,
  setupNode,
} from "../relay/_actors.js"
import type { TestRelay } from "../relay/_harness.js"
import { startMailServer, type TestMailServer } from "../relay/_mailServer.js"
import { enrolTotp } from "../relay/_twoFactor.js"
import { launchBrowser, openPage, screenshot, startAppRelay, type WatchedPage } from "./_browser.js"
import { contextBody, submitTip } from "./_recipientWb.js"
import { oathtool, verifyInBrowser } from "./_twoFactorUi.js"

// Issue 6, recovery: a recipient who forgot their password logs in with the recovery key shown at
// their first login (grouped form, typed with a typo first), sets a new password, and still reads
// a tip wrapped to them before; Node then logs in with the new password.

const NEW_PASSWORD = "copper meadow 7264 glacier violin"

let browser: Browser
let t: TestRelay
let smtp: TestMailServer
let admin: NodeAdmin
let rosa: StaffActor
let w: WatchedPage
const story = `the tender was rigged ${Date.now()}`

beforeAll(async () => {
  smtp = await startMailServer()
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay({ SMTP_URL: smtp.url })])
  admin = await setupNode(t, { nodeName: "Recovery node", oprf: true })
  const made = await createUser(t, admin, "rosa", { name: "Rosa R.", email: "rosa@example.org" })
  rosa = await firstLogin(t, "rosa", made.oneTimePassword)
  const people = [{ userId: rosa.userId, name: "Rosa R.", recipient: rosa.recipient }]
  await t.client.call(contexts.createContext, {
    session: admin.session,
    body: { id: "tenders", ...contextBody(admin, "tenders", people, new Date()) },
  })
  await submitTip(t, "tenders", people, { what: story })
})
afterAll(async () => {
  await browser?.close()
  await t?.destroy()
  await smtp?.close()
})

describe("logging in with the recovery key", () => {
  it("finds the recovery page from the login and reports a typo with its position", async () => {
    w = await openPage(browser, { width: 360, height: 800 })
    const { page } = w
    await page.goto(`${t.baseUrl}/staff`)
    await page.getByRole("link", { name: "Forgot your password? Use your recovery key" }).click()
    await page.waitForURL(/\/staff\/recover$/, { timeout: 15_000 })
    await page.getByRole("heading", { level: 1, name: "Log in with your recovery key" }).waitFor()

    const grouped = formatRecoveryKey(rosa.recoveryKey)
    expect(grouped).toMatch(/^([0-9A-Z]{4} ){14}[0-9A-Z]{2}$/)
    // "O" never appears in a recovery key (Bech32): the 6th character, in the second group.
    const typo = `${grouped.slice(0, 6)}O${grouped.slice(7)}`
    await page.getByLabel("Username").fill("rosa")
    await page.getByLabel("Recovery key").fill(typo.toLowerCase())
    await page.getByRole("button", { name: "Continue" }).click()
    const alert = page.getByRole("alert")
    await alert.waitFor({ timeout: 15_000 })
    const text = (await alert.textContent()) ?? ""
    expect(text).toContain("This recovery key has a typo")
    expect(text).toContain('character 6 ("O")')
    expect(text).toContain('did you mean "0"?')
    expect(page.url()).toMatch(/\/staff\/recover$/)
    await screenshot(page, "recovery-typo-360")
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    )
    expect(overflow, "the recovery page scrolls sideways at 360 px").toBeLessThanOrEqual(0)
  })

  it("recovers with the right key, forces a new password, and the earlier tip opens", async () => {
    const { page } = w
    await page.getByLabel("Recovery key").fill(formatRecoveryKey(rosa.recoveryKey))
    await page.getByRole("button", { name: "Continue" }).click()
    await page.waitForURL(/\/staff\/password$/, { timeout: 15_000 })
    await page.getByText("You opened your account with your recovery key").waitFor()
    await screenshot(page, "recovery-password-360")
    await page.locator("input[name=new-password]").fill(NEW_PASSWORD)
    await page.locator("input[name=confirm-password]").fill(NEW_PASSWORD)
    await page.getByRole("button", { name: "Set password" }).click()
    await page.waitForURL(/\/staff\/inbox$/, { timeout: 30_000 })
    await page.locator(".tip-row").first().click({ timeout: 15_000 })
    const answers = page.getByTestId("answers")
    await answers.waitFor({ timeout: 30_000 })
    expect(await answers.textContent()).toContain(story)
    expect(w.problems).toEqual([])
  })

  it("lets Node log in with the new password only, and mailed the user", async () => {
    const after = await login(t, "rosa", NEW_PASSWORD)
    expect([after.stage, after.identity]).toEqual(["full", rosa.identity])
    expect((await relayError(login(t, "rosa", rosa.password))).code).toBe("WRONG_CREDENTIALS")
    await expect
      .poll(
        async () => {
          await t.relay.timers.runDue()
          const mine = smtp.received.filter((m) => m.to.includes("rosa@example.org"))
          return mine.find((m) => /recovery key/.test(m.subject))?.subject
        },
        { timeout: 15_000 },
      )
      .toBe("Your account on Recovery node was opened with its recovery key")
  })
})

describe("recovering an account that has a second factor", () => {
  it("asks for the app code after the recovery key, then for a new password", async () => {
    const made = await createUser(t, admin, "tomas", { name: "Tomas T." })
    const tomas = await firstLogin(t, "tomas", made.oneTimePassword)
    const { secret } = await enrolTotp(t, tomas.session)
    const watched = await openPage(browser, { width: 360, height: 800 })
    const { page } = watched
    await page.goto(`${t.baseUrl}/staff/recover`)
    await page.getByLabel("Username").fill("tomas")
    // The whole identity line works as well as the grouped form.
    await page.getByLabel("Recovery key").fill(tomas.recoveryKey)
    await page.getByRole("button", { name: "Continue" }).click()
    await page.waitForURL(/\/staff\/second-factor$/, { timeout: 15_000 })
    // The enrolment used this step's code: the next step's is still inside the window.
    const code = oathtool(secret, Date.now() + 30_000)
    expect(await verifyInBrowser(page, "Code from your authenticator app", code)).toBe(200)
    await page.waitForURL(/\/staff\/password$/, { timeout: 15_000 })
    await page.getByText("You opened your account with your recovery key").waitFor()
    await page.locator("input[name=new-password]").fill(NEW_PASSWORD)
    await page.locator("input[name=confirm-password]").fill(NEW_PASSWORD)
    await page.getByRole("button", { name: "Set password" }).click()
    await page.waitForURL(/\/staff\/inbox$/, { timeout: 30_000 })
    const again = await login(t, "tomas", NEW_PASSWORD)
    expect(again.stage).toBe("second-factor")
    expect(watched.problems).toEqual([])
  })
})
