import { accounts, tips } from "@sotto/protocol"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startTestRelay, type TestRelay } from "../relay/_harness.js"
import { refused, type Staff, seedTeamContext, submit } from "../relay/_seed.js"

// Attack: one holder of a report (a curious or compromised recipient) deletes it or cuts every
// co-holder off (issue 11: "any single holder can revoke every co-holder and delete a report").

describe("who may delete a tip and revoke other holders", () => {
  let t: TestRelay
  let admin: Staff
  let alice: Staff
  let bob: Staff
  let tipId: string
  let node: Awaited<ReturnType<typeof seedTeamContext<2>>>["node"]
  let contextId: string

  const newTip = async () => (await submit(t, node, contextId, [alice, bob])).tipId
  const auditActions = async () =>
    (await t.client.call(accounts.listAudit, { session: admin.token, query: { limit: 500 } }))
      .entries

  beforeAll(async () => {
    t = await startTestRelay()
    let staff: [Staff, Staff]
    ;({ node, admin, staff, contextId } = await seedTeamContext(t, 2, 2, 4))
    ;[alice, bob] = staff
    tipId = await newTip()
  })
  afterAll(async () => {
    await t?.destroy()
  })

  it("defaults to admins only: a holder can neither delete the tip nor revoke a co-holder", async () => {
    const settings = await t.client.call(accounts.getSettings, { session: admin.token })
    expect(settings.tipPolicy).toBe("admins")
    const del = await refused(
      t.client.call(tips.deleteTip, { session: bob.token, params: { tipId } }),
    )
    expect([del.status, del.code]).toEqual([403, "FORBIDDEN"])
    const revoke = await refused(
      t.client.call(tips.revokeAccess, { session: bob.token, params: { tipId, userId: alice.id } }),
    )
    expect([revoke.status, revoke.code]).toEqual([403, "FORBIDDEN"])
    const view = await t.client.call(tips.getTip, { session: alice.token, params: { tipId } })
    expect(view.tip.id).toBe(tipId)
  })

  it("lets a holder leave a tip (revoke their own access) under either policy", async () => {
    const other = await newTip()
    await t.client.call(tips.revokeAccess, {
      session: bob.token,
      params: { tipId: other, userId: bob.id },
    })
    const gone = await refused(
      t.client.call(tips.getTip, { session: bob.token, params: { tipId: other } }),
    )
    expect(gone.code).toBe("NOT_FOUND")
  })

  it("lets an admin who holds no wrap revoke a holder and delete the tip, audited", async () => {
    const other = await newTip()
    await t.client.call(tips.revokeAccess, {
      session: admin.token,
      params: { tipId: other, userId: bob.id },
    })
    await t.client.call(tips.deleteTip, { session: admin.token, params: { tipId: other } })
    const entries = await auditActions()
    expect(entries.some((e) => e.action === "tip.access.revoked" && e.actor === admin.id)).toBe(
      true,
    )
    expect(
      entries.some(
        (e) => e.target === other && e.actor === admin.id && /delet|wipe/.test(e.action),
      ),
    ).toBe(true)
  })

  it("lets any holder delete and revoke once the admin sets the policy to holders", async () => {
    await t.client.call(accounts.updateSettings, {
      session: admin.token,
      body: { tipPolicy: "holders" },
    })
    await t.client.call(tips.revokeAccess, {
      session: bob.token,
      params: { tipId, userId: alice.id },
    })
    await t.client.call(tips.deleteTip, { session: bob.token, params: { tipId } })
    const entries = await auditActions()
    expect(
      entries.some((e) => e.action === "settings.update" && e.details?.fields === "tipPolicy"),
    ).toBe(true)
    expect(
      entries.some((e) => e.target === tipId && e.actor === bob.id && /delet|wipe/.test(e.action)),
    ).toBe(true)
  })
})
