import { isCryptoError, type KdfParams } from "@sotto/crypto-core"
import { RelayClient } from "@sotto/protocol"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { login, type NodeAdmin, setupNode } from "../relay/_actors.js"
import { startTestRelay, type TestRelay } from "../relay/_harness.js"
import { type EvilRelay, startEvilRelay } from "./_evilRelay.js"

// Attack 9 (KDF part): the relay answers the scrypt parameters of a login. A client must refuse
// parameters outside the floor and ceiling of the node's signed manifest before deriving anything
// (no N=2^15 downgrade to speed up an offline guess, no huge N that makes a phone give up).
// Seen failing before the fix (protocol 1.0): the client derived with whatever the relay said
// (N=2^15 then sent a login; N=2^19 ran for seconds) and no WEAK_PARAMS/COSTLY_PARAMS came.

const FLOOR: KdfParams = { N: 2 ** 16, r: 8, p: 1 }
const CEILING: KdfParams = { N: 2 ** 18, r: 8, p: 1 }

let t: TestRelay
let evil: EvilRelay
let viaEvil: TestRelay
let admin: NodeAdmin

beforeAll(async () => {
  t = await startTestRelay()
  evil = await startEvilRelay(t.baseUrl)
  viaEvil = { ...t, client: new RelayClient(evil.baseUrl) }
  admin = await setupNode(t, { escrow: false, passwordKdf: FLOOR, kdfBounds: [FLOOR, CEILING] })
})
afterAll(async () => {
  await evil.close()
  await t.destroy()
})

function serveParams(params: KdfParams): void {
  evil.onResponse((req, res) => {
    if (req.path !== "/api/v1/auth/params") return undefined
    return { body: { ...(res.json() as object), params } }
  })
}

const loginSent = () => evil.seen.some((x) => x.url.startsWith("/api/v1/auth/login"))

describe("attack 9: KDF parameters from the relay", () => {
  it("logs in through the evil relay when it does not tamper (control)", async () => {
    evil.onResponse(undefined)
    expect((await login(viaEvil, admin.username, admin.password)).stage).toBe("full")
  })

  it("refuses N below the manifest's floor before deriving or sending anything", async () => {
    evil.clear()
    serveParams({ N: 2 ** 15, r: 8, p: 1 })
    await expect(login(viaEvil, admin.username, admin.password)).rejects.toSatisfy((e) =>
      isCryptoError(e, "WEAK_PARAMS"),
    )
    expect(loginSent()).toBe(false)
  })

  it("refuses memory above the manifest's ceiling before deriving or sending anything", async () => {
    evil.clear()
    serveParams({ N: 2 ** 19, r: 8, p: 1 })
    const started = Date.now()
    await expect(login(viaEvil, admin.username, admin.password)).rejects.toSatisfy((e) =>
      isCryptoError(e, "COSTLY_PARAMS"),
    )
    expect(Date.now() - started).toBeLessThan(2000)
    expect(loginSent()).toBe(false)
  })
})
