import { randomBytes } from "node:crypto"
import { evaluateOprf, fromBase64url, oprfKeyFromSeed, toBase64url } from "@sotto/crypto-core"
import { accounts, oprf, wb } from "@sotto/protocol"
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { launchBrowser, openPage, screenshot, startAppRelay } from "../e2e/_browser.js"
import { type PreparedNode, prepareNode } from "../e2e/_node.js"
import type { StaffActor } from "../relay/_actors.js"
import type { TestRelay } from "../relay/_harness.js"
import { type EvilRelay, startEvilRelay } from "./_evilRelay.js"

// Issue 12 in the real PWA: the relay answers the OPRF evaluation of a staff password and of a
// receipt under a key the signed manifest does not list (it could give each person their own key
// and test their password offline), or with the right key but a proof that does not verify. The
// page must refuse, say why in words, and send nothing derived from the secret afterwards: no
// login, no auth key, no second evaluation. Seen failing before the PWA used the OPRF: the page
// derived v1 keys, ignored the evaluation route entirely and posted a login (the relay answered
// "username and password do not match"); the receipt login posted a v1 auth key to wbLogin.
// Also: a browser that saw an account log in on the OPRF refuses the relay's params answer
// without `oprf` for it (a downgrade to the v1 derivation), sending no evaluation and no login.

type Mode = "honest" | "otherKey" | "forgedProof" | "downgrade"

let browser: Browser
let t: TestRelay
let evil: EvilRelay
let node: PreparedNode
let rosa: StaffActor
let mode: Mode = "honest"
const other = oprfKeyFromSeed(randomBytes(32))

beforeAll(async () => {
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay()])
  evil = await startEvilRelay(t.baseUrl)
  node = await prepareNode(t, { recipients: 1, oprf: true })
  const first = node.recipients[0]
  if (!first) throw new Error("no recipient")
  rosa = first
  evil.onResponse((req, res) => {
    if (mode === "downgrade" && req.path === accounts.getAuthParams.path) {
      // The account's params as a v1 account's: without `oprf`.
      const { oprf: _dropped, ...v1 } = res.json() as { oprf?: string }
      return { body: v1 }
    }
    if (mode !== "otherKey" && mode !== "forgedProof") return undefined
    if (req.method !== "POST" || req.path !== oprf.oprfEvaluate.path) {
      return undefined
    }
    if (res.status !== 200) return undefined
    const real = res.json() as { evaluated: string; proof: string; key: string }
    const blinded = fromBase64url("blinded", (req.json() as { blinded: string }).blinded)
    const mine = evaluateOprf(other, blinded)
    return {
      body:
        mode === "otherKey"
          ? // A valid evaluation and proof, under a key of the relay's choosing.
            {
              evaluated: toBase64url(mine.evaluated),
              proof: toBase64url(mine.proof),
              key: toBase64url(other.publicKey),
            }
          : // Another key's evaluation passed off as the manifest key's: the proof cannot hold.
            {
              evaluated: toBase64url(mine.evaluated),
              proof: toBase64url(mine.proof),
              key: real.key,
            },
    }
  })
}, 180_000)
afterAll(async () => {
  await browser?.close()
  await evil?.close()
  await t?.destroy()
})

const posted = (path: string) => evil.seen.filter((x) => x.method === "POST" && x.url === path)

/** Requests after the last (tampered) evaluation. */
function afterEvaluation() {
  const at = evil.seen.findLastIndex((x) => x.url === oprf.oprfEvaluate.path)
  expect(at).toBeGreaterThanOrEqual(0)
  expect(evil.seen[at]?.tampered).toBe(true)
  return evil.seen.slice(at + 1)
}

async function staffLoginRefused(words: string, shot: string): Promise<void> {
  evil.clear()
  const { page, problems } = await openPage(browser, { width: 360, height: 800 })
  await page.goto(`${evil.baseUrl}/staff`)
  await page.getByLabel("Username").fill(rosa.username)
  await page.getByLabel("Password").fill(rosa.password)
  await page.getByRole("button", { name: "Log in" }).click()
  const alert = page.getByRole("alert")
  await alert.waitFor({ timeout: 60_000 })
  expect(await alert.textContent()).toContain(words)
  await screenshot(page, shot)
  expect(page.url()).toMatch(/\/staff\/?$/)
  expect(await page.getByRole("progressbar").count()).toBe(0)
  const later = afterEvaluation()
  console.log(
    `${mode}: after the evaluation the relay saw`,
    later.map((x) => `${x.method} ${x.url}`),
  )
  expect(later.filter((x) => x.method === "POST")).toEqual([])
  expect(posted(accounts.login.path)).toEqual([])
  expect(evil.sawText(rosa.password)).toBe(false)
  expect(problems).toEqual([])
}

describe("a relay evaluating a staff password's OPRF under another key", () => {
  it("logs in through the OPRF when the relay does not tamper (control)", async () => {
    mode = "honest"
    evil.clear()
    const { page } = await openPage(browser, { width: 360, height: 800 })
    await page.goto(`${evil.baseUrl}/staff`)
    await page.getByLabel("Username").fill(rosa.username)
    await page.getByLabel("Password").fill(rosa.password)
    await page.getByRole("button", { name: "Log in" }).click()
    await page.waitForURL(/\/staff\/(inbox|account|console)/, { timeout: 60_000 })
    const urls = evil.seen.filter((x) => x.method === "POST").map((x) => x.url)
    expect(urls.indexOf(oprf.oprfEvaluate.path)).toBeGreaterThanOrEqual(0)
    expect(urls.indexOf(oprf.oprfEvaluate.path)).toBeLessThan(urls.indexOf(accounts.login.path))
  })

  it("refuses an evaluation under a key the manifest does not list", async () => {
    mode = "otherKey"
    await staffLoginRefused("a key this node has not signed", "evil-oprf-key-staff-360")
  })

  it("refuses an evaluation whose proof does not verify under the manifest key", async () => {
    mode = "forgedProof"
    await staffLoginRefused("without a valid proof", "evil-oprf-proof-staff-360")
  })
})

describe("a relay answering an OPRF account's params as a v1 account's", () => {
  it("is refused in a browser that saw the account on the OPRF, before any key is sent", async () => {
    mode = "honest"
    const seen = await openPage(browser, { width: 360, height: 800 })
    await seen.page.goto(`${evil.baseUrl}/staff`)
    await seen.page.getByLabel("Username").fill(rosa.username)
    await seen.page.getByLabel("Password").fill(rosa.password)
    await seen.page.getByRole("button", { name: "Log in" }).click()
    await seen.page.waitForURL(/\/staff\/(inbox|account|console)/, { timeout: 60_000 })
    mode = "downgrade"
    evil.clear()
    const page = await seen.context.newPage()
    await page.goto(`${evil.baseUrl}/staff`)
    await page.getByLabel("Username").fill(rosa.username)
    await page.getByLabel("Password").fill(rosa.password)
    await page.getByRole("button", { name: "Log in" }).click()
    const alert = page.getByRole("alert")
    await alert.waitFor({ timeout: 60_000 })
    expect(await alert.textContent()).toContain("older, weaker way")
    await screenshot(page, "evil-oprf-downgrade-staff-360")
    expect(evil.seen.some((x) => x.tampered)).toBe(true)
    expect(posted(accounts.login.path)).toEqual([])
    expect(posted(oprf.oprfEvaluate.path)).toEqual([])
    expect(seen.problems).toEqual([])
    mode = "honest"
  })
})

describe("a relay evaluating a receipt's OPRF under another key", () => {
  let receipt = ""

  it("submits a report with an OPRF receipt when the relay does not tamper (control)", async () => {
    mode = "honest"
    evil.clear()
    const { page, problems } = await openPage(browser, { width: 360, height: 740 })
    await page.goto(`${evil.baseUrl}/report/${encodeURIComponent(node.contextId)}`)
    await page.getByText("Their keys were checked").waitFor({ timeout: 20_000 })
    await page.getByLabel("What happened?").fill("The OPRF receipt")
    await page.getByRole("button", { name: "Send report" }).click()
    await page.waitForURL(/\/receipt$/, { timeout: 90_000 })
    receipt = (await page.locator(".receipt").textContent()) ?? ""
    expect(receipt).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/)
    expect(posted(oprf.oprfEvaluate.path).length).toBeGreaterThanOrEqual(1)
    expect(posted(wb.submitTip.path)).toHaveLength(1)
    expect(problems).toEqual([])
  })

  for (const [which, words] of [
    ["otherKey", "a key this node has not signed"],
    ["forgedProof", "without a valid proof"],
  ] as const) {
    it(`refuses the receipt login on ${which} and sends no auth key`, async () => {
      expect(receipt).not.toBe("")
      mode = which
      evil.clear()
      const { page, problems } = await openPage(browser, { width: 360, height: 740 })
      await page.goto(`${evil.baseUrl}/return`)
      await page.getByLabel("Receipt", { exact: true }).fill(receipt)
      await page.getByRole("button", { name: "Log in" }).click()
      const alert = page.getByRole("alert").first()
      await alert.waitFor({ timeout: 60_000 })
      expect(await alert.textContent()).toContain(words)
      await screenshot(page, `evil-oprf-${which}-receipt-360`)
      expect(page.url()).toMatch(/\/return$/)
      expect(afterEvaluation().filter((x) => x.method === "POST")).toEqual([])
      expect(posted(wb.wbLogin.path)).toEqual([])
      expect(evil.sawText(receipt.replaceAll(" ", ""))).toBe(false)
      expect(problems).toEqual([])
    })
  }

  it("logs back in with the receipt once the relay answers honestly", async () => {
    mode = "honest"
    evil.clear()
    const { page, problems } = await openPage(browser, { width: 360, height: 740 })
    await page.goto(`${evil.baseUrl}/return`)
    await page.getByLabel("Receipt", { exact: true }).fill(receipt)
    await page.getByRole("button", { name: "Log in" }).click()
    await page.waitForURL(/\/my-report$/, { timeout: 90_000 })
    expect(posted(oprf.oprfEvaluate.path).length).toBeGreaterThanOrEqual(1)
    expect(problems).toEqual([])
  })
})
