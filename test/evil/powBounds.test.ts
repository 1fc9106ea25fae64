import { isCryptoError, toBase64url } from "@sotto/crypto-core"
import { RelayClient, wb } from "@sotto/protocol"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { setupNode } from "../relay/_actors.js"
import { startTestRelay, type TestRelay } from "../relay/_harness.js"
import { solve } from "../relay/_seed.js"
import { type EvilRelay, startEvilRelay } from "./_evilRelay.js"

// Attack 9 (PoW part): the relay sets the proof-of-work difficulty of every anonymous write. A
// relay asking 40 bits would keep a phone busy for days (the "submit" spinner never ends); one
// asking 0 bits is not the node's signed policy either. The client checks the challenge against
// the bounds of the node's signed manifest before any work, and sends nothing.
// Seen failing before the fix: with the bounds check disabled in crypto-core `solvePow`, the
// 2-bit challenge was solved and the login sent, and the 40-bit one failed only on crypto-core's
// own 32-bit input limit (BAD_INPUT); a 30-bit one ran until the test's time limit.

let t: TestRelay
let evil: EvilRelay
let viaEvil: TestRelay

beforeAll(async () => {
  t = await startTestRelay()
  evil = await startEvilRelay(t.baseUrl)
  viaEvil = { ...t, client: new RelayClient(evil.baseUrl) }
  await setupNode(t, { escrow: false })
})
afterAll(async () => {
  await evil.close()
  await t.destroy()
})

/** Makes the evil relay answer every challenge with `difficulty` bits. */
function askBits(difficulty: number): void {
  evil.onResponse((req, res) => {
    if (req.path !== wb.getPow.path) return undefined
    return { body: { ...(res.json() as object), difficulty } }
  })
}

const authKey = toBase64url(new Uint8Array(32).fill(7))
const sentLogin = () => evil.seen.some((x) => x.url.startsWith(wb.wbLogin.path))

describe("attack 9: proof-of-work difficulty from the relay", () => {
  it("solves an honest challenge within the manifest's bounds (control)", async () => {
    evil.onResponse(undefined)
    const pow = await solve(viaEvil, "wbLogin", { authKey })
    expect(pow.nonce).toBeGreaterThanOrEqual(0)
  })

  it.each([40, 30, 2, 0])("refuses a %i-bit challenge before any work", async (bits) => {
    evil.clear()
    askBits(bits)
    const started = Date.now()
    await expect(solve(viaEvil, "wbLogin", { authKey })).rejects.toSatisfy(
      (e) => isCryptoError(e, "POW_OUT_OF_BOUNDS") && /allows 4 to 28 bits/.test(e.message),
    )
    expect(Date.now() - started).toBeLessThan(2000)
    expect(sentLogin()).toBe(false)
  })
})
