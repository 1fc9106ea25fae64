import { setImmediate as nextTurn } from "node:timers/promises"
import { describe, expect, it } from "vitest"
import { GroupCommit } from "./_groupCommit.js"
import type { BatchOp, BatchOptions } from "./backend.js"
import { MemoryBackend } from "./memoryBackend.js"

// A backend whose every write takes `ms` (a synced write on a busy disk), counting its writes.
class SlowBackend extends MemoryBackend {
  writes = 0
  failKey: string | undefined

  constructor(private readonly ms: number) {
    super()
  }

  override async batch(ops: readonly BatchOp[], _options?: BatchOptions): Promise<void> {
    this.writes++
    await new Promise((resolve) => setTimeout(resolve, this.ms))
    if (ops.some((op) => op.key === this.failKey)) throw new Error("refused")
    await super.batch(ops)
  }
}

const put = (key: string): BatchOp => ({
  type: "put",
  sublevel: "tips",
  key,
  value: new Uint8Array([1]),
})

describe("group commit", () => {
  it("settles concurrent writers that come back a turn later into full groups", async () => {
    const backend = new SlowBackend(20)
    const commits = new GroupCommit(backend)
    const writers = 8
    const rounds = 5
    // Each writer writes, then (like a client answered over the network) returns a turn later.
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let r = 0; r < rounds; r++) {
          await commits.write([put(`${w}/${r}`)], true)
          await nextTurn()
        }
      }),
    )
    for (let w = 0; w < writers; w++) {
      for (let r = 0; r < rounds; r++) expect(await backend.get("tips", `${w}/${r}`)).toBeDefined()
    }
    // Without the window the first writer back goes alone and the rest follow: 2 writes a round.
    expect(backend.writes).toBeLessThanOrEqual(rounds + 2)
  })

  it("fails only the batch that fails, when it was grouped with others", async () => {
    const backend = new SlowBackend(5)
    backend.failKey = "bad"
    const commits = new GroupCommit(backend)
    const first = commits.write([put("first")], true)
    const results = await Promise.allSettled([
      commits.write([put("a")], true),
      commits.write([put("bad")], true),
      commits.write([put("b")], true),
    ])
    await first
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"])
    expect(await backend.get("tips", "a")).toBeDefined()
    expect(await backend.get("tips", "bad")).toBeUndefined()
  })
})
