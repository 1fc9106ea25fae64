import { RelayClient } from "@sotto/protocol"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { openAsRecipient, type PreparedNode, prepareNode, staffComment } from "../e2e/_node.js"
import { submitTip, type Whistleblower, wbComment, wbRead } from "../e2e/_recipientWb.js"
import type { StaffActor } from "../relay/_actors.js"
import { startTestRelay, type TestRelay } from "../relay/_harness.js"
import { type EvilRelay, startEvilRelay } from "./_evilRelay.js"

// Newest-message withholding (issue 10 follow-up to attack 6). A relay can always keep the newest
// entries of a transcript from a reader: nothing signed tells the reader they exist. What becomes
// detectable: every entry's `prev` is the head its author saw, so when the other side writes
// next, its entry sits in the same place as the withheld one, and the side whose message was
// withheld is told "written without seeing your message" (UNSEEN). SPEC §15 states the rest.
// Seen failing before: the recipient's reader reported the whistleblower's reply only as a
// generic FORK ("written at the same time, or inserted"), which names no withholding and was put
// on whichever entry the relay listed second.

type Comment = { id: string; author: string; createdAt: number; age: string }

let t: TestRelay
let evil: EvilRelay
let node: PreparedNode
let alice: StaffActor
let who: Whistleblower

beforeAll(async () => {
  t = await startTestRelay()
  evil = await startEvilRelay(t.baseUrl)
  node = await prepareNode(t, { recipients: 1 })
  alice = node.recipients[0] as StaffActor
  who = await submitTip(
    t,
    node.contextId,
    [{ userId: alice.userId, name: "Alice", recipient: alice.recipient }],
    { what: "The ledgers are cooked" },
  )
}, 120_000)
afterAll(async () => {
  await evil?.close()
  await t?.destroy()
})

const viaEvil = (): TestRelay => ({ ...t, client: new RelayClient(evil.baseUrl) })
const texts = (entries: readonly { entry?: { content: unknown } }[]) =>
  entries.map((e) => (e.entry?.content as { text?: string } | undefined)?.text)

describe("a relay withholding the newest message", () => {
  it("stays undetected while the other side says nothing (what remains possible)", async () => {
    await staffComment(t, alice, who.tipId, "A1 please call the desk")
    // The relay keeps every staff message from the whistleblower.
    evil.onResponse((req, res) => {
      if (req.method !== "GET" || req.path !== "/api/v1/wb/tip") return undefined
      const body = res.json() as { comments: Comment[] }
      return { body: { ...body, comments: body.comments.filter((c) => c.author === "wb") } }
    })
    const seen = await wbRead(viaEvil(), who)
    expect(texts(seen.transcript.entries)).toEqual([])
    expect(seen.transcript.entries.flatMap((e) => e.problems)).toEqual([])
  })

  it("shows the recipient that the whistleblower's reply was written without seeing theirs", async () => {
    await wbComment(viaEvil(), who, "W1 is anyone there?")
    evil.onResponse(undefined)
    const { checked } = await openAsRecipient(t, alice, who.tipId)
    const byText = new Map(
      checked.transcript.entries.map((e) => [
        (e.entry?.content as { text?: string } | undefined)?.text,
        e.problems.map((p) => p.code),
      ]),
    )
    expect(byText.get("A1 please call the desk")).toEqual([])
    expect(byText.get("W1 is anyone there?")).toEqual(["UNSEEN"])
    const unseen = checked.transcript.entries.find((e) => e.problems.length > 0)
    expect(unseen?.problems[0]?.message).toMatch(/without seeing your side's message #1/)
  })

  it("tells the whistleblower, once the message arrives, that it never saw theirs either", async () => {
    const mine = await wbRead(t, who)
    const staffEntry = mine.transcript.entries.find((e) => e.entry?.author.role === "staff")
    expect(staffEntry?.problems.map((p) => p.code)).toEqual(["UNSEEN"])
    const own = mine.transcript.entries.find((e) => e.entry?.author.role === "whistleblower")
    expect(own?.problems).toEqual([])
  })
})
