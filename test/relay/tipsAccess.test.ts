import { randomBytes } from "node:crypto"
import { openTipPart, sealTipPart, unwrapTipKey, wrapTipKey } from "@sotto/crypto-core"
import { files, tips, wb } from "@sotto/protocol"
import { ManualClock } from "@sotto/relay"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import type { RelayEvent } from "../../relay/src/services/events.js"
import type { NodeSettings, TipRecord } from "../../relay/src/services/records.js"
import type { TimerTask } from "../../relay/src/services/timers.js"
import { wipeTip } from "../../relay/src/services/tipWipe.js"
import { startTestRelay, type TestRelay } from "./_harness.js"
import {
  refused,
  type SeededNode,
  type Staff,
  type SubmittedTip,
  seedStaff,
  seedTeamContext,
  submit,
  wire,
} from "./_seed.js"
import { chunkHash, chunksOf, encryptToTip, sealMeta } from "./_seedFiles.js"

const DAY = 86_400_000

describe("granting, revoking, postponing and deleting tips", () => {
  const clock = new ManualClock()
  let t: TestRelay
  let node: SeededNode
  let alice: Staff
  let bob: Staff
  let dave: Staff
  let contextId: string
  let sent: SubmittedTip
  const events: RelayEvent[] = []

  beforeAll(async () => {
    t = await startTestRelay({ clock })
    t.relay.ctx.events.subscribe((e) => events.push(e))
    ;({
      node,
      contextId,
      staff: [alice, bob, dave],
    } = await seedTeamContext(t, 3, 2))
    // Holders manage access here; the admins-only default is tested in test/abuse/tipPolicy.test.ts.
    const settings = await t.relay.ctx.store.get<NodeSettings>("settings", "node")
    await t.relay.ctx.store.put("settings", "node", { ...settings, tipPolicy: "holders" })
  })
  beforeEach(async () => {
    sent = await submit(t, node, contextId, [alice, bob])
    events.length = 0
  })
  afterAll(async () => {
    await t.destroy()
  })

  const read = (who: Staff) =>
    t.client.call(tips.getTip, { session: who.token, params: { tipId: sent.tipId } })
  const tipKeyOf = async (who: Staff) => unwrapTipKey((await read(who)).wrap, who.identity)
  const grant = async (from: Staff, to: Staff) => {
    const wrap = wire(await wrapTipKey(await tipKeyOf(from), to.recipient))
    return t.client.call(tips.grantAccess, {
      session: from.token,
      params: { tipId: sent.tipId, userId: to.id },
      body: { wrap },
    })
  }
  const timersOfTip = async () =>
    (await t.relay.ctx.store.list<TimerTask>("timers")).filter(
      ([, task]) => "tipId" in task && task.tipId === sent.tipId,
    )

  it("grants a second staff member access, who can then decrypt the answers", async () => {
    const granted = await grant(alice, dave)
    expect(granted).toEqual({ userId: dave.id, grantedAt: clock.now() })
    const key = await tipKeyOf(dave)
    expect(await openTipPart((await read(dave)).answers, key, "answers")).toEqual(sent.answers)
    expect(events).toContainEqual({
      type: "access.changed",
      tipId: sent.tipId,
      users: expect.arrayContaining([alice.id, bob.id, dave.id]),
      wb: false,
    })
    const audit = await t.relay.ctx.audit.list()
    expect(audit.find((e) => e.action === "tip.access.granted")).toMatchObject({
      actor: alice.id,
      target: sent.tipId,
      details: { userId: dave.id },
    })
  })

  it("refuses a grant to a current holder, to another key, or to an unknown or disabled user", async () => {
    const key = await tipKeyOf(alice)
    const disabled = await seedStaff(t, "recipient", { disabled: true })
    const before = await t.relay.ctx.store.list("wraps")
    const cases: Array<[string, string, number, string, string]> = [
      [bob.id, bob.recipient, 409, "CONFLICT", "params.userId"],
      [dave.id, bob.recipient, 400, "VALIDATION", "body.wrap.to"],
      ["nobody", dave.recipient, 404, "NOT_FOUND", "params.userId"],
      ["wb", dave.recipient, 404, "NOT_FOUND", "params.userId"],
      [disabled.id, disabled.recipient, 404, "NOT_FOUND", "params.userId"],
    ]
    for (const [userId, to, status, code, field] of cases) {
      const wrap = wire(await wrapTipKey(key, to))
      const e = await refused(
        t.client.call(tips.grantAccess, {
          session: alice.token,
          params: { tipId: sent.tipId, userId },
          body: { wrap },
        }),
      )
      expect([e.status, e.code, e.field]).toEqual([status, code, field])
    }
    expect(await t.relay.ctx.store.list("wraps")).toEqual(before)
  })

  it("revokes access: the revoked member gets 404 and holds no wrap any more", async () => {
    await grant(alice, dave)
    await t.client.call(tips.revokeAccess, {
      session: alice.token,
      params: { tipId: sent.tipId, userId: dave.id },
    })
    expect((await refused(read(dave))).status).toBe(404)
    expect(await t.relay.ctx.store.get("wraps", `${sent.tipId}/${dave.id}`)).toBeUndefined()
    const { tips: list } = await t.client.call(tips.listTips, { session: dave.token })
    expect(list.map((x) => x.id)).not.toContain(sent.tipId)
    expect(events.at(-1)).toEqual({
      type: "access.changed",
      tipId: sent.tipId,
      users: expect.arrayContaining([alice.id, bob.id, dave.id]),
      wb: false,
    })
  })

  it("never revokes the whistleblower or the last staff holder", async () => {
    const revoke = (who: Staff, userId: string) =>
      t.client.call(tips.revokeAccess, {
        session: who.token,
        params: { tipId: sent.tipId, userId },
      })
    const wbRevoke = await refused(revoke(alice, "wb"))
    expect([wbRevoke.status, wbRevoke.code]).toEqual([409, "CONFLICT"])
    await revoke(alice, bob.id)
    const last = await refused(revoke(alice, alice.id))
    expect([last.status, last.code]).toEqual([409, "CONFLICT"])
    const none = await refused(revoke(alice, dave.id))
    expect([none.status, none.field]).toEqual([404, "params.userId"])
    expect(await t.relay.ctx.store.get("wraps", `${sent.tipId}/wb`)).toBeDefined()
    expect(await t.relay.ctx.store.get("wraps", `${sent.tipId}/${alice.id}`)).toBeDefined()
  })

  it("postpones the expiry, moving the expiry and reminder timers with it", async () => {
    const before = await t.relay.ctx.store.get<TipRecord>("tips", `t/${sent.tipId}`)
    const { expiresAt } = await t.client.call(tips.postponeTip, {
      session: bob.token,
      params: { tipId: sent.tipId },
      body: { days: 10 },
    })
    expect(expiresAt).toBe(sent.expiresAt + 10 * DAY)
    const after = await t.relay.ctx.store.get<TipRecord>("tips", `t/${sent.tipId}`)
    expect(after?.expiresAt).toBe(expiresAt)
    for (const key of before?.timerKeys ?? []) {
      expect(await t.relay.ctx.store.get("timers", key)).toBeUndefined()
    }
    const timers = await timersOfTip()
    expect(timers.map(([key]) => key).sort()).toEqual([...(after?.timerKeys ?? [])].sort())
    expect(timers.map(([key, task]) => [Number(key.slice(0, 13)), task.kind]).sort()).toEqual(
      [
        [expiresAt, "tip.expire"],
        [expiresAt - 7 * DAY, "tip.remind"],
      ].sort(),
    )
    expect(
      (await t.relay.ctx.audit.list()).find((e) => e.action === "tip.postponed"),
    ).toMatchObject({
      actor: bob.id,
      details: { days: 10, expiresAt },
    })
  })

  it("deletes a tip with its comments, files and chunks, wraps, timers and receipt sessions", async () => {
    const store = t.relay.ctx.store
    const key = await tipKeyOf(alice)
    await t.client.call(wb.addWbComment, {
      session: sent.session,
      body: { age: await sealTipPart(key.recipient, "comment", { text: "hello" }) },
    })
    const bytes = await encryptToTip(key, new Uint8Array(randomBytes(100 * 1024)))
    const chunkSize = 64 * 1024
    const { fileId } = await t.client.call(files.createFile, {
      session: sent.session,
      params: { tipId: sent.tipId },
      body: { meta: await sealMeta(key), size: bytes.byteLength, chunkSize },
    })
    for (const [index, chunk] of chunksOf(bytes, chunkSize).entries()) {
      await t.client.call(files.putFileChunk, {
        session: sent.session,
        params: { fileId, index: String(index) },
        body: chunk,
        headers: { "X-Chunk-Sha256": chunkHash(chunk) },
      })
    }
    await t.client.call(files.finalizeFile, { session: sent.session, params: { fileId } })
    const tip = await store.get<TipRecord>("tips", `t/${sent.tipId}`)
    expect((await store.backend.readBlob(fileId, 0, bytes.byteLength + 1))?.byteLength).toBe(
      bytes.byteLength,
    )

    await t.client.call(tips.deleteTip, { session: bob.token, params: { tipId: sent.tipId } })

    const mentions = async (
      sublevel: "tips" | "wraps" | "objects" | "chunks" | "timers" | "sessions",
    ) => JSON.stringify(await store.list(sublevel)).includes(sent.tipId)
    for (const sublevel of ["tips", "wraps", "objects", "chunks", "timers", "sessions"] as const) {
      expect(await mentions(sublevel), sublevel).toBe(false)
    }
    expect(await store.get("tips", `r/${tip?.wbAuthVerifier}`)).toBeUndefined()
    expect((await store.keys("chunks")).filter((k) => k.startsWith(fileId))).toEqual([])
    expect(await store.backend.readBlob(fileId, 0, 1)).toBeUndefined()
    expect((await refused(read(alice))).status).toBe(404)
    expect((await refused(t.client.call(wb.getWbTip, { session: sent.session }))).status).toBe(401)
    expect(events).toContainEqual({
      type: "tip.deleted",
      tipId: sent.tipId,
      users: expect.arrayContaining([alice.id, bob.id]),
      wb: true,
    })
    expect((await t.relay.ctx.audit.list()).find((e) => e.action === "tip.wiped")).toMatchObject({
      actor: bob.id,
      target: sent.tipId,
      details: { objects: 2, chunks: 2, wraps: 3, sessions: 1 },
    })
  })

  it("answers 404 to a non-holder on every staff route of the tip, changing nothing", async () => {
    const params = { tipId: sent.tipId }
    const session = dave.token
    const key = await tipKeyOf(alice)
    const wrap = wire(await wrapTipKey(key, dave.recipient))
    const age = await sealTipPart(key.recipient, "comment", { text: "let me in" })
    const before = await t.relay.ctx.store.list("tips")
    const calls = [
      () => t.client.call(tips.getTip, { session, params }),
      () => t.client.call(tips.addTipComment, { session, params, body: { age } }),
      () => t.client.call(tips.updateTip, { session, params, body: { status: "closed" } }),
      () =>
        t.client.call(tips.grantAccess, {
          session,
          params: { ...params, userId: dave.id },
          body: { wrap },
        }),
      () => t.client.call(tips.revokeAccess, { session, params: { ...params, userId: alice.id } }),
      () => t.client.call(tips.postponeTip, { session, params, body: { days: 3 } }),
      () => t.client.call(tips.deleteTip, { session, params }),
    ]
    for (const call of calls) {
      const e = await refused(call())
      expect([e.status, e.code]).toEqual([404, "NOT_FOUND"])
    }
    expect(await t.relay.ctx.store.list("tips")).toEqual(before)
  })

  // Last: moving the clock a month ends every staff session.
  it("wipes a tip when its expiry falls due, and reports a tip that is already gone", async () => {
    clock.advance(30 * DAY - 1)
    await t.relay.timers.runDue()
    expect(await t.relay.ctx.store.get("tips", `t/${sent.tipId}`)).toBeDefined()
    clock.advance(1)
    await t.relay.timers.runDue()
    expect(await t.relay.ctx.store.get("tips", `t/${sent.tipId}`)).toBeUndefined()
    expect(await timersOfTip()).toEqual([])
    expect(await wipeTip(t.relay.ctx, sent.tipId, "system")).toBe(false)
  })
})
