import {
  createEscrow,
  isCryptoError,
  openAccountIdentity,
  type SealedAccountIdentity,
} from "@sotto/crypto-core"
import { RelayClient } from "@sotto/protocol"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  changePassword,
  createRecipient,
  firstLogin,
  login,
  type NodeAdmin,
  setupNode,
} from "../relay/_actors.js"
import { startTestRelay, type TestRelay } from "../relay/_harness.js"
import { type EvilRelay, startEvilRelay } from "./_evilRelay.js"

// Attack 2: re-sealing an account identity must not trust a keyholder list the relay controls.
// The relay adds its own recipient to `sealed.to` (password change) or answers its own escrow
// recipient in GET /node (first login); whatever the client then sends, the attacker's age
// identity opens none of it.
// Seen failing before the fix (protocol 1.0): the password change resealed to the relay's
// `to.escrow` and the first login sealed to the escrow of GET /node; the attacker opened both.

let t: TestRelay
let evil: EvilRelay
let viaEvil: TestRelay
let admin: NodeAdmin
const attacker = await createEscrow()

beforeAll(async () => {
  t = await startTestRelay()
  evil = await startEvilRelay(t.baseUrl)
  viaEvil = { ...t, client: new RelayClient(evil.baseUrl) }
  admin = await setupNode(t, { escrow: false })
  // A compromised relay accepts whatever it is sent (the real one would check the escrow field).
  evil.onRequest((req) =>
    req.path === "/api/v1/auth/password" ? { body: { ok: true } } : undefined,
  )
})
afterAll(async () => {
  await evil.close()
  await t.destroy()
})

/** Every sealed identity the client sent through the evil relay. */
function sentSealedIdentities(): SealedAccountIdentity[] {
  const out: SealedAccountIdentity[] = []
  for (const x of evil.seen) {
    if (x.method === "GET" || x.requestBody.length === 0) continue
    try {
      const body = JSON.parse(x.requestBody.toString("utf8")) as {
        sealedIdentity?: SealedAccountIdentity
      }
      if (body.sealedIdentity) out.push(body.sealedIdentity)
    } catch {
      // not JSON
    }
  }
  return out
}

async function attackerOpensNothing(): Promise<void> {
  for (const sealed of sentSealedIdentities()) {
    await expect(openAccountIdentity(sealed, attacker.identity)).rejects.toSatisfy((e) =>
      isCryptoError(e),
    )
  }
}

describe("attack 2: a relay that adds its own keyholder", () => {
  it("gets nothing from a password change when it adds a recipient to sealed.to", async () => {
    const account = await createRecipient(t, admin, "alice")
    const alice = await firstLogin(t, account.username, account.oneTimePassword)
    evil.clear()
    evil.onResponse((req, res) => {
      if (req.path !== "/api/v1/auth/login") return undefined
      const body = res.json() as { sealedIdentity?: { to: Record<string, string> } }
      if (!body.sealedIdentity) return undefined
      body.sealedIdentity.to = { ...body.sealedIdentity.to, escrow: attacker.recipient }
      return { body }
    })
    try {
      const current = await login(viaEvil, "alice", alice.password)
      await changePassword(viaEvil, current)
    } catch (e) {
      // Refusing is a correct outcome: the keyholder list no longer authenticates.
      expect(isCryptoError(e, "TAMPERED")).toBe(true)
    } finally {
      evil.onResponse(undefined)
    }
    await attackerOpensNothing()
  })

  it("gets nothing from a first login when GET /node names its escrow recipient", async () => {
    const account = await createRecipient(t, admin, "bob")
    evil.clear()
    evil.onResponse((req, res) => {
      if (req.path !== "/api/v1/node") return undefined
      const body = res.json() as { escrow: { enabled: boolean; recipient?: string } }
      body.escrow = { enabled: true, recipient: attacker.recipient }
      return { body }
    })
    try {
      await firstLogin(viaEvil, account.username, account.oneTimePassword)
    } finally {
      evil.onResponse(undefined)
    }
    expect(sentSealedIdentities()).toHaveLength(1)
    await attackerOpensNothing()
  })
})
