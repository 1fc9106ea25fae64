import { randomBytes } from "node:crypto"
import { toBase64url } from "@sotto/crypto-core"
import { accounts } from "@sotto/protocol"
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { TestRelay } from "../relay/_harness.js"
import { enrolTotp } from "../relay/_twoFactor.js"
import { launchBrowser, openPage, screenshot, startAppRelay, type WatchedPage } from "./_browser.js"
import { type PreparedNode, prepareNode } from "./_node.js"
import { alertText } from "./_twoFactorUi.js"

// The lock bypass in Chromium: someone who knows only the username locks the account with wrong
// passwords; the owner's login page then offers "password + second-factor code" (and the
// recovery key), a wrong code is refused with a readable message, and password + backup code
// logs in to the inbox.

let browser: Browser
let t: TestRelay
let node: PreparedNode
let w: WatchedPage
let backupCodes: string[]

beforeAll(async () => {
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay()])
  node = await prepareNode(t)
  const [r] = node.recipients
  if (!r) throw new Error("no recipient")
  ;({ backupCodes } = await enrolTotp(t, r.session))
  // The guard's growing delays are waited out instantly; the counts and the lock are real.
  t.relay.ctx.loginGuard.sleep = async () => {}
  w = await openPage(browser, { width: 360, height: 780, allowConsoleErrors: /status of 4(01|23)/ })
})
afterAll(async () => {
  await browser?.close()
  await t?.destroy()
})

describe("logging in to a locked account", () => {
  it("offers password + code, refuses a wrong code, and logs in with a backup code", async () => {
    const { page, problems } = w
    const [r] = node.recipients
    if (!r) throw new Error("no recipient")
    // The attacker: wrong passwords until the relay says LOCKED.
    let code = ""
    for (let i = 0; i < 12 && code !== "LOCKED"; i++) {
      code = await t.client
        .call(accounts.login, {
          body: { username: r.username, authKey: toBase64url(randomBytes(32)) },
        })
        .then(
          () => "OK",
          (e: { code?: string }) => e.code ?? "",
        )
    }
    expect(code).toBe("LOCKED")

    await page.goto(`${t.baseUrl}/staff`)
    await page.getByLabel("Username").fill(r.username)
    await page.getByLabel("Password").fill(r.password)
    await page.getByRole("button", { name: "Log in" }).click()
    await expect.poll(alertText(page), { timeout: 30_000 }).toContain("locked")
    const bypass = page.getByRole("group", { name: "Your account is locked" })
    await expect.poll(() => bypass.count()).toBe(1)
    expect(await page.getByRole("link", { name: /recovery key/ }).count()).toBeGreaterThan(0)

    // A wrong authenticator code: refused, still on the login page.
    await page.getByLabel("Your authenticator code").fill("000000")
    await page.getByRole("button", { name: "Log in with password and code" }).click()
    await expect.poll(alertText(page), { timeout: 30_000 }).toMatch(/code/i)
    expect(page.url()).toMatch(/\/staff$/)
    await screenshot(page, "login-locked-360")

    // A backup code with the password gets the owner in.
    await page.getByRole("radio", { name: "Backup code" }).check()
    await page.getByLabel("Your backup code").fill(backupCodes[0] ?? "")
    await page.getByLabel("Password").fill(r.password)
    await page.getByRole("button", { name: "Log in with password and code" }).click()
    await page.waitForURL(/\/staff\/inbox$/, { timeout: 30_000 })
    expect(problems).toEqual([])
  })
})
