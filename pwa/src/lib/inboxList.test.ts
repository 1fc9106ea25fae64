import { describe, expect, it } from "vitest"
import { applyLiveEvent, mergePage } from "./inboxList.js"
import type { TipSummary } from "./staffTips.js"

const line = (id: string, createdAt: number, comments = 0): TipSummary => ({
  id,
  contextId: "ctx",
  createdAt,
  updatedAt: createdAt,
  expiresAt: createdAt + 1000,
  status: "new",
  labels: [],
  comments,
  files: 0,
})
const ids = (list: readonly TipSummary[] | undefined) => list?.map((t) => t.id)

describe("the inbox list", () => {
  it("merges a later page once per tip, newest first", () => {
    const first = [line("e", 5), line("d", 4)]
    expect(ids(mergePage(first, [line("d", 4), line("c", 3)]))).toEqual(["e", "d", "c"])
  })

  it("applies a changed line, a new tip and removals in place", () => {
    const list = [line("e", 5), line("d", 4)]
    const commented = applyLiveEvent(list, true, {
      type: "comment.created",
      tipId: "d",
      tip: line("d", 4, 7),
    })
    expect(commented?.find((t) => t.id === "d")?.comments).toBe(7)
    const arrived = applyLiveEvent(list, true, {
      type: "tip.created",
      tipId: "f",
      tip: line("f", 6),
    })
    expect(ids(arrived)).toEqual(["f", "e", "d"])
    expect(
      ids(applyLiveEvent(list, false, { type: "access.changed", tipId: "e", removed: true })),
    ).toEqual(["d"])
    expect(ids(applyLiveEvent(list, false, { type: "tip.deleted", tipId: "d" }))).toEqual(["e"])
  })

  it("leaves a line older than every loaded one for Load more while pages remain", () => {
    const list = [line("e", 5), line("d", 4)]
    const old = { type: "access.changed", tipId: "a", tip: line("a", 1) } as const
    expect(ids(applyLiveEvent(list, true, old))).toEqual(["e", "d"])
    expect(ids(applyLiveEvent(list, false, old))).toEqual(["e", "d", "a"])
  })

  it("asks for a reload when an event carries no line", () => {
    expect(
      applyLiveEvent([line("e", 5)], false, { type: "tip.updated", tipId: "e" }),
    ).toBeUndefined()
  })
})
