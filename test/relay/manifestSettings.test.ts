import { verifyNodeManifest } from "@sotto/crypto-core"
import { accounts, type BodyOf, wb } from "@sotto/protocol"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { receiptGuard } from "../../relay/src/services/receiptGuard.js"
import { type NodeAdmin, relayError, resignManifest, setupNode } from "./_actors.js"
import { startTestRelay, type TestRelay } from "./_harness.js"

// Issue 10: the node manifest covers the node's name, receipt settings and PoW bounds. A settings
// change to any of them must come with the manifest re-signed in the admin's browser (version
// + 1), in the same request, so the relay never serves a manifest out of step with the settings.
// Seen failing before the fix: a name or receipt-pattern change was stored and the relay kept
// serving manifest version 1 with the old values (no MANIFEST_REQUIRED, version stayed 1).

type SettingsPatch = BodyOf<typeof accounts.updateSettings>

let t: TestRelay
let admin: NodeAdmin

beforeAll(async () => {
  t = await startTestRelay()
  admin = await setupNode(t, { escrow: false })
})
afterAll(async () => {
  await t.destroy()
})

const update = (body: SettingsPatch) =>
  t.client.call(accounts.updateSettings, { session: admin.session, body })
const served = async () => (await t.client.call(accounts.getNode)).manifest

describe("settings the node manifest covers", () => {
  it.each<[string, SettingsPatch, string]>([
    ["a new name", { name: "Renamed newsroom" }, "body.name"],
    ["a new receipt pattern", { receiptPattern: "words:6" }, "body.receiptPattern"],
  ])("refuses %s without a re-signed manifest, changing nothing", async (_, body, field) => {
    const before = await t.client.call(accounts.getSettings, { session: admin.session })
    const manifest = await served()
    const e = await relayError(update(body))
    expect([e.status, e.code, e.field]).toEqual([409, "MANIFEST_REQUIRED", field])
    expect(e.message).toContain("version 2")
    expect(await t.client.call(accounts.getSettings, { session: admin.session })).toEqual(before)
    expect(await served()).toEqual(manifest)
  })

  it("takes the change with the manifest re-signed to agree, and serves the new version", async () => {
    const pin = verifyNodeManifest(await served(), undefined).pin
    const manifest = await resignManifest(t, admin, { name: "Renamed newsroom" })
    const view = await update({ name: "Renamed newsroom", manifest })
    expect(view.name).toBe("Renamed newsroom")
    const now = await served()
    expect(now).toEqual(manifest)
    // A client that pinned version 1 verifies version 2 and keeps it as its pin.
    const next = verifyNodeManifest(now, pin)
    expect([next.manifest.name, next.pin.version]).toEqual(["Renamed newsroom", 2])
    const { entries } = await t.client.call(accounts.listAudit, { session: admin.session })
    expect(entries.find((x) => x.action === "node.manifest")?.details).toEqual({ version: 2 })
  })

  it.each<[string, () => Promise<SettingsPatch>, number, string]>([
    [
      "a manifest that disagrees with the new settings",
      async () => ({
        name: "Another name",
        manifest: await resignManifest(t, admin, { name: "Not that name" }),
      }),
      422,
      "BAD_MANIFEST",
    ],
    [
      "a manifest that does not go up in version",
      async () => ({
        name: "Another name",
        manifest: await resignManifest(t, admin, { name: "Another name", version: 2 }),
      }),
      409,
      "STALE_MANIFEST",
    ],
    [
      "a manifest whose PoW bounds leave out the node's difficulty",
      async () => ({
        manifest: await resignManifest(t, admin, { pow: { minDifficulty: 4, maxDifficulty: 8 } }),
      }),
      422,
      "BAD_MANIFEST",
    ],
  ])("refuses %s", async (_, body, status, code) => {
    const before = await served()
    const e = await relayError(update(await body()))
    expect([e.status, e.code]).toEqual([status, code])
    expect(await served()).toEqual(before)
  })

  it("keeps PoW within the manifest's bounds: a difficulty outside needs new bounds", async () => {
    const narrow = await resignManifest(t, admin, { pow: { minDifficulty: 4, maxDifficulty: 14 } })
    await update({ powDifficulty: 10, manifest: narrow })
    expect((await served()).body.pow.maxDifficulty).toBe(14)
    const e = await relayError(update({ powDifficulty: 20 }))
    expect([e.status, e.code, e.field]).toEqual([409, "MANIFEST_REQUIRED", "body.powDifficulty"])
    // Within the bounds no manifest is needed: it covers the bounds, not the base value.
    expect((await update({ powDifficulty: 14 })).powDifficulty).toBe(14)
  })

  it("never issues a challenge above the manifest's bound, even under a receipt-guessing flood", async () => {
    const challenge = await t.client.call(wb.getPow, { query: { for: "wbLogin" } })
    expect(challenge.difficulty).toBeLessThanOrEqual(14)
    // A failed receipt login adds bits; the relay clamps to the signed bound instead of
    // handing out a challenge every honest client refuses.
    const g = receiptGuard(t.relay.ctx)
    for (let i = 0; i < 5000 && (await g.extraBits()) < 6; i++) await g.fail()
    expect(await g.extraBits()).toBeGreaterThan(0)
    const raised = await t.client.call(wb.getPow, { query: { for: "wbLogin" } })
    expect(raised.difficulty).toBe(14)
  })
})
