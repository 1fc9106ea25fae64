import { randomBytes } from "node:crypto"
import {
  authVerifier,
  deriveReceiptKeys,
  fromBase64url,
  type NodeManifest,
  toBase64url,
} from "@sotto/crypto-core"
import { accounts, wb } from "@sotto/protocol"
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { launchBrowser, openPage, startAppRelay } from "../e2e/_browser.js"
import { type PreparedNode, prepareNode } from "../e2e/_node.js"
import type { TestRelay } from "../relay/_harness.js"
import { type EvilRelay, startEvilRelay } from "./_evilRelay.js"

// The relay must not set the client's KDF parameters: GET /node carries an unsigned copy of the
// receipt salt, params and pattern beside the signed manifest. The evil relay rewrites that copy
// (another salt) and leaves the manifest intact. The PWA must stretch the receipt with the
// manifest's salt and params only, on submit and on the receipt login: what reaches the relay is
// what the manifest's settings give for the shown receipt, and the person can log back in.
// Seen failing before the fix: the submit page used the manifest's salt, the receipt login the
// relay's, so the shown receipt was refused ("wrong receipt") and the login's authKey differed.

let browser: Browser
let t: TestRelay
let evil: EvilRelay
let node: PreparedNode
let manifest: NodeManifest

beforeAll(async () => {
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay()])
  evil = await startEvilRelay(t.baseUrl)
  node = await prepareNode(t, { recipients: 1 })
  manifest = (await t.client.call(accounts.getNode)).manifest.body
  const forgedSalt = toBase64url(randomBytes(16))
  evil.onResponse((req, res) => {
    if (req.path !== accounts.getNode.path || req.method !== "GET") return undefined
    const real = res.json() as { receipt: object }
    return { body: { ...real, receipt: { ...real.receipt, salt: forgedSalt } } }
  })
})
afterAll(async () => {
  await browser?.close()
  await evil?.close()
  await t?.destroy()
})

/** The body of the last POST to `path` through the evil relay. */
function lastBody(path: string): Record<string, unknown> {
  const x = evil.seen.findLast((e) => e.method === "POST" && e.url === path)
  if (!x) throw new Error(`nothing was posted to ${path}`)
  return JSON.parse(x.requestBody.toString("utf8")) as Record<string, unknown>
}

/** The receipt's keys under the signed manifest's settings, computed here with crypto-core. */
function signedKeys(receipt: string) {
  const { salt, params, pattern } = manifest.receipt
  return deriveReceiptKeys(receipt, fromBase64url("salt", salt), params, pattern)
}

describe("a relay rewriting the receipt salt of GET /node", () => {
  let receipt = ""

  it("really serves another salt than the signed manifest (control)", async () => {
    const served = (await (await fetch(`${evil.baseUrl}${accounts.getNode.path}`)).json()) as {
      receipt: { salt: string }
    }
    expect(served.receipt.salt).not.toBe(manifest.receipt.salt)
  })

  it("submits with the keys the signed manifest gives for the shown receipt", async () => {
    const { page, problems } = await openPage(browser, { width: 360, height: 740 })
    await page.goto(`${evil.baseUrl}/report/${encodeURIComponent(node.contextId)}`)
    await page.getByText("Their keys were checked").waitFor({ timeout: 20_000 })
    await page.getByLabel("What happened?").fill("Keys from the signed salt only")
    await page.getByRole("button", { name: "Send report" }).click()
    await page.waitForURL(/\/receipt$/, { timeout: 60_000 })
    receipt = (await page.locator(".receipt").textContent()) ?? ""
    expect(receipt).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/)
    const keys = await signedKeys(receipt)
    const sent = lastBody(wb.submitTip.path)
    console.log("submit: verifier sent", sent.wbAuthVerifier)
    expect(sent.wbAuthVerifier).toBe(toBase64url(authVerifier(keys.authKey)))
    expect(problems).toEqual([])
  })

  it("logs back in with the shown receipt, stretched with the signed salt", async () => {
    expect(receipt).not.toBe("")
    evil.clear()
    const { page, problems } = await openPage(browser, { width: 360, height: 740 })
    await page.goto(`${evil.baseUrl}/return`)
    await page.getByLabel("Receipt", { exact: true }).fill(receipt)
    await page.getByRole("button", { name: "Log in" }).click()
    const outcome = await Promise.race([
      page.waitForURL(/\/my-report$/, { timeout: 60_000 }).then(() => "logged in"),
      page
        .getByRole("alert")
        .first()
        .waitFor({ timeout: 60_000 })
        .then(async () => `refused: ${await page.getByRole("alert").first().textContent()}`),
    ])
    const keys = await signedKeys(receipt)
    const sent = lastBody(wb.wbLogin.path)
    console.log("login:", outcome, "| authKey sent", sent.authKey)
    expect(sent.authKey).toBe(toBase64url(keys.authKey))
    expect(outcome).toBe("logged in")
    expect(problems).toEqual([])
  })
})
