import { beforeAll, describe, expect, it } from "vitest"
import { expectCode, expectEveryFlipTampered } from "./_testing.js"
import { createAccountIdentity } from "./accountIdentity.js"
import { createEscrow, wrapEscrowKey } from "./escrow.js"
import {
  createTipIdentity,
  openTipPart,
  sealTipPart,
  type TipIdentity,
  unwrapTipKey,
  unwrapTipKeyFrom,
  wrapTipKey,
} from "./tip.js"

describe("tips", () => {
  let tip: TipIdentity
  const answers = {
    q1: "The invoices were backdated",
    q2: ["a", "b"],
    q3: true,
    when: "2026-11-01",
  }

  beforeAll(async () => {
    tip = await createTipIdentity()
  })

  it("seal answers, comments and metadata and open them to the same JSON", async () => {
    const sealedAnswers = await sealTipPart(tip.recipient, "answers", answers)
    expect(sealedAnswers).toMatch(/^-----BEGIN AGE ENCRYPTED FILE-----/)
    expect(sealedAnswers).not.toContain("backdated")
    expect(await openTipPart(sealedAnswers, tip, "answers")).toEqual(answers)
    const comment = {
      author: "recipient",
      text: "Can you send the March ledger? ünïcødé",
      at: "2026-11-02T10:00:00Z",
    }
    expect(
      await openTipPart(await sealTipPart(tip.recipient, "comment", comment), tip, "comment"),
    ).toEqual(comment)
    const meta = { files: [{ name: "ledger.pdf", size: 1234 }] }
    expect(
      await openTipPart(await sealTipPart(tip.recipient, "metadata", meta), tip, "metadata"),
    ).toEqual(meta)
  })

  it("refuse a part of another kind than asked (the relay cannot swap them)", async () => {
    const comment = await sealTipPart(tip.recipient, "comment", { text: "hi" })
    await expectCode(openTipPart(comment, tip, "answers"), "TAMPERED")
  })

  it("refuse a part sealed to another tip", async () => {
    const other = await createTipIdentity()
    await expectCode(
      openTipPart(await sealTipPart(other.recipient, "answers", answers), tip, "answers"),
      "TAMPERED",
    )
  })

  it("report TAMPERED for every flipped bit of a sealed part", async () => {
    const sealed = await sealTipPart(tip.recipient, "answers", answers)
    expect(
      await expectEveryFlipTampered(sealed, (s) => openTipPart(s, tip, "answers"), 2),
    ).toBeGreaterThan(800)
  })

  it("refuse values JSON cannot carry and unknown kinds", async () => {
    await expectCode(sealTipPart(tip.recipient, "answers", undefined as never), "BAD_INPUT")
    await expectCode(sealTipPart(tip.recipient, "secret" as never, {}), "BAD_INPUT")
  })
})

describe("tip key wraps", () => {
  let tip: TipIdentity

  beforeAll(async () => {
    tip = await createTipIdentity()
  })

  it("let each recipient and the whistleblower unwrap the same tip key", async () => {
    const alice = await createAccountIdentity()
    const bob = await createAccountIdentity()
    const wraps = [await wrapTipKey(tip, alice.recipient), await wrapTipKey(tip, bob.recipient)]
    expect(await unwrapTipKeyFrom(wraps, alice.identity)).toEqual(tip)
    expect(await unwrapTipKeyFrom(wraps, bob.identity)).toEqual(tip)
  })

  it("leave a revoked recipient with a typed error, never a key", async () => {
    const alice = await createAccountIdentity()
    const bob = await createAccountIdentity()
    const wraps = [await wrapTipKey(tip, alice.recipient), await wrapTipKey(tip, bob.recipient)]
    const afterRevoke = wraps.filter((w) => !w.to.includes(bob.recipient))
    await expectCode(unwrapTipKeyFrom(afterRevoke, bob.identity), "WRONG_KEY")
    await expectCode(unwrapTipKey(wraps[0]!, bob.identity), "WRONG_KEY")
  })

  it("report TAMPERED for every flipped bit of a wrap", async () => {
    const alice = await createAccountIdentity()
    const wrap = await wrapTipKey(tip, alice.recipient)
    const tried = await expectEveryFlipTampered(wrap.age, (age) =>
      unwrapTipKey({ ...wrap, age }, alice.identity),
    )
    expect(tried).toBeGreaterThan(1500)
  })

  it("refuse an escrow wrap passed off as a tip wrap", async () => {
    const admin = await createAccountIdentity()
    const escrow = await createEscrow()
    const wrap = await wrapEscrowKey(escrow.identity, admin.recipient)
    await expectCode(unwrapTipKey(wrap, admin.identity), "TAMPERED")
  })
})
