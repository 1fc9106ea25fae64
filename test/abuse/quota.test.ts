import { randomBytes } from "node:crypto"
import { sealTipPart } from "@sotto/crypto-core"
import { files, stats, tips, wb } from "@sotto/protocol"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { diskGuard } from "../../relay/src/services/diskGuard.js"
import { startTestRelay, type TestRelay } from "../relay/_harness.js"
import {
  buildSubmission,
  refused,
  type SeededNode,
  type Staff,
  type SubmittedTip,
  seedStaff,
  seedTeamContext,
  solve,
  submit,
} from "../relay/_seed.js"
import { sealMeta } from "../relay/_seedFiles.js"

// Attacks on the disk (issue 11: "one anonymous client stored 413 MiB in 60 s"): fill one tip
// with comments, and keep writing while the disk runs out.

describe("quotas and the free-disk watermark", () => {
  let t: TestRelay
  let node: SeededNode
  let alice: Staff
  let contextId: string
  let flooder: SubmittedTip
  let other: SubmittedTip

  /** A sealed comment of about `chars` armored characters, as a browser seals one. */
  const bigComment = (tip: SubmittedTip, chars: number) =>
    sealTipPart(tip.tip.recipient, "comment", {
      text: randomBytes(Math.floor((chars * 0.72) / 2)).toString("hex"),
    })

  beforeAll(async () => {
    t = await startTestRelay()
    ;({
      node,
      contextId,
      staff: [alice],
    } = await seedTeamContext(t, 1, 1, 2))
    flooder = await submit(t, node, contextId, [alice])
    other = await submit(t, node, contextId, [alice])
  })
  afterAll(async () => {
    await t?.destroy()
  })

  it("refuses an anonymous client past its tip's comment quota, while serving others", async () => {
    const age = await bigComment(flooder, 60 * 1024)
    let accepted = 0
    let refusal: Awaited<ReturnType<typeof refused>> | undefined
    while (accepted < 400 && !refusal) {
      try {
        await t.client.call(wb.addWbComment, { session: flooder.session, body: { age } })
        accepted++
      } catch {
        refusal = await refused(
          t.client.call(wb.addWbComment, { session: flooder.session, body: { age } }),
        )
      }
    }
    expect([refusal?.status, refusal?.code, refusal?.field]).toEqual([
      403,
      "QUOTA_EXCEEDED",
      "body.age",
    ])
    // 8 MiB of sealed comments per tip, then no more.
    expect(accepted * age.length).toBeLessThanOrEqual(8 * 1024 * 1024)
    expect((accepted + 1) * age.length).toBeGreaterThan(8 * 1024 * 1024)
    // Another whistleblower and the staff go on as usual.
    const small = await bigComment(other, 1000)
    await t.client.call(wb.addWbComment, { session: other.session, body: { age: small } })
    const view = await t.client.call(tips.getTip, {
      session: alice.token,
      params: { tipId: other.tipId },
    })
    expect(view.comments).toHaveLength(1)
  })

  it("refuses anonymous writes with 507 under the disk watermark, staff writes go on", async () => {
    const guard = diskGuard(t.relay.ctx)
    const realProbe = guard.probe
    guard.probe = async () => guard.minFreeBytes - 1
    guard.refresh()
    try {
      const built = await buildSubmission(node, contextId, [alice])
      const pow = await solve(t, "submitTip", built.body)
      const full = await refused(t.client.call(wb.submitTip, { body: { pow, ...built.body } }))
      expect([full.status, full.code]).toEqual([507, "INSUFFICIENT_STORAGE"])
      const age = await bigComment(other, 500)
      const comment = await refused(
        t.client.call(wb.addWbComment, { session: other.session, body: { age } }),
      )
      expect(comment.code).toBe("INSUFFICIENT_STORAGE")
      const upload = await refused(
        t.client.call(files.createFile, {
          params: { tipId: other.tipId },
          body: { meta: await sealMeta(other.tip), size: 1000, chunkSize: 64 * 1024 },
          session: other.session,
        }),
      )
      expect(upload.code).toBe("INSUFFICIENT_STORAGE")
      // Staff still answer; the admin sees why whistleblowers are turned away.
      await t.client.call(tips.addTipComment, {
        session: alice.token,
        params: { tipId: other.tipId },
        body: { age },
      })
      const seen = await t.client.call(stats.getStats, {
        session: (await seedStaff(t, "admin")).token,
      })
      expect(seen.disk.low).toBe(true)

      // Room again: the same proof was not spent by the refusal and goes through.
      guard.probe = realProbe
      guard.refresh()
      const res = await t.client.call(wb.submitTip, { body: { pow, ...built.body } })
      expect(res.tipId).toBeTruthy()
    } finally {
      guard.probe = realProbe
      guard.refresh()
    }
  })
})
