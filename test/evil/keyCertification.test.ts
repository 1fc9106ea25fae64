import {
  CERTIFICATION_LABEL,
  type CertificationBody,
  createSigningKey,
  generateAgeIdentity,
  recipientOf,
  signStatement,
  toBase64url,
} from "@sotto/crypto-core"
import { accounts, RelayClient } from "@sotto/protocol"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  certifiedRecipient,
  certifiedUsers,
  changePassword,
  createUser,
  escrowReset,
  firstLogin,
  giveNodeKeys,
  login,
  type NodeAdmin,
  type StaffActor,
  setupNode,
} from "../relay/_actors.js"
import { startTestRelay, type TestRelay } from "../relay/_harness.js"
import { type EvilRelay, startEvilRelay } from "./_evilRelay.js"

// Attack 3 (issue 10): the relay's user list names the keys an admin's browser signs into key
// directories and wraps node keys to. A relay that swaps a user's public key for its own must be
// refused: the admin's browser checks the chain admin statement → one-time password's key →
// user's proof of exactly these keys (crypto-core keyCertification.ts), and sends nothing.

let t: TestRelay
let evil: EvilRelay
let admin: NodeAdmin
let bob: StaffActor
let alice: StaffActor
let relayKey: string

beforeAll(async () => {
  t = await startTestRelay()
  evil = await startEvilRelay(t.baseUrl)
  admin = await setupNode(t)
  const b = await createUser(t, admin, "bob", { role: "admin" })
  bob = await firstLogin(t, "bob", b.oneTimePassword)
  const a = await createUser(t, admin, "alice")
  alice = await firstLogin(t, "alice", a.oneTimePassword)
  relayKey = await recipientOf(generateAgeIdentity())
})
afterAll(async () => {
  await evil.close()
  await t.destroy()
})

/** The relay's answer to GET /users with `userId`'s public key replaced by the relay's own. */
function swapKeyOf(userId: string) {
  evil.onResponse((req, res) => {
    if (req.path !== accounts.listUsers.path || req.method !== "GET") return undefined
    const list = res.json() as { users: { id: string; publicKey?: string }[] }
    const users = list.users.map((u) => (u.id === userId ? { ...u, publicKey: relayKey } : u))
    return { body: { users } }
  })
}

describe("a relay swapping a user's public key in the user list", () => {
  it("is believed for nobody: honest lists verify every certified user", async () => {
    const client = new RelayClient(evil.baseUrl)
    expect(await certifiedRecipient(client, admin, alice.userId)).toBe(alice.recipient)
    expect(await certifiedRecipient(client, admin, bob.userId)).toBe(bob.recipient)
  })

  it("makes the admin's browser refuse to list the user in a directory it signs", async () => {
    swapKeyOf(alice.userId)
    const client = new RelayClient(evil.baseUrl)
    await expect(certifiedRecipient(client, admin, alice.userId)).rejects.toThrow(/not certified/)
    evil.onResponse(undefined)
  })

  it("makes the admin's browser refuse to give node keys, sending no wrap at all", async () => {
    swapKeyOf(bob.userId)
    evil.clear()
    const client = new RelayClient(evil.baseUrl)
    await expect(giveNodeKeys(client, admin, bob.userId)).rejects.toThrow(/not certified/)
    const wraps = evil.seen.filter((x) => x.url.includes("/admin-wraps") || x.method === "PUT")
    expect(wraps).toEqual([])
    expect(evil.sawText(relayKey)).toBe(false)
    evil.onResponse(undefined)
  })

  it("re-certifies an account made without certification (v1) through an escrow reset", async () => {
    const made = await createUser(t, { session: admin.session }, "vera")
    const vera = await firstLogin(t, "vera", made.oneTimePassword)
    await expect(certifiedRecipient(t.client, admin, vera.userId)).rejects.toThrow(
      /no key certification/,
    )
    const oneTime = await escrowReset(t, admin, vera.userId)
    await changePassword(t, await login(t, "vera", oneTime))
    expect(await certifiedRecipient(t.client, admin, vera.userId)).toBe(vera.recipient)
  })
})

// Item 7 of the protocol v2 follow-up: the first admin has nobody to vouch for them, so the setup
// wizard has the node key (pinned by every client through the manifest) certify them. Seen
// failing before: bob's browser listed the first admin as "has no key certification" until an
// escrow reset, so bob could not list them in a directory or give them node keys.
describe("the first admin, certified at setup by the node key", () => {
  const roots = () => [admin.manifest.signer]

  it("is certified in another admin's browser that trusts the pinned node key", async () => {
    const seen = (await certifiedUsers(t.client, bob, roots())).get(admin.userId)
    expect(seen).toMatchObject({ certified: true, publicKey: admin.recipient })
  })

  it("is not certified by the node key of another manifest than the pinned one", async () => {
    const other = createSigningKey()
    const seen = (await certifiedUsers(t.client, bob, [toBase64url(other.publicKey)])).get(
      admin.userId,
    )
    expect(seen).toMatchObject({ certified: false })
  })

  it("is refused when the relay swaps the first admin's key", async () => {
    swapKeyOf(admin.userId)
    const client = new RelayClient(evil.baseUrl)
    const seen = (await certifiedUsers(client, bob, roots())).get(admin.userId)
    expect(seen?.certified).toBe(false)
    evil.onResponse(undefined)
  })

  it("is refused when the relay re-signs the certification with a key of its own", async () => {
    const relaySigning = createSigningKey()
    evil.onResponse((req, res) => {
      if (req.path !== accounts.listUsers.path || req.method !== "GET") return undefined
      const list = res.json() as {
        users: { id: string; username: string; certification?: { body: CertificationBody } }[]
      }
      const users = list.users.map((u) =>
        u.id === admin.userId && u.certification
          ? {
              ...u,
              certification: signStatement(CERTIFICATION_LABEL, u.certification.body, relaySigning),
            }
          : u,
      )
      return { body: { users } }
    })
    const client = new RelayClient(evil.baseUrl)
    const seen = (await certifiedUsers(client, bob, roots())).get(admin.userId)
    expect(seen).toMatchObject({
      certified: false,
      reason: expect.stringMatching(/does not trust/),
    })
    evil.onResponse(undefined)
  })
})
