import { beforeAll, describe, expect, it } from "vitest"
import { expectCode } from "./_testing.js"
import { generateAgeIdentity, recipientOf } from "./age.js"
import { receiptSigningKey } from "./receipt.js"
import { signerOf } from "./signedStatement.js"
import {
  createTipIdentity,
  sealTipPart,
  type TipIdentity,
  unwrapTipKey,
  wrapTipKey,
} from "./tip.js"
import { bindingHash, openAnswers, type QuestionSnapshot, sealAnswers } from "./tipBinding.js"

const QUESTIONS: QuestionSnapshot[] = [
  { id: "what", type: "textarea", label: "What happened?", required: true },
  { id: "where", type: "select", label: "Where?", required: false, options: ["HQ", "Plant"] },
]

describe("tip binding and questionnaire snapshot", () => {
  let tip: TipIdentity
  let receipt: string
  let sealed: string

  beforeAll(async () => {
    tip = await createTipIdentity()
    receipt = await generateAgeIdentity()
    ;({ sealed } = await sealAnswers({
      tip: tip.recipient,
      receiptIdentity: receipt,
      context: "ctx1",
      questions: QUESTIONS,
      answers: { what: "fraud", where: "HQ" },
    }))
  })

  it("derives the same whistleblower signing key from the same receipt identity, another from another", async () => {
    expect(signerOf(receiptSigningKey(receipt))).toBe(signerOf(receiptSigningKey(receipt)))
    expect(signerOf(receiptSigningKey(await generateAgeIdentity()))).not.toBe(
      signerOf(receiptSigningKey(receipt)),
    )
  })

  it("opens sealed answers with the questions as seen and a binding that verifies under the receipt key", async () => {
    const opened = await openAnswers(sealed, tip, {
      whistleblower: signerOf(receiptSigningKey(receipt)),
      context: "ctx1",
    })
    expect(opened.questions.map((q) => q.label)).toEqual(["What happened?", "Where?"])
    expect(opened.answers).toEqual({ what: "fraud", where: "HQ" })
    expect(opened.binding.body.tip).toBe(tip.recipient)
    expect(opened.bindingHash).toBe(bindingHash(opened.binding))
  })

  it("refuses answers bound by another receipt's key with KEY_MISMATCH", async () => {
    const other = signerOf(receiptSigningKey(await generateAgeIdentity()))
    await expectCode(openAnswers(sealed, tip, { whistleblower: other }), "KEY_MISMATCH")
  })

  it("refuses a relay's own tip key that replays a genuine binding", async () => {
    const relayTip = await createTipIdentity()
    const genuine = await openAnswers(sealed, tip)
    const { bindingHash: _h, ...body } = genuine
    const forged = await sealTipPart(
      relayTip.recipient,
      "answers",
      JSON.parse(JSON.stringify(body)),
    )
    await expectCode(openAnswers(forged, relayTip), "TAMPERED")
  })

  it("refuses a relabelled question, another context and v1 answers with TAMPERED", async () => {
    const genuine = await openAnswers(sealed, tip)
    const { bindingHash: _h, ...body } = genuine
    const relabelled = JSON.parse(JSON.stringify(body))
    relabelled.questions[0].label = "Relabelled?"
    const part = await sealTipPart(tip.recipient, "answers", relabelled)
    await expectCode(openAnswers(part, tip), "TAMPERED")
    await expectCode(openAnswers(sealed, tip, { context: "other" }), "TAMPERED")
    const v1 = await sealTipPart(tip.recipient, "answers", { what: "fraud" })
    await expectCode(openAnswers(v1, tip), "TAMPERED")
  })

  it("a whistleblower's wrap opened with the receipt identity gives the bound tip key", async () => {
    const wrap = await wrapTipKey(tip, await recipientOf(receipt))
    const again = await unwrapTipKey(wrap, receipt)
    await expect(openAnswers(sealed, again)).resolves.toBeDefined()
  })
})
