import { createServer } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type ChildRelay, startChildRelay } from "./_childRelay.js"

// Issue 11: uWebSockets.js reuses ports, so a second `npm start` on the same PORT with another
// data dir started without error and the kernel split visitors between the two nodes at random.
// The relay listens exclusively: the second one exits at start with a clear message.

// A port the kernel just handed out, then freed. The first relay must take it by number: the
// kernel never shares a port it picked for a `0` bind, so that would hide the bug.
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0))
    })
  })
}

describe("two relays on one port", () => {
  let first: ChildRelay
  beforeAll(async () => {
    first = await startChildRelay({ PORT: String(await freePort()) })
  })
  afterAll(async () => {
    await first?.destroy()
  })

  it("makes the second relay fail loudly at start, and leaves the first serving alone", async () => {
    const outcome = await startChildRelay({ PORT: String(first.port) }).then(
      async (second) => {
        await second.destroy()
        return "the second relay started"
      },
      (e: unknown) => String(e),
    )
    expect(outcome).toMatch(/exited with 1[\s\S]*cannot start.*port is in use/)
    expect((await fetch(`${first.baseUrl}/api/v1/health`)).status).toBe(200)
  })
})
