import { wb } from "@sotto/protocol"
import { afterAll, describe, expect, it } from "vitest"
import type { TipRecord } from "../../relay/src/services/records.js"
import { startChildRelay } from "../abuse/_childRelay.js"
import { startTestRelay, type TestRelay, testStoreEnv } from "./_harness.js"
import { buildSubmission, seedTeamContext } from "./_seed.js"

// Group commit (issue 14): concurrent POST /tips share one synced batch, and none of them is
// acknowledged before that batch is durable. The relay runs as its own process and is killed with
// SIGKILL the moment the first acknowledgement arrives; every acknowledged tip is there after the
// restart, and every tip that is there is whole (record, receipt index, wraps).

const cleanup: Array<() => Promise<void>> = []
afterAll(async () => {
  for (const stop of cleanup.reverse()) await stop()
})

const SUBMISSIONS = 8

describe("submissions killed right after their acknowledgement", () => {
  it("keeps every acknowledged tip, whole, when the relay is killed with SIGKILL", async () => {
    const seeded: TestRelay = await startTestRelay()
    cleanup.push(() => seeded.destroy())
    const { node, staff, contextId } = await seedTeamContext(seeded, 1, 1, 1)
    const built = await Promise.all(
      Array.from({ length: SUBMISSIONS }, () => buildSubmission(node, contextId, staff)),
    )
    await seeded.stop()

    const child = await startChildRelay({
      DATA_DIR: seeded.dataDir,
      SECRETS_KEY_FILE: `${seeded.dataDir}.secrets.key`,
      // The seeded relay's store, on PostgreSQL too (SOTTO_TEST_STORE_URL).
      ...testStoreEnv(seeded.dataDir),
    })
    cleanup.push(() => child.destroy())
    // Proofs of work from the child (its challenge key lives in its memory), solved beforehand.
    const { powBinding, solvePow } = await import("@sotto/crypto-core")
    const bodies = []
    for (const { body } of built) {
      const res = await fetch(`${child.baseUrl}${wb.getPow.path}?for=submitTip`)
      const challenge = (await res.json()) as { challenge: string; difficulty: number }
      const nonce = await solvePow({ ...challenge, binding: powBinding("submitTip", body) })
      bodies.push(JSON.stringify({ pow: { challenge: challenge.challenge, nonce }, ...body }))
    }

    const acknowledged: string[] = []
    let killed = false
    await Promise.allSettled(
      bodies.map(async (body) => {
        const res = await fetch(`${child.baseUrl}${wb.submitTip.path}`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body,
        })
        if (res.status !== 201) throw new Error(`POST /tips answered ${res.status}`)
        if (!killed) {
          killed = true
          process.kill(child.pid, "SIGKILL")
        }
        acknowledged.push(((await res.json()) as { tipId: string }).tipId)
      }),
    )
    expect(killed).toBe(true)
    expect(acknowledged.length).toBeGreaterThanOrEqual(1)

    const after = await startTestRelay({ dataDir: seeded.dataDir })
    cleanup.push(() => after.stop())
    const store = after.relay.ctx.store
    for (const tipId of acknowledged) {
      expect(await store.get<TipRecord>("tips", `t/${tipId}`)).toMatchObject({ id: tipId })
    }
    const stored = (await store.list<TipRecord>("tips", { gte: "t/", lt: "t/\uffff" })).map(
      ([, tip]) => tip,
    )
    expect(stored.length).toBeGreaterThanOrEqual(acknowledged.length)
    for (const tip of stored) {
      expect(await store.get("tips", `r/${tip.wbAuthVerifier}`)).toBe(tip.id)
      const wraps = await store.keys("wraps", { gte: `${tip.id}/`, lt: `${tip.id}/\uffff` })
      expect(wraps.sort()).toEqual([`${tip.id}/${staff[0]?.id}`, `${tip.id}/wb`].sort())
    }
  })
})
