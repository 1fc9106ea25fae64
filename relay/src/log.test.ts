import { describe, expect, it } from "vitest"
import { createLogger } from "./log.js"

describe("the relay logger", () => {
  it("writes one JSON object per line with the event and its fields", () => {
    const lines: string[] = []
    createLogger("info", (l) => lines.push(l)).info("tip_created", { tipId: "abc", count: 2 })
    const entry = JSON.parse(lines[0] ?? "{}")
    expect(entry).toMatchObject({ level: "info", event: "tip_created", tipId: "abc", count: 2 })
  })

  it("redacts fields whose names look secret or identifying, whatever the caller passes", () => {
    const lines: string[] = []
    const log = createLogger("debug", (l) => lines.push(l))
    log.warn("oops", {
      password: "hunter2",
      authKey: "k",
      sessionToken: "t",
      receipt: "1234",
      ip: "10.0.0.1",
      remoteAddress: "x",
      body: "{}",
    })
    expect(lines[0]).not.toMatch(/hunter2|10\.0\.0\.1|"1234"/)
    expect(JSON.parse(lines[0] ?? "{}").password).toBe("[redacted]")
  })

  it("drops lines below its level and says nothing when silent", () => {
    const lines: string[] = []
    createLogger("warn", (l) => lines.push(l)).info("ignored")
    createLogger("silent", (l) => lines.push(l)).error("ignored too")
    expect(lines).toEqual([])
  })
})
