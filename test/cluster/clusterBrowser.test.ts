import { createHash } from "node:crypto"
import { readFile } from "node:fs/promises"
import { accounts, contexts } from "@sotto/protocol"
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { launchBrowser, openPage, PWA_DIST, type WatchedPage } from "../e2e/_browser.js"
import { randomFile, removeRandomFiles } from "../e2e/_node.js"
import { contextBody, type Listed, QUESTIONS } from "../e2e/_recipientWb.js"
import { createRecipient, login, type NodeAdmin, setupNode } from "../relay/_actors.js"
import { type Cluster, servicesReachable, startCluster } from "./_cluster.js"

// Two people, two browsers, two relay processes: the whistleblower's Chromium loads the PWA from
// process A and submits a report with a file there; the recipient's Chromium, logged in on
// process B, sees the tip arrive without a reload (push crossed NATS), decrypts the answers and
// downloads the file with the very bytes that were attached.

const PASSWORD = "tangerine voyage cobalt 4719 quay"
const CONTEXT_ID = "ctx-cluster"
const up = await servicesReachable()

describe.skipIf(!up)("a whistleblower's browser on one process, a recipient's on another", () => {
  let cluster: Cluster
  let browser: Browser
  let alicePage: WatchedPage
  let wbPage: WatchedPage
  let admin: NodeAdmin
  let memo: Awaited<ReturnType<typeof randomFile>>
  let receipt = ""
  const story = `The Lisbon ledger was rewritten across processes (${Date.now()}).`

  beforeAll(async () => {
    ;[browser, cluster, memo] = await Promise.all([
      launchBrowser(),
      startCluster(2, { STATIC_DIR: PWA_DIST }),
      randomFile("memo.txt", 4000),
    ])
    admin = await setupNode(member(0).view, { escrow: true, nodeName: "Cluster node" })
    alicePage = await openPage(browser)
    wbPage = await openPage(browser, { width: 360, height: 740 })
  })
  afterAll(async () => {
    await removeRandomFiles()
    await browser?.close()
    await cluster?.stop()
  })

  const member = (i: number) => {
    const m = cluster.members[i]
    if (!m) throw new Error(`no member ${i}`)
    return m
  }

  it("the recipient sets her password in a browser on process B and her inbox goes live", async () => {
    const [a, b] = [member(0).view, member(1).view]
    const account = await createRecipient(a, admin, "alice")
    const { page } = alicePage
    await page.goto(`${b.baseUrl}/staff`)
    await page.getByLabel("Username").fill("alice")
    await page.getByLabel("Password").fill(account.oneTimePassword)
    await page.getByRole("button", { name: "Log in" }).click()
    await page.waitForURL(/\/staff\/password$/, { timeout: 30_000 })
    await page.locator("input[name=new-password]").fill(PASSWORD)
    await page.locator("input[name=confirm-password]").fill(PASSWORD)
    await page.getByRole("button", { name: "Set password" }).click()
    const shown = page.getByTestId("recovery-key")
    await shown.waitFor({ timeout: 30_000 })
    const grouped = (await shown.textContent())?.trim() ?? ""
    await page.getByLabel(/I have saved my recovery key/).check()
    await page.getByLabel(/last two groups/).fill(grouped.split(" ").slice(-2).join(" "))
    await page.getByRole("button", { name: "Save password and continue" }).click()
    await page.waitForURL(/\/staff\/inbox$/, { timeout: 30_000 })
    await expect.poll(() => page.locator("[data-live]").getAttribute("data-live")).toBe("live")
    expect(alicePage.problems).toEqual([])
  })

  it("the whistleblower's browser sends a report with a file through process A", async () => {
    const a = member(0).view
    // Her browser published her keys through B; the admin reads them back through A.
    await login(a, "alice", PASSWORD)
    const { users } = await a.client.call(accounts.listUsers, { session: admin.session })
    const alice = users.find((u) => u.username === "alice")
    expect(alice?.publicKey).toMatch(/^age1/)
    const listed: Listed[] = [
      {
        userId: alice?.id ?? "",
        name: "Alice A.",
        recipient: alice?.publicKey ?? "",
        ...(alice?.signer ? { signer: alice.signer } : {}),
      },
    ]
    const body = contextBody(admin, CONTEXT_ID, listed, new Date())
    await a.client.call(contexts.createContext, {
      session: admin.session,
      body: {
        ...body,
        id: CONTEXT_ID,
        questionnaire: [
          ...QUESTIONS,
          { id: "evidence", type: "file", label: "Documents", required: false },
        ],
      },
    })

    const { page } = wbPage
    await page.goto(a.baseUrl)
    await page.getByRole("link", { name: `Report to ${body.name}` }).click()
    await page.waitForURL(/\/report\//)
    await expect.poll(() => page.getByText("Their keys were checked").count()).toBe(1)
    await page.getByLabel("What happened?").fill(story)
    await page.getByLabel("Where?").selectOption("Branch")
    await page.locator("#q-evidence").setInputFiles(memo.path)
    await expect
      .poll(() => page.locator(".sha256").allTextContents(), { timeout: 20_000 })
      .toEqual([memo.sha256])
    await page.getByRole("button", { name: "Send report" }).click()
    await page.waitForURL(/\/receipt$/, { timeout: 60_000 })
    receipt = (await page.locator(".receipt").textContent())?.trim() ?? ""
    expect(receipt).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/)
    // Every request of the whistleblower's page went to process A.
    expect(new URL(page.url()).origin).toBe(a.baseUrl)
    expect(wbPage.problems).toEqual([])
  })

  it("the recipient's inbox on process B shows the tip live; she reads it and gets the file", async () => {
    const { page } = alicePage
    // No reload since the inbox went live: the row can only come from push across NATS.
    const row = page.locator("[data-tip-id]").first()
    await row.waitFor({ timeout: 15_000 })
    expect(new URL(page.url()).origin).toBe(member(1).view.baseUrl)
    // (The inbox loaded its context names before this context existed, so the row names its id.)
    await expect.poll(() => row.textContent()).toMatch(/New.*1 files/)
    await row.click()
    await page.waitForURL(/\/staff\/tips\//)
    await expect
      .poll(() => page.getByTestId("answers").textContent(), { timeout: 15_000 })
      .toContain(story)
    expect(await page.getByTestId("answers").textContent()).toContain("Branch")
    const [download] = await Promise.all([
      page.waitForEvent("download", { timeout: 30_000 }),
      page.getByRole("button", { name: "Download memo.txt" }).click(),
    ])
    const bytes = await readFile((await download.path()) ?? "")
    expect(bytes.byteLength).toBe(memo.size)
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(memo.sha256)
    expect(alicePage.problems).toEqual([])
  })
})
