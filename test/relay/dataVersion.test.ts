import { afterAll, describe, expect, it } from "vitest"
import { setupNode } from "./_actors.js"
import { openTestStore, startTestRelay, type TestRelay } from "./_harness.js"

// PROTOCOL_VERSION 2.0.0: a data dir written by relay 1.x (a node without the data version
// marker) is refused at start, unread and unchanged; a 2.x dir restarts as before.

const cleanup: TestRelay[] = []
afterAll(async () => {
  for (const t of cleanup) await t.destroy()
})

describe("the data dir version", () => {
  it("restarts a data dir this relay wrote", async () => {
    const t = await startTestRelay()
    cleanup.push(t)
    await setupNode(t)
    const again = await t.restart()
    cleanup.push(again)
    expect(await again.relay.ctx.store.get("settings", "dataVersion")).toEqual({ major: 3 })
    expect(await again.relay.ctx.store.get("settings", "node")).toBeDefined()
  })

  it("refuses a 1.x data dir at start with DATA_DIR_VERSION and leaves it unread", async () => {
    const t = await startTestRelay()
    cleanup.push(t)
    await setupNode(t)
    // What relay 1.x left behind: a node and no data version marker.
    await t.relay.ctx.store.batch().del("settings", "dataVersion").write()
    const before = await t.relay.ctx.store.get("settings", "node")
    await t.stop()
    await expect(startTestRelay({ dataDir: t.dataDir })).rejects.toMatchObject({
      code: "DATA_DIR_VERSION",
      message: expect.stringContaining("written by protocol 1.x"),
    })
    const reopened = await startTestRelay({ dataDir: t.dataDir }).catch(() => undefined)
    expect(reopened).toBeUndefined()
    // Still there, byte for byte: a later relay 1.x or a migration tool can read it.
    const store = await openTestStore(t.dataDir)
    expect(await store.get("settings", "node")).toEqual(before)
    expect(await store.get("settings", "dataVersion")).toBeUndefined()
    await store.close()
  })
})
