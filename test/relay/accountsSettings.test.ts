import { accounts, type BodyOf } from "@sotto/protocol"
import { ManualClock } from "@sotto/relay"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  createRecipient,
  firstLogin,
  login,
  type NodeAdmin,
  relayError,
  resignManifest,
  setupNode,
} from "./_actors.js"
import { startTestRelay, type TestRelay } from "./_harness.js"

type SettingsPatch = BodyOf<typeof accounts.updateSettings>

describe("node settings and the audit log", () => {
  const clock = new ManualClock()
  let t: TestRelay
  let admin: NodeAdmin
  beforeAll(async () => {
    t = await startTestRelay({ clock })
    admin = await setupNode(t)
  })
  afterAll(async () => {
    await t.destroy()
  })

  const update = (body: SettingsPatch) =>
    t.client.call(accounts.updateSettings, { session: admin.session, body })

  it("starts from the defaults made at setup", async () => {
    const settings = await t.client.call(accounts.getSettings, { session: admin.session })
    expect(settings).toMatchObject({
      name: "Test node",
      idleTimeouts: {
        admin: 30 * 60_000,
        recipient: 60 * 60_000,
        custodian: 30 * 60_000,
        wb: 30 * 60_000,
      },
      powDifficulty: 12,
      expiryDays: 90,
      twoFactorRequired: { admin: false, recipient: false, custodian: false },
      escrow: { enabled: true, recipient: admin.escrow?.recipient },
      receipt: admin.receipt,
    })
  })

  it("changes some fields and keeps the rest, merging nested ones", async () => {
    const next = await update({
      name: "Newsroom",
      idleTimeouts: { admin: 10 * 60_000 },
      powDifficulty: 16,
      expiryDays: 30,
      // Custodians only: with admins required, the admin's later logins would need a second factor.
      twoFactorRequired: { custodian: true },
      receiptPattern: "words:6",
      // The name and the receipt pattern are in the signed manifest: re-signed in the same request.
      manifest: await resignManifest(t, admin, { name: "Newsroom", pattern: "words:6" }),
    })
    expect(next).toMatchObject({
      name: "Newsroom",
      idleTimeouts: { admin: 10 * 60_000, recipient: 60 * 60_000 },
      powDifficulty: 16,
      expiryDays: 30,
      twoFactorRequired: { admin: false, recipient: false, custodian: true },
      receipt: { ...admin.receipt, pattern: "words:6" },
    })
    expect(await t.client.call(accounts.getSettings, { session: admin.session })).toEqual(next)
    const node = await t.client.call(accounts.getNode)
    expect([node.name, node.expiryDays, node.receipt.pattern]).toEqual(["Newsroom", 30, "words:6"])
    expect(node.manifest.body).toMatchObject({
      version: 2,
      name: "Newsroom",
      receipt: { pattern: "words:6" },
    })
  })

  it.each<[string, SettingsPatch, string]>([
    [
      "an idle timeout under a minute",
      { idleTimeouts: { admin: 59_999 } },
      "body.idleTimeouts.admin",
    ],
    ["an idle timeout over a day", { idleTimeouts: { wb: 86_400_001 } }, "body.idleTimeouts.wb"],
    ["a PoW difficulty over 28 bits", { powDifficulty: 29 }, "body.powDifficulty"],
    ["a PoW difficulty under 4 bits", { powDifficulty: 3 }, "body.powDifficulty"],
    ["a tip lifetime of zero days", { expiryDays: 0 }, "body.expiryDays"],
    ["a fractional tip lifetime", { expiryDays: 1.5 }, "body.expiryDays"],
    ["a receipt pattern under 50 bits", { receiptPattern: "words:4" }, "body.receiptPattern"],
    ["an empty name", { name: "" }, "body.name"],
    ["an empty change", {}, "body"],
  ])("refuses %s, naming the field and changing nothing", async (_, body, field) => {
    const before = await t.client.call(accounts.getSettings, { session: admin.session })
    const e = await relayError(update(body))
    expect([e.status, e.code, e.field]).toEqual([400, "VALIDATION", field])
    expect(await t.client.call(accounts.getSettings, { session: admin.session })).toEqual(before)
  })

  it("refuses a new receipt pattern once a tip exists (its receipt would stop working)", async () => {
    await t.relay.ctx.store.put("tips", "t/seeded-tip", { id: "seeded-tip" })
    const e = await relayError(update({ receiptPattern: "\\d{20}" }))
    expect([e.status, e.code, e.field]).toEqual([409, "CONFLICT", "body.receiptPattern"])
    expect((await update({ receiptPattern: "words:6", expiryDays: 31 })).expiryDays).toBe(31)
    await t.relay.ctx.store.batch().del("tips", "t/seeded-tip").write()
  })

  it("applies a shorter idle timeout to existing sessions", async () => {
    const { session } = await login(t, "admin", admin.password)
    clock.advance(9 * 60_000)
    await t.client.call(accounts.getMe, { session })
    clock.advance(11 * 60_000)
    expect((await relayError(t.client.call(accounts.getMe, { session }))).code).toBe(
      "SESSION_EXPIRED",
    )
    admin = { ...admin, session: (await login(t, "admin", admin.password)).session }
  })

  it("keeps settings from other roles", async () => {
    const account = await createRecipient(t, admin, "reader")
    const reader = await firstLogin(t, "reader", account.oneTimePassword)
    const e = await relayError(t.client.call(accounts.getSettings, { session: reader.session }))
    expect([e.status, e.code]).toEqual([403, "FORBIDDEN"])
  })

  it("lists every account action in the audit log, newest first", async () => {
    const { entries } = await t.client.call(accounts.listAudit, { session: admin.session })
    const actions = entries.map((e) => e.action)
    for (const action of [
      "node.setup",
      "login.success",
      "user.create",
      "password.change",
      "settings.update",
    ]) {
      expect(actions).toContain(action)
    }
    // The clock here stands still, so this also checks the order within one millisecond.
    expect(entries.at(-1)?.action).toBe("node.setup")
    const times = entries.map((e) => e.at)
    expect([...times].sort((a, b) => b - a)).toEqual(times)
    const update = entries.find((e) => e.action === "settings.update")
    expect(update).toMatchObject({ actor: admin.userId, details: { fields: expect.any(String) } })
  })

  it("lists entries written within one millisecond in the order they were written", async () => {
    const actions = Array.from({ length: 20 }, (_, i) => `test.same-ms-${i}`)
    const batch = t.relay.ctx.store.batch()
    for (const action of actions.slice(0, 10))
      t.relay.ctx.audit.add(batch, { actor: "system", action })
    await batch.write()
    for (const action of actions.slice(10))
      await t.relay.ctx.audit.record({ actor: "system", action })
    const newest = await t.relay.ctx.audit.list(actions.length)
    expect(newest.map((e) => e.action)).toEqual([...actions].reverse())
    expect(new Set(newest.map((e) => e.at)).size).toBe(1)
  })

  it("pages the audit log with limit and before", async () => {
    const all = (await t.client.call(accounts.listAudit, { session: admin.session })).entries
    const page = await t.client.call(accounts.listAudit, {
      session: admin.session,
      query: { limit: 2 },
    })
    expect(page.entries).toEqual(all.slice(0, 2))
    const oldest = all.at(-1)?.at ?? 0
    const older = await t.client.call(accounts.listAudit, {
      session: admin.session,
      query: { before: oldest + 1 },
    })
    expect(older.entries.map((e) => e.action)).toContain("node.setup")
    expect(older.entries.every((e) => e.at <= oldest)).toBe(true)
  })
})
