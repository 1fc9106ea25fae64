import { generateAgeIdentity, recipientOf } from "@sotto/crypto-core"
import { accounts, escrowQuorum, RelayClient } from "@sotto/protocol"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createRecipient, firstLogin, type NodeAdmin, type StaffActor } from "../relay/_actors.js"
import {
  approveReset,
  askReset,
  completeReset,
  splitEscrow,
  threeAdmins,
} from "../relay/_escrowQuorum.js"
import { startTestRelay, type TestRelay } from "../relay/_harness.js"
import { type EvilRelay, startEvilRelay } from "./_evilRelay.js"

// k-of-n escrow against a relay that wants the escrow key (crypto-core SPEC §4.1): it lowers the
// threshold, puts a key of its own in place of a holder's or of a request's ephemeral key, or
// signs a request itself. The account worker's steps refuse each before a share leaves the
// browser, and nothing the relay saw carries the escrow identity or a share it could open.

let t: TestRelay
let evil: EvilRelay
let client: RelayClient
let ana: NodeAdmin
let bianca: StaffActor
let chidi: StaffActor
let alice: StaffActor
let relayKey: string

beforeAll(async () => {
  t = await startTestRelay()
  t.relay.ctx.loginGuard.sleep = async () => {}
  evil = await startEvilRelay(t.baseUrl)
  client = new RelayClient(evil.baseUrl)
  const three = await threeAdmins(t)
  ana = three.first
  ;[, bianca, chidi] = three.admins
  alice = await firstLogin(t, "alice", (await createRecipient(t, ana, "alice")).oneTimePassword)
  relayKey = await recipientOf(generateAgeIdentity())
})
afterAll(async () => {
  await evil.close()
  await t.destroy()
})

const posts = (fragment: string) =>
  evil.seen.filter((x) => x.method !== "GET" && x.url.includes(fragment))

/** Rewrites the JSON answer to `GET path` with `edit`. */
function rewrite(path: string, edit: (body: never) => unknown) {
  evil.onResponse((req, res) => {
    if (req.method !== "GET" || req.path !== path) return undefined
    return { body: edit(res.json() as never) as object }
  })
}

describe("splitting the escrow key through an evil relay", () => {
  it("refuses a holder whose key the relay swapped in the user list, storing no policy", async () => {
    rewrite(accounts.listUsers.path, (list: { users: { id: string; publicKey?: string }[] }) => ({
      users: list.users.map((u) => (u.id === chidi.userId ? { ...u, publicKey: relayKey } : u)),
    }))
    evil.clear()
    await expect(splitEscrow(t, ana, 2, [ana, bianca, chidi], client)).rejects.toThrow(
      /not certified/,
    )
    expect(posts(escrowQuorum.putEscrowPolicy.path)).toEqual([])
    evil.onResponse(undefined)
  })

  it("splits among the certified keys and never sends the escrow identity", async () => {
    evil.clear()
    await splitEscrow(t, ana, 2, [ana, bianca, chidi], client)
    expect(posts(escrowQuorum.putEscrowPolicy.path)).toHaveLength(1)
    expect(evil.sawText(ana.escrow?.identity ?? "missing")).toBe(false)
  })
})

describe("approving a reset through an evil relay", () => {
  it("refuses a policy whose threshold the relay lowered to 1, sending no approval", async () => {
    const asked = await askReset(t, ana, { userId: alice.userId, username: "alice" })
    rewrite(escrowQuorum.getEscrowPolicy.path, (r: { policy: { body: object } }) => ({
      ...r,
      policy: { ...r.policy, body: { ...r.policy.body, threshold: 1 } },
    }))
    evil.clear()
    await expect(approveReset(t, bianca, asked.id, client)).rejects.toMatchObject({
      code: "BAD_SIGNATURE",
    })
    expect(posts("/approve")).toEqual([])
    evil.onResponse(undefined)
  })

  it("refuses a policy listing the relay as a holder in place of another admin", async () => {
    const asked = await askReset(t, ana, { userId: alice.userId, username: "alice" })
    rewrite(
      escrowQuorum.getEscrowPolicy.path,
      (r: { policy: { body: { holders: { userId: string }[] } } }) => ({
        ...r,
        policy: {
          ...r.policy,
          body: {
            ...r.policy.body,
            holders: r.policy.body.holders.map((h) =>
              h.userId === ana.userId ? { ...h, recipient: relayKey } : h,
            ),
          },
        },
      }),
    )
    evil.clear()
    await expect(approveReset(t, chidi, asked.id, client)).rejects.toMatchObject({
      code: "BAD_SIGNATURE",
    })
    expect(posts("/approve")).toEqual([])
    evil.onResponse(undefined)
  })

  it("refuses a request whose ephemeral key the relay replaced with its own", async () => {
    const asked = await askReset(t, ana, { userId: alice.userId, username: "alice" })
    rewrite(
      escrowQuorum.listEscrowRequests.path,
      (r: { requests: { request: { body: object } }[] }) => ({
        requests: r.requests.map((x) => ({
          ...x,
          request: { ...x.request, body: { ...x.request.body, ephemeral: relayKey } },
        })),
      }),
    )
    evil.clear()
    await expect(approveReset(t, bianca, asked.id, client)).rejects.toMatchObject({
      code: "BAD_SIGNATURE",
    })
    expect(posts("/approve")).toEqual([])
    expect(evil.sawText(relayKey)).toBe(false)
    evil.onResponse(undefined)
  })

  it("refuses a request the relay re-signed as an initiator of its own", async () => {
    const asked = await askReset(t, ana, { userId: alice.userId, username: "alice" })
    rewrite(
      escrowQuorum.listEscrowRequests.path,
      (r: { requests: { request: { body: object } }[] }) => ({
        requests: r.requests.map((x) => ({
          ...x,
          request: { ...x.request, body: { ...x.request.body, initiator: "relay" } },
        })),
      }),
    )
    await expect(approveReset(t, bianca, asked.id, client)).rejects.toMatchObject({
      code: "KEY_MISMATCH",
    })
    evil.onResponse(undefined)
  })

  it("still completes with honest answers, and a slipped-in bogus approval costs nothing", async () => {
    const asked = await askReset(t, ana, { userId: alice.userId, username: "alice" })
    await approveReset(t, bianca, asked.id, client)
    await approveReset(t, chidi, asked.id, client)
    // The relay adds an approval "from ana" sealed to the request's (public) ephemeral key.
    const { sealEscrowApproval } = await import("@sotto/crypto-core")
    const bogus = await sealEscrowApproval(
      new Uint8Array(33).fill(7),
      { id: asked.id, ephemeral: await recipientOf(asked.ephemeral) },
      ana.userId,
    )
    rewrite(
      escrowQuorum.listEscrowRequests.path,
      (r: { requests: { request: { body: { id: string } }; approvals?: unknown[] }[] }) => ({
        requests: r.requests.map((x) =>
          x.request.body.id === asked.id
            ? { ...x, approvals: [{ userId: ana.userId, sealed: bogus }, ...(x.approvals ?? [])] }
            : x,
        ),
      }),
    )
    const oneTimePassword = await completeReset(t, ana, asked, client)
    expect(oneTimePassword.split("-")).toHaveLength(6)
    evil.onResponse(undefined)
    expect(evil.sawText(ana.escrow?.identity ?? "missing")).toBe(false)
  })
})
