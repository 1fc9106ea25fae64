import { beforeAll, describe, expect, it } from "vitest"
import { readAll, streamOfPieces } from "./_testStreams.js"

// Every Sotto flow must work where `crypto.subtle` is undefined (insecure contexts such as .onion
// pages on iOS). Remove it before crypto-core is loaded, then run each flow end to end.
type Core = typeof import("./index.js")
let core: Core

beforeAll(async () => {
  Object.defineProperty(globalThis.crypto, "subtle", { value: undefined, configurable: true })
  core = await import("./index.js")
})

const params = { N: 2 ** 15, r: 8, p: 1 }

describe("without WebCrypto", () => {
  it("really has no crypto.subtle but still has getRandomValues", () => {
    expect(globalThis.crypto.subtle).toBeUndefined()
    expect(crypto.getRandomValues(new Uint8Array(4))).toHaveLength(4)
  })

  it("derives password keys and opens a sealed account identity by password and recovery key", async () => {
    const salt = core.drawSalt()
    const pw = await core.derivePasswordKeys("no subtle here", salt, params)
    const recovery = core.drawRecoveryKey()
    const account = await core.createAccountIdentity()
    const sealed = await core.sealAccountIdentity(account, {
      password: pw.recipient,
      recovery: await core.recipientOf(recovery),
    })
    expect(await core.openAccountIdentity(sealed, pw.identity)).toEqual(account)
    expect(await core.openAccountIdentity(sealed, recovery)).toEqual(account)
  })

  it("seals a tip, wraps it to a receipt key and opens both", async () => {
    const receipt = core.drawReceipt()
    const wb = await core.deriveReceiptKeys(receipt, core.drawSalt(), params)
    const tip = await core.createTipIdentity()
    const part = await core.sealTipPart(tip.recipient, "answers", { q: "ledger" })
    const opened = await core.unwrapTipKey(await core.wrapTipKey(tip, wb.recipient), wb.identity)
    expect(await core.openTipPart(part, opened, "answers")).toEqual({ q: "ledger" })
  })

  it("streams a file through encryption and decryption", async () => {
    const tip = await core.createTipIdentity()
    const plain = new Uint8Array(150_000).map((_, i) => (i * 31) & 255)
    const sealed = await core.encryptFile(streamOfPieces([plain]), [tip.recipient])
    expect(await readAll(core.decryptFile(sealed, tip.identity, [tip.recipient]))).toEqual(plain)
  })

  it("signs and verifies a key directory and solves a proof of work", async () => {
    const key = core.createSigningKey()
    const account = await core.createAccountIdentity()
    const signed = core.signDirectory(
      {
        v: 2,
        context: "c",
        version: 1,
        issuedAt: "2026-11-23T00:00:00Z",
        expiresAt: "2099-01-01T00:00:00Z",
        recipients: [{ id: "u", name: "U", recipient: account.recipient }],
      },
      key,
    )
    expect(core.verifyDirectory(signed, undefined).directory.recipients).toHaveLength(1)
    const challenge = { challenge: core.toBase64url(new Uint8Array(16)), difficulty: 8 }
    expect(core.verifyPow(challenge, await core.solvePow(challenge))).toBe(true)
  })
})
