import { setTimeout as sleep } from "node:timers/promises"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startTestRelay, type TestRelay } from "../relay/_harness.js"
import { type SeededTip, seedTip } from "../relay/_seedFiles.js"
import { type SlowBody, slowBody, within } from "./_slowBody.js"

// Issue 11: nothing capped requests, bodies or bytes in flight, so a flood of slow uploads could
// pile up without bound. Past a cap the relay now answers at once with 503 (node-wide) or 429 (per
// session), JSON and Retry-After, and serves normal requests meanwhile.

const ANON_BODIES = 4
const SESSION_BODIES = 2

describe("a flood of slow uploads", () => {
  let t: TestRelay
  let a: SeededTip
  const held: SlowBody[] = []
  const submission = () =>
    slowBody(t.baseUrl, "/api/v1/tips", "POST", { "Content-Type": "application/json" }, 600_000)
  const chunkPut = (session: string, fileId: string, index: number) =>
    slowBody(
      t.baseUrl,
      `/api/v1/files/${fileId}/chunks/${index}`,
      "PUT",
      {
        "Content-Type": "application/octet-stream",
        "X-Session": session,
        "X-Chunk-Sha256": "A".repeat(43),
      },
      1024 * 1024,
    )

  beforeAll(async () => {
    t = await startTestRelay({
      env: {
        MAX_ANON_BODIES: String(ANON_BODIES + SESSION_BODIES + 1),
        MAX_SESSION_BODIES: String(SESSION_BODIES),
      },
    })
    a = await seedTip(t)
  })
  afterAll(async () => {
    for (const h of held) h.abandon()
    await t.destroy()
  })

  it("answers 429 RATE_LIMITED with Retry-After past one session's bodies in flight", async () => {
    const fileId = "B".repeat(22)
    const mine = Array.from({ length: SESSION_BODIES }, (_, i) => chunkPut(a.wb, fileId, i))
    held.push(...mine)
    await sleep(300)
    for (const h of mine) expect(await within(h.answered, 10)).toBe("pending")
    const extra = chunkPut(a.wb, fileId, 9)
    held.push(extra)
    const refused = await within(extra.answered, 3000)
    expect(refused).not.toBe("pending")
    if (refused === "pending") return
    expect(refused.status).toBe(429)
    expect(refused.body).toMatchObject({ error: { code: "RATE_LIMITED" } })
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0)
    expect(refused.headers["cache-control"]).toBe("no-store")
    for (const h of mine) h.abandon()
  })

  it("answers 503 OVERLOADED with Retry-After past the anonymous bodies in flight, and keeps serving", async () => {
    await sleep(200)
    const flood = Array.from({ length: ANON_BODIES + SESSION_BODIES + 1 }, submission)
    held.push(...flood)
    await sleep(300)
    for (const h of flood) expect(await within(h.answered, 10)).toBe("pending")
    const extra = submission()
    held.push(extra)
    const refused = await within(extra.answered, 3000)
    expect(refused).not.toBe("pending")
    if (refused === "pending") return
    expect(refused.status).toBe(503)
    expect(refused.body).toMatchObject({ error: { code: "OVERLOADED" } })
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0)
    // A request without a body, and a staff session's, still go through during the flood.
    expect((await fetch(`${t.baseUrl}/api/v1/health`)).status).toBe(200)
    const staff = await fetch(`${t.baseUrl}/api/v1/tips`, {
      headers: { "X-Session": a.recipient.token },
    })
    expect(staff.status).toBe(200)
    // Once the flood goes away, an anonymous upload is admitted again (and judged on its body).
    for (const h of flood) h.abandon()
    await sleep(200)
    const after = await fetch(`${t.baseUrl}/api/v1/tips`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{}",
    })
    expect(after.status).toBe(400)
  })
})

describe("requests in flight node-wide", () => {
  let t: TestRelay
  const held: SlowBody[] = []
  beforeAll(async () => {
    t = await startTestRelay({ env: { MAX_REQUESTS: "3" } })
  })
  afterAll(async () => {
    for (const h of held) h.abandon()
    await t.destroy()
  })

  it("answers 503 OVERLOADED past MAX_REQUESTS, and serves again once they end", async () => {
    for (let i = 0; i < 3; i++)
      held.push(
        slowBody(t.baseUrl, "/api/v1/tips", "POST", { "Content-Type": "application/json" }, 9000),
      )
    await sleep(300)
    const refused = await within(fetch(`${t.baseUrl}/api/v1/health`), 3000)
    expect(refused).not.toBe("pending")
    if (refused === "pending") return
    expect(refused.status).toBe(503)
    expect(refused.headers.get("retry-after")).toBe("5")
    expect((await refused.json()).error.code).toBe("OVERLOADED")
    for (const h of held) h.abandon()
    await sleep(200)
    expect((await fetch(`${t.baseUrl}/api/v1/health`)).status).toBe(200)
  })
})
