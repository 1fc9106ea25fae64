import {
  accountSigner,
  createIdentityKey,
  createSigningKey,
  directoryExpiry,
  fromBase64url,
  generateAgeIdentity,
  recipientOf,
  type SignedKeyDirectory,
  sealIdentity,
  sealIdentityReason,
  signDirectory,
  unwrapIdentityKey,
  wrapIdentityKey,
} from "@sotto/crypto-core"
import { contexts, identity, wb } from "@sotto/protocol"
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { launchBrowser, openPage, screenshot, startAppRelay } from "../e2e/_browser.js"
import { passwordLogin } from "../e2e/_twoFactorUi.js"
import {
  createUser,
  firstLogin,
  type NodeAdmin,
  type StaffActor,
  setupNode,
} from "../relay/_actors.js"
import type { TestRelay } from "../relay/_harness.js"
import { buildSubmission, solve, wire } from "../relay/_seed.js"
import { type EvilRelay, startEvilRelay } from "./_evilRelay.js"

// Issue 17 against a hostile relay: when a custodian approves an identity request, the relay
// substitutes a key of its own for the requester's (in the directory it serves, or in one it
// re-signs with a key of its own). The custodian's browser verifies the directory against its pin,
// refuses in words and sends no wrap at all; with the honest directory the same click wraps to
// the requester's real key.

let browser: Browser
let t: TestRelay
let evil: EvilRelay
let admin: NodeAdmin
let alice: StaffActor
let carol: StaffActor
let relayKey: string
let tipId: string
let requestId: string
const contextId = `ctx-evil-id-${Date.now().toString(36)}`

beforeAll(async () => {
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay()])
  evil = await startEvilRelay(t.baseUrl)
  admin = await setupNode(t, { escrow: false, nodeName: "Evil custodian node" })
  const made = await Promise.all([
    createUser(t, admin, "alice", { role: "recipient", name: "Alice A." }),
    createUser(t, admin, "carol", { role: "custodian", name: "Carol C." }),
  ])
  ;[alice, carol] = (await Promise.all(
    made.map((m) => firstLogin(t, m.username, m.oneTimePassword)),
  )) as [StaffActor, StaffActor]
  relayKey = await recipientOf(generateAgeIdentity())
  const directory = signDirectory(
    {
      v: 2,
      context: contextId,
      version: 1,
      issuedAt: new Date().toISOString(),
      expiresAt: directoryExpiry(new Date()),
      recipients: [
        {
          id: alice.userId,
          name: "Alice A.",
          recipient: alice.recipient,
          signer: accountSigner(alice.identity),
        },
      ],
      custodians: [{ id: carol.userId, name: "Carol C.", recipient: carol.recipient }],
    },
    admin.signing,
  )
  await t.client.call(contexts.createContext, {
    session: admin.session,
    body: {
      id: contextId,
      name: "Procurement",
      description: "Rigged tenders",
      recipients: [alice.userId],
      custodians: [carol.userId],
      questionnaire: [
        { id: "what", type: "textarea", label: "What happened?", required: true },
        { id: "name", type: "text", label: "Your name", required: false, identity: true },
      ],
      expiryDays: 30,
      maxFiles: 0,
      maxFileBytes: 1024,
      directory: wire(directory),
    },
  })
  // The whistleblower (Node, crypto-core as the browser does) and Alice's request.
  const node = { signing: admin.signing, receiptSalt: fromBase64url("salt", admin.receipt.salt) }
  const built = await buildSubmission(node, contextId, [
    { id: alice.userId, recipient: alice.recipient },
  ])
  const key = await createIdentityKey()
  const body = {
    ...built.body,
    identity: {
      age: await sealIdentity(key.recipient, built.tip.recipient, { name: "Jane Roe" }),
      wraps: [{ holder: carol.userId, wrap: wire(await wrapIdentityKey(key, carol.recipient)) }],
    },
  }
  ;({ tipId } = await t.client.call(wb.submitTip, {
    body: { pow: await solve(t, "submitTip", body), ...body },
  }))
  ;({ id: requestId } = await t.client.call(identity.requestIdentity, {
    session: alice.session,
    params: { tipId },
    body: { reason: wire(await sealIdentityReason("Need to call back.", [carol.recipient])) },
  }))
})
afterAll(async () => {
  await browser?.close()
  await evil?.close()
  await t?.destroy()
})

const directoryPath = `/api/v1/contexts/${contextId}/directory`
const decisions = () => evil.seen.filter((x) => x.method === "POST" && x.url.includes(requestId))

/** Serves `alter(directory)` instead of the context's signed directory. */
function serveDirectory(alter: (signed: SignedKeyDirectory) => SignedKeyDirectory): void {
  evil.onResponse((req, res) => {
    if (req.method !== "GET" || req.path !== directoryPath) return undefined
    return { body: alter(res.json() as SignedKeyDirectory) }
  })
}

const swapAlice = (signed: SignedKeyDirectory): SignedKeyDirectory => ({
  ...signed,
  directory: {
    ...signed.directory,
    recipients: signed.directory.recipients.map((r) =>
      r.id === alice.userId ? { ...r, recipient: relayKey } : r,
    ),
  },
})

describe("a custodian's browser behind a relay that substitutes the requester's key", () => {
  it("refuses a directory whose key was swapped, and sends no wrap", async () => {
    serveDirectory(swapAlice)
    const { page } = await openPage(browser)
    await passwordLogin(page, evil.baseUrl, "carol", carol.password, /\/staff\/inbox$/)
    await page.getByRole("link", { name: "Identity requests" }).click()
    await page.locator("[data-reason]").waitFor({ timeout: 30_000 })
    await page.getByRole("button", { name: "Approve" }).click()
    await expect
      .poll(() => page.locator(`[data-request="${requestId}"] [role=alert]`).textContent(), {
        timeout: 30_000,
      })
      .toMatch(/signature|signed/i)
    await screenshot(page, "evil-identity-swapped-key")
    expect(decisions()).toEqual([])
    expect(evil.sawText(relayKey)).toBe(false)

    // A directory the relay re-signs with a key of its own fails the pin instead.
    const relaySigning = createSigningKey()
    serveDirectory((signed) => signDirectory(swapAlice(signed).directory, relaySigning))
    await page.getByRole("button", { name: "Approve" }).click()
    await expect
      .poll(() => page.locator(`[data-request="${requestId}"] [role=alert]`).textContent(), {
        timeout: 30_000,
      })
      .toMatch(/key|trusted/i)
    expect(decisions()).toEqual([])
    expect(evil.sawText(relayKey)).toBe(false)
    const pending = await t.client.call(identity.getTipIdentity, {
      session: alice.session,
      params: { tipId },
    })
    expect(pending.wrap).toBeUndefined()
    expect(pending.requests[0]?.state).toBe("pending")

    // With the honest directory the same click wraps to Alice's real key.
    serveDirectory((signed) => signed)
    await page.getByRole("button", { name: "Approve" }).click()
    await expect
      .poll(() => page.locator(`[data-request="${requestId}"]`).getAttribute("data-state"), {
        timeout: 30_000,
      })
      .toBe("approved")
    expect(decisions()).toHaveLength(1)
    const approved = await t.client.call(identity.getTipIdentity, {
      session: alice.session,
      params: { tipId },
    })
    if (!approved.wrap) throw new Error("no wrap after the honest approval")
    expect(approved.wrap.to).toEqual([alice.recipient])
    expect((await unwrapIdentityKey(approved.wrap, alice.identity)).recipient).toMatch(/^age1/)
  })
})
