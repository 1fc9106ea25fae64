import { accounts, contexts } from "@sotto/protocol"
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { launchBrowser, openPage, PWA_DIST, type WatchedPage } from "../e2e/_browser.js"
import { contextBody, type Listed, submitTip } from "../e2e/_recipientWb.js"
import { createRecipient, login, type NodeAdmin, setupNode } from "../relay/_actors.js"
import { type Cluster, servicesReachable, startCluster } from "./_cluster.js"

// The recipient's Chromium talks to one relay process; the whistleblower (Node, as its browser
// does) submits through another. The inbox shows the tip without a reload: push crossed NATS.

const PASSWORD = "tangerine voyage cobalt 4719 quay"
const up = await servicesReachable()

describe.skipIf(!up)("a recipient's browser on one process, a whistleblower on another", () => {
  let cluster: Cluster
  let browser: Browser
  let w: WatchedPage
  let page: Page
  let admin: NodeAdmin

  beforeAll(async () => {
    ;[browser, cluster] = await Promise.all([
      launchBrowser(),
      startCluster(2, { STATIC_DIR: PWA_DIST }),
    ])
    const a = member(0).view
    admin = await setupNode(a, { escrow: true, nodeName: "Cluster node" })
    w = await openPage(browser)
    page = w.page
  })
  afterAll(async () => {
    await browser?.close()
    await cluster?.stop()
  })

  const member = (i: number) => {
    const m = cluster.members[i]
    if (!m) throw new Error(`no member ${i}`)
    return m
  }

  it("shows a tip submitted through process A in the inbox open on process B, live", async () => {
    const [a, b] = [member(0).view, member(1).view]
    const account = await createRecipient(a, admin, "alice")
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

    const alice = await login(a, "alice", PASSWORD)
    const { users } = await a.client.call(accounts.listUsers, { session: admin.session })
    const view = users.find((u) => u.username === "alice")
    const listed: Listed[] = [
      {
        userId: alice.userId,
        name: "Alice A.",
        recipient: view?.publicKey ?? "",
        signer: view?.signer ?? "",
      },
    ]
    const contextId = "ctx-cluster"
    await a.client.call(contexts.createContext, {
      session: admin.session,
      body: { id: contextId, ...contextBody(admin, contextId, listed, new Date()) },
    })
    const wb = await submitTip(a, contextId, listed, { what: "across processes", where: "A" })
    await page.locator(`[data-tip-id="${wb.tipId}"]`).waitFor({ timeout: 15_000 })
    expect(w.problems).toEqual([])
  })
})
