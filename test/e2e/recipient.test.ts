import { createHash } from "node:crypto"
import { readFile } from "node:fs/promises"
import {
  accountSigner,
  decryptAgeFile,
  generateAgeIdentity,
  openTipPart,
  readTipArchive,
  recipientOf,
  unwrapTipKey,
} from "@sotto/crypto-core"
import { accounts, contexts, tips } from "@sotto/protocol"
import { decrypt, generateKey, readMessage, readPrivateKey } from "openpgp"
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  createRecipient,
  firstLogin,
  login,
  type NewAccount,
  type NodeAdmin,
  relayError,
  type StaffActor,
  setupNode,
} from "../relay/_actors.js"
import type { TestRelay } from "../relay/_harness.js"
import { launchBrowser, openPage, screenshot, startAppRelay, type WatchedPage } from "./_browser.js"
import {
  contextBody,
  type Listed,
  submitTip,
  uploadFile,
  type Whistleblower,
  wbComment,
  wbComments,
} from "./_recipientWb.js"

// A recipient's whole day in Chromium: first login with a one-time password, the inbox updating
// live when a tip arrives, the tip decrypted in the browser, a comment each way, a file download
// checked byte for byte, status and labels, an age export, and access granted and revoked. Node
// plays the admin, the whistleblower and the colleague, with crypto-core.

const MiB = 1024 * 1024
const PASSWORD = "tangerine voyage cobalt 4719 quay"

let browser: Browser
let t: TestRelay
let admin: NodeAdmin
let aliceAccount: NewAccount
let bob: StaffActor
let alice: { userId: string; recipient: string; signer: string }
let w: WatchedPage
let page: Page
let wbUser: Whistleblower
let fileSha: string
const contextId = "ctx-fraud"
const answer = `the ledger of the Lisbon branch is cooked ${Date.now()}`

beforeAll(async () => {
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay()])
  admin = await setupNode(t, { escrow: true, nodeName: "Recipient node" })
  // Alice revokes and deletes from her tip view: this node lets holders do it (default: admins).
  await t.client.call(accounts.updateSettings, {
    session: admin.session,
    body: { tipPolicy: "holders" },
  })
  aliceAccount = await createRecipient(t, admin, "alice")
  const bobAccount = await createRecipient(t, admin, "bob")
  bob = await firstLogin(t, "bob", bobAccount.oneTimePassword)
  w = await openPage(browser)
  page = w.page
})
afterAll(async () => {
  await browser?.close()
  await t?.destroy()
})

const listed = (): Listed[] => [
  { userId: alice.userId, name: "Alice A.", recipient: alice.recipient, signer: alice.signer },
]
const withBob = (): Listed[] => [
  ...listed(),
  {
    userId: bob.userId,
    name: "Bob B.",
    recipient: bob.recipient,
    signer: accountSigner(bob.identity),
  },
]
const alert = () => page.getByRole("alert").first()

async function download(click: () => Promise<void>): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent("download", { timeout: 30_000 }), click()])
  return readFile((await file.path()) ?? "")
}

describe("recipient in the browser", () => {
  it("first login: one-time password, weak password refused, recovery key confirmed, inbox", async () => {
    await page.goto(`${t.baseUrl}/staff`)
    await page.getByLabel("Username").fill("alice")
    await page.getByLabel("Password").fill("not the password")
    await page.getByRole("button", { name: "Log in" }).click()
    await expect.poll(() => alert().textContent(), { timeout: 10_000 }).toMatch(/do not match/)

    await page.getByLabel("Password").fill(aliceAccount.oneTimePassword)
    await page.getByRole("button", { name: "Log in" }).click()
    await page.waitForURL(/\/staff\/password$/, { timeout: 15_000 })

    await page.locator("input[name=new-password]").fill("alice2024")
    await page.locator("input[name=confirm-password]").fill("alice2024")
    await page.getByRole("button", { name: "Set password" }).click()
    await expect
      .poll(() => page.locator(".field-error").first().textContent(), { timeout: 10_000 })
      .toMatch(/too easy to guess/)

    await page.locator("input[name=new-password]").fill(PASSWORD)
    await page.locator("input[name=confirm-password]").fill(PASSWORD)
    await page.getByRole("button", { name: "Set password" }).click()
    const shown = page.getByTestId("recovery-key")
    await shown.waitFor({ timeout: 30_000 })
    const grouped = (await shown.textContent())?.trim() ?? ""
    await page.getByRole("button", { name: "Save password and continue" }).click()
    await expect.poll(() => alert().textContent()).toMatch(/confirm that you saved/)
    await page.getByLabel(/I have saved my recovery key/).check()
    await page.getByLabel(/last two groups/).fill(grouped.split(" ").slice(-2).join(" "))
    await page.getByRole("button", { name: "Save password and continue" }).click()
    await page.waitForURL(/\/staff\/inbox$/, { timeout: 15_000 })
    await expect.poll(() => page.locator("[data-live]").getAttribute("data-live")).toBe("live")

    // The new password opens the identity the browser made; the one-time password is spent.
    const again = await login(t, "alice", PASSWORD)
    expect(again.stage).toBe("full")
    expect(again.identity).toMatch(/^AGE-SECRET-KEY-1/)
    const spent = await relayError(login(t, "alice", aliceAccount.oneTimePassword))
    expect(spent.code).toBe("WRONG_CREDENTIALS")
    const { users } = await t.client.call(accounts.listUsers, { session: admin.session })
    const view = users.find((u) => u.username === "alice")
    alice = { userId: again.userId, recipient: view?.publicKey ?? "", signer: view?.signer ?? "" }
    expect(alice.recipient).toBe(await recipientOf(again.identity ?? ""))
    // The browser published the account signing key its comments will be signed with.
    expect(alice.signer).toBe(accountSigner(again.identity ?? ""))
  })

  it("a tip submitted while the inbox is open appears without a reload, marked new", async () => {
    await t.client.call(contexts.createContext, {
      session: admin.session,
      body: {
        id: contextId,
        ...contextBody(admin, contextId, listed(), new Date(Date.UTC(2026, 0, 1))),
      },
    })
    await expect
      .poll(() => page.locator(".tip-list, p").allTextContents())
      .toContain("No tips yet. New tips appear here by themselves.")
    wbUser = await submitTip(t, contextId, listed(), { what: answer, where: "Branch" })
    fileSha = await uploadFile(t, wbUser, "ledger.bin", 3 * MiB)
    const row = page.locator(`[data-tip-id="${wbUser.tipId}"]`)
    await row.waitFor({ timeout: 15_000 })
    await expect
      .poll(() => row.textContent())
      .toMatch(/Financial misconduct\s*New\s*Unread\s*Status: New/)
    await expect.poll(() => row.textContent()).toContain("1 files")
    await screenshot(page, "recipient-inbox-1280")
    await page.setViewportSize({ width: 360, height: 780 })
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
    await screenshot(page, "recipient-inbox-360")
    await page.setViewportSize({ width: 1280, height: 900 })
  })

  it("opens the tip: answers decrypted under their questions; comments both ways", async () => {
    await page.locator(`[data-tip-id="${wbUser.tipId}"]`).click()
    await page.waitForURL(/\/staff\/tips\//)
    const answers = page.getByTestId("answers")
    await expect.poll(() => answers.textContent(), { timeout: 15_000 }).toContain(answer)
    expect(await answers.textContent()).toContain("What happened?")
    expect(await page.getByTestId("files").textContent()).toContain("ledger.bin")

    const mine = `Could you send the 2025 ledger too? ${Date.now()}`
    await page.getByLabel(/Your comment/).fill(mine)
    await page.getByRole("button", { name: "Send comment" }).click()
    await expect.poll(() => page.getByTestId("comments").textContent()).toContain(mine)
    expect(await wbComments(t, wbUser)).toEqual([mine])

    const reply = `It is attached now ${Date.now()}`
    await wbComment(t, wbUser, reply)
    await expect
      .poll(() => page.getByTestId("comments").textContent(), { timeout: 10_000 })
      .toContain(reply)
    expect(await page.getByTestId("comments").textContent()).toContain("Whistleblower")
  })

  it("downloads the 3 MiB file decrypted in workers: the bytes' SHA-256 is the original's", async () => {
    const bytes = await download(() =>
      page.getByRole("button", { name: "Download ledger.bin" }).click(),
    )
    expect(bytes.byteLength).toBe(3 * MiB)
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(fileSha)
    await expect
      .poll(() => page.getByTestId("files").textContent())
      .toContain("matches this fingerprint")
  })

  it("status and labels are saved on the node", async () => {
    await page.getByLabel("Status").selectOption("open")
    await page.getByLabel(/Labels/).fill("urgent, finance")
    await page.getByRole("button", { name: "Save status and labels" }).click()
    await expect.poll(() => page.getByTestId("labels").textContent()).toBe("urgent, finance")
    const node = await login(t, "alice", PASSWORD)
    const read = await t.client.call(tips.getTip, {
      session: node.session,
      params: { tipId: wbUser.tipId },
    })
    expect(read.tip).toMatchObject({ status: "open", labels: ["urgent", "finance"] })
  })

  it("exports to age and OpenPGP keys the user gives: each opens and holds answers and file", async () => {
    const identity = generateAgeIdentity()
    await page.getByLabel("Encrypt the export with").selectOption("age")
    await page.getByLabel("age recipient").fill(await recipientOf(identity))
    const sealed = await download(() => page.getByRole("button", { name: "Export tip" }).click())
    const { manifest, files } = readTipArchive(
      await decryptAgeFile(new Uint8Array(sealed), identity, undefined),
    )
    expect(JSON.stringify(manifest)).toContain(answer)
    expect(
      createHash("sha256")
        .update(files["files/ledger.bin"] ?? new Uint8Array())
        .digest("hex"),
    ).toBe(fileSha)

    // OpenPGP: openpgp is fetched only now, inside the tip worker.
    const pgp = await generateKey({
      type: "curve25519",
      userIDs: [{ name: "Desk" }],
      format: "armored",
    })
    await page.getByLabel("Encrypt the export with").selectOption("pgp")
    await page.getByLabel("OpenPGP public key").fill(pgp.publicKey)
    const armored = await download(() => page.getByRole("button", { name: "Export tip" }).click())
    const opened = await decrypt({
      message: await readMessage({ armoredMessage: armored.toString("utf8") }),
      decryptionKeys: await readPrivateKey({ armoredKey: pgp.privateKey }),
      format: "binary",
    })
    expect(JSON.stringify(readTipArchive(opened.data as Uint8Array).manifest)).toContain(answer)

    await page.getByLabel("Encrypt the export with").selectOption("age")
    await page.getByLabel("age recipient").fill("age1notakey")
    await page.getByRole("button", { name: "Export tip" }).click()
    await expect.poll(() => alert().textContent(), { timeout: 10_000 }).toMatch(/not valid input/)
  })

  it("grants a colleague from the signed directory, who can then unwrap; revoking takes it back", async () => {
    await t.client.call(contexts.updateContext, {
      session: admin.session,
      params: { contextId },
      body: contextBody(admin, contextId, withBob(), new Date(Date.UTC(2026, 0, 2))),
    })
    // Back to the inbox and in again, so the tip view reads the new directory.
    await page.getByRole("link", { name: "Inbox" }).click()
    await page.locator(`[data-tip-id="${wbUser.tipId}"]`).click()
    await page.getByLabel("Give access to").selectOption({ label: "Bob B." })
    await page.getByRole("button", { name: "Grant access" }).click()
    await expect.poll(() => page.getByTestId("holders").textContent()).toContain("Bob B.")
    const read = await t.client.call(tips.getTip, {
      session: bob.session,
      params: { tipId: wbUser.tipId },
    })
    const key = await unwrapTipKey(read.wrap, bob.identity)
    expect(await openTipPart(read.answers, key, "answers")).toMatchObject({
      answers: { what: answer },
    })
    await screenshot(page, "recipient-tip-1280")
    await page.setViewportSize({ width: 360, height: 780 })
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
    await screenshot(page, "recipient-tip-360")
    await page.setViewportSize({ width: 1280, height: 900 })

    await page.getByRole("button", { name: "Revoke Bob B." }).click()
    await expect.poll(() => page.getByTestId("holders").textContent()).not.toContain("Bob B.")
    const gone = await relayError(
      t.client.call(tips.getTip, { session: bob.session, params: { tipId: wbUser.tipId } }),
    )
    expect([gone.status, gone.code]).toEqual([404, "NOT_FOUND"])
    expect(w.problems).toEqual([])
  })
  it("postpones the expiry and deletes the tip after a confirmation", async () => {
    const node = await login(t, "alice", PASSWORD)
    const before = await t.client.call(tips.getTip, {
      session: node.session,
      params: { tipId: wbUser.tipId },
    })
    await page.getByLabel(/Postpone expiry by/).fill("10")
    await page.getByRole("button", { name: "Postpone expiry" }).click()
    await expect.poll(() => page.getByText(/The tip now expires on/).count()).toBe(1)
    const after = await t.client.call(tips.getTip, {
      session: node.session,
      params: { tipId: wbUser.tipId },
    })
    expect(after.tip.expiresAt).toBe(before.tip.expiresAt + 10 * 86_400_000)

    await page.getByRole("button", { name: "Delete tip…" }).click()
    await page.getByRole("button", { name: "Delete for everyone" }).click()
    await page.waitForURL(/\/staff\/inbox$/)
    await expect.poll(() => page.locator("main").textContent()).toContain("No tips yet")
    const gone = await relayError(
      t.client.call(tips.getTip, { session: node.session, params: { tipId: wbUser.tipId } }),
    )
    expect(gone.code).toBe("NOT_FOUND")
    expect(w.problems).toEqual([])
  })
})
