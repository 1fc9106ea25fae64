import { beforeAll, describe, expect, it } from "vitest"
import { accountSigner } from "./accountSigning.js"
import { generateAgeIdentity } from "./age.js"
import { receiptSigningKey } from "./receipt.js"
import { signerOf } from "./signedStatement.js"
import { createTipIdentity, sealTipPart, type TipIdentity } from "./tip.js"
import {
  entryHash,
  openTranscriptEntry,
  sealTranscriptEntry,
  type TranscriptAuthor,
  type TranscriptHead,
} from "./tipTranscript.js"
import { type DeliveredEntry, verifyTranscript } from "./tipTranscriptCheck.js"

const BINDING = "binding-hash-stand-in"
const WB: TranscriptAuthor = { role: "whistleblower" }
const ALICE: TranscriptAuthor = { role: "staff", id: "alice" }

describe("the authenticated transcript", () => {
  let tip: TipIdentity
  let receipt: string
  let alice: string
  let mallory: string
  let sealed: string[]
  const refs = ["c1", "c2", "c3", "c4"]

  async function append(
    head: TranscriptHead,
    author: TranscriptAuthor,
    identity: string,
    text: string,
  ) {
    return sealTranscriptEntry({
      tip: tip.recipient,
      head,
      author,
      identity,
      kind: "comment",
      content: { text },
    })
  }

  async function deliver(order: readonly number[], relayAuthor?: (i: number) => string) {
    return Promise.all(
      order.map(async (i): Promise<DeliveredEntry> => {
        const s = sealed[i] as string
        return {
          ref: refs[i] as string,
          list: "comment",
          hash: entryHash(s),
          signed: await openTranscriptEntry(s, tip, "comment"),
          ...(relayAuthor ? { relayAuthor: relayAuthor(i) } : {}),
        }
      }),
    )
  }

  function trust() {
    return {
      bindingHash: BINDING,
      whistleblower: signerOf(receiptSigningKey(receipt)),
      staff: new Map([["alice", accountSigner(alice)]]),
      view: "staff" as const,
    }
  }

  const codes = (t: ReturnType<typeof verifyTranscript>) =>
    t.entries.map((e) => [e.ref, e.problems.map((p) => p.code)])

  beforeAll(async () => {
    tip = await createTipIdentity()
    receipt = await generateAgeIdentity()
    alice = await generateAgeIdentity()
    mallory = await generateAgeIdentity()
    sealed = []
    let head: TranscriptHead = { seq: 0, hash: BINDING }
    for (const [i, [author, id]] of (
      [
        [WB, "r"],
        [ALICE, "a"],
        [WB, "r"],
        [ALICE, "a"],
      ] as const
    ).entries()) {
      const next = await append(head, author, id === "r" ? receipt : alice, `message ${i + 1}`)
      sealed.push(next.sealed)
      head = next.head
    }
  })

  it("verifies an untouched conversation and names the head to append after", async () => {
    const t = verifyTranscript(
      await deliver([0, 1, 2, 3], (i) => (i % 2 ? "alice" : "wb")),
      trust(),
    )
    expect(t.entries.every((e) => e.authentic)).toBe(true)
    expect(t.entries.map((e) => e.entry?.content)).toEqual(
      [1, 2, 3, 4].map((n) => ({ text: `message ${n}` })),
    )
    expect(t.head).toEqual({ seq: 4, hash: entryHash(sealed[3] as string) })
  })

  it("shows a dropped message as a gap before the next one", async () => {
    const t = verifyTranscript(await deliver([0, 2, 3]), trust())
    expect(codes(t)).toEqual([
      ["c1", []],
      ["c3", ["GAP"]],
      ["c4", []],
    ])
  })

  it("shows two swapped messages as out of order and still lists them in written order", async () => {
    const t = verifyTranscript(await deliver([0, 2, 1, 3]), trust())
    expect(codes(t)).toEqual([
      ["c1", []],
      ["c2", ["OUT_OF_ORDER"]],
      ["c3", ["OUT_OF_ORDER"]],
      ["c4", []],
    ])
  })

  it("shows a repeated message as a duplicate", async () => {
    const t = verifyTranscript(await deliver([0, 1, 1, 2, 3]), trust())
    expect(codes(t).filter(([, c]) => (c as string[]).length > 0)).toEqual([["c2", ["DUPLICATE"]]])
  })

  it("shows a relay author label that differs from the signed author", async () => {
    const t = verifyTranscript(
      await deliver([0, 1, 2, 3], (i) => (i === 1 ? "wb" : i % 2 ? "alice" : "wb")),
      trust(),
    )
    expect(codes(t)[1]).toEqual(["c2", ["AUTHOR_MISMATCH"]])
  })

  it("does not authenticate a message signed by a key outside the directory, even chained correctly", async () => {
    const extra = await append(
      { seq: 4, hash: entryHash(sealed[3] as string) },
      ALICE,
      mallory,
      "call me",
    )
    const delivered = [
      ...(await deliver([0, 1, 2, 3])),
      {
        ref: "c5",
        list: "comment" as const,
        hash: entryHash(extra.sealed),
        signed: await openTranscriptEntry(extra.sealed, tip, "comment"),
      },
    ]
    const t = verifyTranscript(delivered, trust())
    expect(codes(t).at(-1)).toEqual(["c5", ["UNKNOWN_SIGNER"]])
    expect(t.entries.at(-1)?.authentic).toBe(false)
  })

  it("hides the content of an entry whose signature does not verify", async () => {
    const opened = await openTranscriptEntry(sealed[1] as string, tip, "comment")
    const altered = { ...opened, body: { ...opened?.body, content: { text: "Journalist here" } } }
    const part = await sealTipPart(tip.recipient, "comment", JSON.parse(JSON.stringify(altered)))
    const delivered = await deliver([0])
    delivered.push({
      ref: "x",
      list: "comment",
      hash: entryHash(part),
      signed: await openTranscriptEntry(part, tip, "comment"),
    })
    const t = verifyTranscript(delivered, trust())
    expect(t.entries.at(-1)).toMatchObject({
      ref: "x",
      authentic: false,
      problems: [{ code: "FORGED" }],
    })
    expect(t.entries.at(-1)?.entry).toBeUndefined()
  })
})
