import {
  CryptoError,
  createSigningKey,
  generateAgeIdentity,
  openTipPart,
  recipientOf,
  sealTipPart,
  signDirectory,
  unwrapTipKey,
} from "@sotto/crypto-core"
import { afterAll, beforeAll, describe, expect, test } from "vitest"
import { type CryptoWorkers, createCryptoWorkers } from "./index.js"
import { nodeWorkerFactories } from "./node.js"

let workers: CryptoWorkers
beforeAll(async () => {
  workers = createCryptoWorkers(await nodeWorkerFactories())
})
afterAll(() => workers.terminate())

async function reader() {
  const identity = generateAgeIdentity()
  return { identity, recipient: await recipientOf(identity) }
}

describe("tip worker", () => {
  test("tip parts sealed in the worker open on the main thread and back", async () => {
    const tip = await workers.tip.createTipIdentity()
    const answers = { q1: "the warehouse", q2: ["a", "b"], n: 3, ok: true, none: null }
    const part = await workers.tip.sealTipPart(tip.recipient, "answers", answers)
    expect(part).toContain("-----BEGIN AGE ENCRYPTED FILE-----")
    expect(await openTipPart(part, tip, "answers")).toEqual(answers)
    const comment = await sealTipPart(tip.recipient, "comment", "thank you")
    expect(await workers.tip.openTipPart(comment, tip, "comment")).toBe("thank you")
    await expect(workers.tip.openTipPart(comment, tip, "answers")).rejects.toMatchObject({
      name: "CryptoError",
      code: "TAMPERED",
    })
  })

  test("bound answers and a signed comment sealed in the worker read back checked, and a forged binding is refused", async () => {
    const tip = await workers.tip.createTipIdentity()
    const receipt = generateAgeIdentity()
    const staff = generateAgeIdentity()
    const { sealed, head } = await workers.tip.sealAnswers({
      tip: tip.recipient,
      receiptIdentity: receipt,
      context: "ctx",
      questions: [{ id: "q", type: "text", label: "Where?" }],
      answers: { q: "HQ" },
    })
    const comment = await workers.tip.sealTranscriptEntry({
      tip: tip.recipient,
      head,
      author: { role: "staff", id: "ana" },
      identity: staff,
      kind: "comment",
      content: { text: "thanks" },
    })
    const read = { answers: sealed, comments: [{ id: "c1", age: comment.sealed }], files: [] }
    const whistleblower = await workers.tip.receiptSigner(receipt)
    const checked = await workers.tip.readTip(tip, read, {
      view: "whistleblower",
      whistleblower,
      directory: [{ id: "ana", signer: await workers.tip.accountSigner(staff) }],
    })
    expect(checked.answers.questions[0]?.label).toBe("Where?")
    expect(checked.transcript.entries.map((e) => e.authentic)).toEqual([true])
    expect(checked.transcript.head).toEqual(comment.head)
    const other = await workers.tip.receiptSigner(generateAgeIdentity())
    await expect(
      workers.tip.readTip(tip, read, {
        view: "whistleblower",
        whistleblower: other,
        directory: [],
      }),
    ).rejects.toMatchObject({ name: "CryptoError", code: "KEY_MISMATCH" })
  })

  test("wraps to every reader; a reader without a wrap gets WRONG_KEY", async () => {
    const tip = await workers.tip.createTipIdentity()
    const ana = await reader()
    const wb = await reader()
    const revoked = await reader()
    const wraps = await workers.tip.wrapTipKeyFor(tip, [ana.recipient, wb.recipient])
    expect(wraps.map((w) => w.to)).toEqual([[ana.recipient], [wb.recipient]])
    expect(await workers.tip.unwrapTipKeyFrom(wraps, wb.identity)).toEqual(tip)
    expect(await unwrapTipKey(wraps[0]!, ana.identity)).toEqual(tip)
    const single = await workers.tip.wrapTipKey(tip, revoked.recipient)
    expect(await workers.tip.unwrapTipKey(single, revoked.identity)).toEqual(tip)
    const denied = workers.tip.unwrapTipKeyFrom(wraps, revoked.identity)
    await expect(denied).rejects.toBeInstanceOf(CryptoError)
    await expect(denied).rejects.toMatchObject({ code: "WRONG_KEY" })
  })

  test("directory verification: pin on first use, KEY_MISMATCH, BAD_SIGNATURE", async () => {
    const node = createSigningKey()
    const ana = await reader()
    const signed = signDirectory(
      {
        v: 2,
        context: "press",
        version: 1,
        issuedAt: "2025-01-01T00:00:00.000Z",
        expiresAt: "2099-01-01T00:00:00.000Z",
        recipients: [{ id: "ana", name: "Ana", recipient: ana.recipient }],
      },
      node,
    )
    const first = await workers.tip.verifyDirectory(signed, undefined)
    expect(first.directory).toEqual(signed.directory)
    expect((await workers.tip.verifyDirectory(signed, first.pin)).pin).toBe(first.pin)
    const impostor = signDirectory(signed.directory, createSigningKey())
    await expect(workers.tip.verifyDirectory(impostor, first.pin)).rejects.toMatchObject({
      code: "KEY_MISMATCH",
    })
    const forged = { ...signed, directory: { ...signed.directory, context: "other" } }
    await expect(workers.tip.verifyDirectory(forged, first.pin)).rejects.toMatchObject({
      code: "BAD_SIGNATURE",
    })
  })
})
