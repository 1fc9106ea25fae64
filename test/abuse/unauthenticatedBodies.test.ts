import { randomBytes } from "node:crypto"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type ChildRelay, startChildRelay } from "./_childRelay.js"
import { inBatches, rawRequest } from "./_raw.js"

// Issue 11: request bodies up to the route limit (1 MiB on a chunk PUT) were buffered before
// authentication, with no cap on bytes in flight: 300 unauthenticated chunk PUTs took the relay
// from 145 to 420 MiB RSS. Now a route that needs a session is refused from its headers, and a
// token is checked with the body paused.

/** RSS growth allowed over the 300 PUTs, in MiB (buffering them all would be ~300). */
const RSS_BOUND_MIB = 64

describe("unauthenticated chunk uploads", () => {
  let relay: ChildRelay
  const chunk = randomBytes(1024 * 1024)
  const put = (i: number, headers: Record<string, string>) =>
    rawRequest(relay.baseUrl, `/api/v1/files/${"A".repeat(22)}/chunks/${i % 100}`, {
      method: "PUT",
      headers: {
        "Content-Type": "application/octet-stream",
        "Content-Length": chunk.byteLength,
        "X-Chunk-Sha256": "A".repeat(43),
        ...headers,
      },
      body: chunk,
      discard: false,
    }).then(
      (res) => ({ status: res.status, code: JSON.parse(res.body.toString()).error?.code }),
      // The relay may close before the client has finished sending: a refusal all the same.
      (e: NodeJS.ErrnoException) => ({ status: 0, code: e.code ?? "ERROR" }),
    )

  beforeAll(async () => {
    relay = await startChildRelay()
  })
  afterAll(async () => {
    await relay?.destroy()
  })

  it(`refuses 300 1 MiB PUTs without a session from their headers, RSS within ${RSS_BOUND_MIB} MiB`, async () => {
    await put(0, {})
    const before = await relay.rssMiB()
    const results = await inBatches(300, 300, (i) => put(i, {}))
    const after = await relay.rssMiB()
    const answered = results.filter((r) => r.status !== 0)
    expect(answered.length).toBeGreaterThan(250)
    for (const r of answered) expect(r).toEqual({ status: 401, code: "UNAUTHENTICATED" })
    expect(after - before).toBeLessThan(RSS_BOUND_MIB)
  })

  it(`refuses 300 1 MiB PUTs with an invented token before reading them, RSS within ${RSS_BOUND_MIB} MiB`, async () => {
    const before = await relay.rssMiB()
    const results = await inBatches(300, 300, (i) =>
      put(i, { "X-Session": randomBytes(32).toString("base64url") }),
    )
    const after = await relay.rssMiB()
    const answered = results.filter((r) => r.status !== 0)
    expect(answered.length).toBeGreaterThan(250)
    // 401 for the unknown token, or 503 when the bytes that arrived before the check fill a cap.
    for (const r of answered)
      expect([
        { status: 401, code: "UNAUTHENTICATED" },
        { status: 503, code: "OVERLOADED" },
      ]).toContainEqual(r)
    expect(after - before).toBeLessThan(RSS_BOUND_MIB)
  })

  it("still serves a normal request afterwards", async () => {
    const res = await fetch(`${relay.baseUrl}/api/v1/health`)
    expect(res.status).toBe(200)
  })
})
