import {
  createTipIdentity,
  generateAgeIdentity,
  readTip,
  receiptSigningKey,
  sealAnswers,
  sealTranscriptEntry,
  signerOf,
  type TipIdentity,
  unwrapTipKey,
  wrapTipKey,
} from "@sotto/crypto-core"
import { wb } from "@sotto/protocol"
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { launchBrowser, openPage, screenshot, startAppRelay } from "../e2e/_browser.js"
import { type PreparedNode, prepareNode } from "../e2e/_node.js"
import { submitTip, type Whistleblower } from "../e2e/_recipientWb.js"
import type { TestRelay } from "../relay/_harness.js"
import { type EvilRelay, startEvilRelay } from "./_evilRelay.js"

// Attack 5 (issue 10): the relay makes its own tip key, wraps it to the whistleblower's receipt
// key (public in `wbWrap.to`), serves a forged thread ("Journalist here, call me at …") and hopes
// to read the reply. The tip binding, signed at submission with a key only the receipt gives,
// must make the whistleblower's client refuse, and nothing may be sent under the forged key.

const LURE = "Journalist here, call me at +351 912 000 111"

let browser: Browser
let t: TestRelay
let evil: EvilRelay
let node: PreparedNode
let who: Whistleblower
let receipt: string
let relayTip: TipIdentity

/** The relay's forgery: its own tip key, wrapped to the receipt, with answers and a comment. */
async function forgeFor(receiptRecipient: string) {
  relayTip = await createTipIdentity()
  // The relay cannot sign with the receipt key: it binds its tip with a key of its own.
  const { sealed, head } = await sealAnswers({
    tip: relayTip.recipient,
    receiptIdentity: await generateAgeIdentity(),
    context: node.contextId,
    questions: [{ id: "what", type: "textarea", label: "What happened?" }],
    answers: { what: "I saw the fraud" },
  })
  const comment = await sealTranscriptEntry({
    tip: relayTip.recipient,
    head,
    author: { role: "staff", id: node.recipients[0]?.userId ?? "" },
    identity: await generateAgeIdentity(),
    kind: "comment",
    content: { text: LURE },
  })
  return {
    answers: sealed,
    wbWrap: await wrapTipKey(relayTip, receiptRecipient),
    comments: [
      { id: "0001-forged", author: "recipient", createdAt: Date.now(), age: comment.sealed },
    ],
  }
}

beforeAll(async () => {
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay()])
  evil = await startEvilRelay(t.baseUrl)
  node = await prepareNode(t, { recipients: 1 })
  const submitted = await submitTip(
    t,
    node.contextId,
    node.recipients.map((r) => ({ userId: r.userId, name: "R", recipient: r.recipient })),
    { what: "The ledgers are cooked" },
  )
  who = submitted
  receipt = submitted.receipt
  const genuine = await t.client.call(wb.getWbTip, { session: who.session })
  const forged = await forgeFor(genuine.wbWrap.to[0] ?? "")
  evil.onResponse((req, res) => {
    if (req.method !== "GET" || req.path !== "/api/v1/wb/tip" || res.status !== 200)
      return undefined
    const real = res.json() as Record<string, unknown>
    return { body: { ...real, ...forged, files: [] } }
  })
})
afterAll(async () => {
  await evil?.close()
  await browser?.close()
  await t?.destroy()
})

describe("attack 5: a tip key the relay made is refused", () => {
  it("in Node: the forged wrap opens, but the binding does not verify under the receipt's key", async () => {
    const res = await fetch(`${evil.baseUrl}/api/v1/wb/tip`, {
      headers: { "x-session": who.session },
    })
    const served = (await res.json()) as Parameters<typeof readTip>[1] & { wbWrap: never }
    const key = await unwrapTipKey(served.wbWrap, who.keys.identity)
    expect(key.recipient).toBe(relayTip.recipient)
    await expect(
      readTip(key, served, {
        view: "whistleblower",
        whistleblower: signerOf(receiptSigningKey(who.keys.identity)),
        directory: [],
      }),
    ).rejects.toMatchObject({ code: "KEY_MISMATCH" })
  })

  it("in Chromium: the whistleblower's page refuses with an explanation and sends nothing", async () => {
    const w = await openPage(browser, { width: 360, height: 740 })
    const page = w.page
    await page.goto(`${evil.baseUrl}/return`)
    await page.getByLabel("Receipt", { exact: true }).fill(receipt)
    evil.clear()
    await page.getByRole("button", { name: "Log in" }).click()
    const alert = page.getByRole("alert").first()
    await expect.poll(() => alert.textContent(), { timeout: 30_000 }).toMatch(/receipt/i)
    expect(await alert.textContent()).toMatch(/not the report you made|not made with your receipt/i)
    expect(await page.getByText(LURE).count()).toBe(0)
    // No reply box for a thread the page could not authenticate.
    expect(await page.getByRole("button", { name: "Send message" }).count()).toBe(0)
    await screenshot(page, "evil5-wb-forged-tip-360")
    const writes = evil.seen.filter(
      (x) => x.method !== "GET" && /\/api\/v1\/(wb\/comments|files|tips\/)/.test(x.url),
    )
    expect(writes).toEqual([])
    await w.context.close()
  })
})
