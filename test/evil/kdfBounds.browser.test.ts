import type { KdfParams } from "@sotto/crypto-core"
import { accounts } from "@sotto/protocol"
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { launchBrowser, openPage, screenshot, startAppRelay } from "../e2e/_browser.js"
import { createUser, firstLogin, type StaffActor, setupNode } from "../relay/_actors.js"
import type { TestRelay } from "../relay/_harness.js"
import { type EvilRelay, startEvilRelay } from "./_evilRelay.js"

// Attack 9 (KDF part) in the real PWA: the relay answers a staff login's scrypt parameters with
// values outside the floor and ceiling of the node's signed manifest. The login page must refuse
// before deriving, say why in words (not a progress bar), and send no login (no auth key) at all.
// The Node twin is kdfBounds.test.ts.
// Seen failing with the page's checkKdfWithin call removed (lib/staffAuth.ts deriveFor): N=2^15
// derived and sent a login (the page said "username and password do not match"); N=2^24 showed
// the generic "not valid input (a key pasted only in part)". That last message also showed with
// the check in place, until checkKdfWithin named costs past the absolute maximum COSTLY_PARAMS.
// N=2^10 is refused by the workers' absolute minimum even without the page's check.

const FLOOR: KdfParams = { N: 2 ** 16, r: 8, p: 1 }
const CEILING: KdfParams = { N: 2 ** 18, r: 8, p: 1 }

let browser: Browser
let t: TestRelay
let evil: EvilRelay
let rosa: StaffActor

beforeAll(async () => {
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay()])
  evil = await startEvilRelay(t.baseUrl)
  const admin = await setupNode(t, {
    nodeName: "Evil KDF node",
    escrow: false,
    passwordKdf: FLOOR,
    kdfBounds: [FLOOR, CEILING],
  })
  const made = await createUser(t, admin, "rosa", { name: "Rosa R." })
  rosa = await firstLogin(t, "rosa", made.oneTimePassword)
}, 120_000)
afterAll(async () => {
  await browser?.close()
  await evil?.close()
  await t?.destroy()
})

/** From now on the evil relay answers every params lookup with `params` (undefined: honest). */
function serveParams(params: KdfParams | undefined): void {
  evil.onResponse((req, res) => {
    if (params === undefined || req.path !== accounts.getAuthParams.path) return undefined
    return { body: { ...(res.json() as object), params } }
  })
}

const loginSent = () => evil.seen.some((x) => x.url.startsWith(accounts.login.path))

async function tryLogin(words: string, shot?: string): Promise<void> {
  const { page, problems } = await openPage(browser, { width: 360, height: 800 })
  await page.goto(`${evil.baseUrl}/staff`)
  await page.getByLabel("Username").fill("rosa")
  await page.getByLabel("Password").fill(rosa.password)
  const started = Date.now()
  await page.getByRole("button", { name: "Log in" }).click()
  const alert = page.getByRole("alert")
  await alert.waitFor({ timeout: 20_000 })
  expect(await alert.textContent()).toContain(words)
  // Refused before deriving: no scrypt ran at the huge cost (that alone takes seconds).
  expect(Date.now() - started).toBeLessThan(10_000)
  if (shot) await screenshot(page, shot)
  expect(page.url()).toMatch(/\/staff\/?$/)
  expect(await page.getByRole("progressbar").count()).toBe(0)
  expect(loginSent()).toBe(false)
  expect(evil.sawText(rosa.password)).toBe(false)
  expect(problems).toEqual([])
}

describe("attack 9 in the staff login page: KDF parameters outside the signed bounds", () => {
  it("logs in through the evil relay when it does not tamper (control)", async () => {
    serveParams(undefined)
    const { page } = await openPage(browser, { width: 360, height: 800 })
    await page.goto(`${evil.baseUrl}/staff`)
    await page.getByLabel("Username").fill("rosa")
    await page.getByLabel("Password").fill(rosa.password)
    await page.getByRole("button", { name: "Log in" }).click()
    await page.waitForURL(/\/staff\/(inbox|account|console)/, { timeout: 30_000 })
    expect(loginSent()).toBe(true)
  })

  it("refuses N=2^10 below the floor with words and sends no login", async () => {
    serveParams({ N: 2 ** 10, r: 8, p: 1 })
    evil.clear()
    await tryLogin("below its signed minimum", "evil-kdf-floor-login-360")
  })

  it("refuses N=2^15, the absolute minimum but below the signed floor", async () => {
    serveParams({ N: 2 ** 15, r: 8, p: 1 })
    evil.clear()
    await tryLogin("below its signed minimum")
  })

  it("refuses a huge memory cost above the ceiling with words and sends no login", async () => {
    // N=2^24, r=8: 16 GiB of scrypt memory, enough to kill any phone.
    serveParams({ N: 2 ** 24, r: 8, p: 1 })
    evil.clear()
    await tryLogin("above its signed limit")
  })
})
