import { accountSigner, sealTranscriptEntry, type TranscriptProblemCode } from "@sotto/crypto-core"
import { contexts, RelayClient } from "@sotto/protocol"
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { launchBrowser, openPage, screenshot, startAppRelay } from "../e2e/_browser.js"
import { openAsRecipient, type PreparedNode, prepareNode, staffComment } from "../e2e/_node.js"
import {
  contextBody,
  submitTip,
  type Whistleblower,
  wbComment,
  wbRead,
} from "../e2e/_recipientWb.js"
import type { StaffActor } from "../relay/_actors.js"
import type { TestRelay } from "../relay/_harness.js"
import { type EvilRelay, startEvilRelay } from "./_evilRelay.js"

// Attack 6 (issue 10): comment author, order and completeness were relay metadata. Now every
// comment is a signed, numbered, hash-chained transcript entry inside the ciphertext. The relay
// relabels an author, drops one comment, swaps two, repeats one, and slips in one appended by a
// holder who is no longer in the directory: each reader says so in words next to the message.

type Comment = { id: string; author: string; createdAt: number; age: string }
type Tamper = (comments: Comment[]) => Comment[]

let browser: Browser
let t: TestRelay
let evil: EvilRelay
let node: PreparedNode
let alice: StaffActor
let bob: StaffActor
let who: Whistleblower
let revoked: Comment
let tamper: Tamper | undefined
const TEXTS = ["W1 what I saw", "A2 thank you", "W3 more detail", "A4 who else?", "W5 the CFO"]

/** A client that talks through the evil relay (everything else of the harness stays real). */
const viaEvil = (): TestRelay => ({ ...t, client: new RelayClient(evil.baseUrl) })

beforeAll(async () => {
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay()])
  evil = await startEvilRelay(t.baseUrl)
  node = await prepareNode(t, { recipients: 2 })
  ;[alice, bob] = node.recipients as [StaffActor, StaffActor]
  who = await submitTip(
    t,
    node.contextId,
    node.recipients.map((r) => ({ userId: r.userId, name: r.username, recipient: r.recipient })),
    { what: "The ledgers are cooked" },
  )
  for (const [i, text] of TEXTS.entries()) {
    if (i % 2 === 0) await wbComment(t, who, text)
    else await staffComment(t, alice, who.tipId, text)
  }
  // Bob is then removed from the context: the directory readers trust lists Alice alone. He kept
  // the tip key; his message, signed with his own key, is slipped in at the end by the relay.
  await t.client.call(contexts.updateContext, {
    session: node.admin.session,
    params: { contextId: node.contextId },
    body: contextBody(
      node.admin,
      node.contextId,
      [
        {
          userId: alice.userId,
          name: "Alice",
          recipient: alice.recipient,
          signer: accountSigner(alice.identity),
        },
      ],
      new Date(),
    ),
  })
  const view = await openAsRecipient(t, bob, who.tipId)
  const entry = await sealTranscriptEntry({
    tip: view.tipKey.recipient,
    head: view.checked.transcript.head,
    author: { role: "staff", id: bob.userId },
    identity: bob.identity,
    kind: "comment",
    content: { text: "B6 Journalist here, call me" },
  })
  revoked = { id: "0099-injected", author: bob.userId, createdAt: Date.now(), age: entry.sealed }
  evil.onResponse((req, res) => {
    if (!tamper || req.method !== "GET" || res.status !== 200) return undefined
    if (req.path !== "/api/v1/wb/tip" && req.path !== `/api/v1/tips/${who.tipId}`) return undefined
    const body = res.json() as { comments: Comment[] }
    const staffView = req.path !== "/api/v1/wb/tip"
    const comments = tamper(body.comments).map((c) =>
      c === revoked && !staffView ? { ...c, author: "recipient" } : c,
    )
    return { body: { ...body, comments } }
  })
}, 120_000)
afterAll(async () => {
  await evil?.close()
  await browser?.close()
  await t?.destroy()
})

const relabel: Tamper = (cs) =>
  cs.map((c, i) => (i === 1 ? { ...c, author: c.author === "recipient" ? "wb" : bob.userId } : c))
const drop: Tamper = (cs) => cs.filter((_, i) => i !== 2)
const swap: Tamper = (cs) => [cs[0], cs[2], cs[1], ...cs.slice(3)] as Comment[]
const repeat: Tamper = (cs) => [...cs.slice(0, 2), cs[1], ...cs.slice(2)] as Comment[]
const append: Tamper = (cs) => [...cs, revoked]

/** The problems each reader reports, by comment text (a forged one by "?"). */
async function problemsSeen(view: "staff" | "whistleblower") {
  const checked =
    view === "staff"
      ? (await openAsRecipient(viaEvil(), alice, who.tipId)).checked
      : await wbRead(viaEvil(), who)
  return checked.transcript.entries.map((e) => [
    String((e.entry?.content as { text?: string } | undefined)?.text ?? "?").slice(0, 2),
    e.problems.map((p) => p.code),
  ])
}

describe("attack 6: the relay rewrites the conversation", () => {
  const cases: [string, Tamper, [string, TranscriptProblemCode[]][]][] = [
    ["changes an author", relabel, [["A2", ["AUTHOR_MISMATCH"]]]],
    ["drops a comment", drop, [["A4", ["GAP"]]]],
    [
      "swaps two",
      swap,
      [
        ["A2", ["OUT_OF_ORDER"]],
        ["W3", ["OUT_OF_ORDER"]],
      ],
    ],
    ["repeats one", repeat, [["A2", ["DUPLICATE"]]]],
    ["appends one from a removed holder", append, [["B6", ["UNKNOWN_SIGNER"]]]],
  ]
  for (const view of ["staff", "whistleblower"] as const) {
    for (const [name, how, expected] of cases) {
      it(`in Node, the ${view} reader shows it when the relay ${name}`, async () => {
        tamper = how
        const seen = await problemsSeen(view)
        tamper = undefined
        expect(seen.filter(([, codes]) => (codes as string[]).length > 0)).toEqual(expected)
      })
    }
  }

  it("an untouched conversation verifies for both readers", async () => {
    tamper = undefined
    for (const view of ["staff", "whistleblower"] as const) {
      const seen = await problemsSeen(view)
      expect(seen).toEqual(TEXTS.map((x) => [x.slice(0, 2), []]))
    }
  })

  // In the browsers all at once: dropped W5, swapped A2/W3, repeated A2, relabelled A4, bob's B6.
  const everything: Tamper = (cs) => {
    const [w1, a2, w3, a4] = cs as [Comment, Comment, Comment, Comment]
    const liar = { ...a4, author: a4.author === "recipient" ? "wb" : bob.userId }
    return [w1, w3, a2, a2, liar, revoked]
  }

  it("in Chromium, the recipient's tip view shows each problem in words beside its message", async () => {
    tamper = everything
    const w = await openPage(browser)
    const page = w.page
    await page.goto(`${evil.baseUrl}/staff`)
    await page.getByLabel("Username").fill(alice.username)
    await page.getByLabel("Password").fill(alice.password)
    await page.getByRole("button", { name: "Log in" }).click()
    await page.waitForURL(/\/staff\/inbox$/, { timeout: 30_000 })
    await page.locator(`[data-tip-id="${who.tipId}"]`).click()
    const thread = page.getByTestId("comments")
    await expect
      .poll(() => thread.locator("[data-problem]").count(), { timeout: 30_000 })
      .toBeGreaterThan(4)
    const codes = await thread
      .locator("[data-problem]")
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-problem")))
    expect(new Set(codes)).toEqual(
      new Set(["OUT_OF_ORDER", "DUPLICATE", "AUTHOR_MISMATCH", "GAP", "UNKNOWN_SIGNER"]),
    )
    const text = (await thread.textContent()) ?? ""
    expect(text).toMatch(/missing before this one/)
    expect(text).toMatch(/out of the order/)
    expect(text).toMatch(/more than once/)
    expect(text).toMatch(/The server labels this as written by/)
    expect(text).toMatch(/not a current recipient/)
    // Bob's message is never shown under a colleague's name.
    const bobs = thread.locator("li", { hasText: "B6 Journalist" })
    expect(await bobs.textContent()).toContain("Unverified sender")
    await screenshot(page, "evil6-recipient-transcript-1280")
    tamper = undefined
    expect(w.problems).toEqual([])
    await w.context.close()
  })

  it("in Chromium, the whistleblower's page shows each problem in words beside its message", async () => {
    tamper = everything
    const w = await openPage(browser, { width: 360, height: 740 })
    const page = w.page
    await page.goto(`${evil.baseUrl}/return`)
    await page.getByLabel("Receipt", { exact: true }).fill(who.receipt)
    await page.getByRole("button", { name: "Log in" }).click()
    await page.waitForURL(/\/my-report$/, { timeout: 60_000 })
    const thread = page.locator("ol.comments")
    await expect
      .poll(() => thread.locator("[data-problem]").count(), { timeout: 30_000 })
      .toBeGreaterThan(4)
    const codes = await thread
      .locator("[data-problem]")
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-problem")))
    expect(new Set(codes)).toEqual(
      new Set(["OUT_OF_ORDER", "DUPLICATE", "AUTHOR_MISMATCH", "GAP", "UNKNOWN_SIGNER"]),
    )
    const bobs = thread.locator("li", { hasText: "B6 Journalist" })
    expect(await bobs.textContent()).toContain("Unverified sender")
    await screenshot(page, "evil6-wb-transcript-360")
    tamper = undefined
    expect(w.problems).toEqual([])
    await w.context.close()
  })
})
