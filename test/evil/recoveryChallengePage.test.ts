import { formatRecoveryKey, toBase64url, utf8 } from "@sotto/crypto-core"
import { accounts } from "@sotto/protocol"
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { launchBrowser, openPage, screenshot, startAppRelay } from "../e2e/_browser.js"
import { createUser, firstLogin, login, type StaffActor, setupNode } from "../relay/_actors.js"
import type { TestRelay } from "../relay/_harness.js"
import { type EvilRelay, startEvilRelay } from "./_evilRelay.js"

// Attack 1 (issue 10) in the real PWA: the /staff/recover page, served through a relay that
// answers the recovery challenge with the user's own sealed identity. The page must explain the
// refusal and post nothing derived from what it opened.

let browser: Browser
let t: TestRelay
let evil: EvilRelay
let rosa: StaffActor
let sealedAge: string

beforeAll(async () => {
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay()])
  evil = await startEvilRelay(t.baseUrl)
  const admin = await setupNode(t, { nodeName: "Evil recovery node" })
  const made = await createUser(t, admin, "rosa", { name: "Rosa R." })
  rosa = await firstLogin(t, "rosa", made.oneTimePassword)
  const again = await login(t, "rosa", rosa.password)
  if (!again.sealedIdentity) throw new Error("rosa has no sealed identity")
  sealedAge = again.sealedIdentity.age
})
afterAll(async () => {
  await browser?.close()
  await evil?.close()
  await t?.destroy()
})

describe("the recovery page behind a relay that sends the sealed identity as the challenge", () => {
  it("shows an explanation and sends nothing of the identity back", async () => {
    evil.onResponse((req, res) => {
      if (req.path !== accounts.recoveryChallenge.path) return undefined
      const real = res.json() as { challengeId: string }
      return { body: { challengeId: real.challengeId, sealed: sealedAge } }
    })
    const { page } = await openPage(browser, { width: 360, height: 800 })
    await page.goto(`${evil.baseUrl}/staff/recover`)
    await page.getByLabel("Username").fill("rosa")
    await page.getByLabel("Recovery key").fill(formatRecoveryKey(rosa.recoveryKey))
    await page.getByRole("button", { name: "Continue" }).click()
    const alert = page.getByRole("alert")
    await alert.waitFor({ timeout: 20_000 })
    expect(await alert.textContent()).toContain(
      "The server sent something other than a recovery challenge",
    )
    await screenshot(page, "evil-recovery-challenge-360")
    expect(page.url()).toMatch(/\/staff\/recover$/)
    expect(evil.sawText(rosa.identity)).toBe(false)
    const leakedPlain = toBase64url(utf8(`sotto/v1/account-identity\n${rosa.identity}`))
    expect(evil.sawText(leakedPlain)).toBe(false)
    expect(evil.seen.some((x) => x.url.startsWith(accounts.recoveryVerify.path))).toBe(false)
  })
})
