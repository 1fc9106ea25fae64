import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startTestRelay, type TestRelay } from "./_harness.js"
import { openPush } from "./_wsClient.js"

// Its own file: the 10 s wait then runs alongside the other test files.
describe("the push WebSocket's auth deadline", () => {
  let t: TestRelay
  beforeAll(async () => {
    t = await startTestRelay()
  })
  afterAll(async () => {
    await t.destroy()
  })

  it("closes a socket that sends no auth message within 10 seconds", async () => {
    const started = Date.now()
    const socket = await openPush(t)
    expect(await socket.closed).toBe(1008)
    expect(Date.now() - started).toBeGreaterThanOrEqual(9_500)
    expect(socket.messages).toMatchObject([{ type: "error", code: "UNAUTHENTICATED" }])
  })
})
