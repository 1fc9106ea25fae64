import { toBase64url, utf8 } from "@sotto/crypto-core"
import { accounts, RelayClient } from "@sotto/protocol"
import { type CryptoWorkers, createCryptoWorkers } from "@sotto/workers"
import { nodeWorkerFactories } from "@sotto/workers/node"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  createUser,
  firstLogin,
  login,
  type NodeAdmin,
  type StaffActor,
  setupNode,
} from "../relay/_actors.js"
import { startTestRelay, type TestRelay } from "../relay/_harness.js"
import { type EvilRelay, startEvilRelay } from "./_evilRelay.js"

// Attack 1 (issue 10): a relay answers a recovery-key login's challenge with the user's own
// sealed identity (an age file addressed to the recovery key, among others). The account worker
// must refuse it (BAD_CHALLENGE) and nothing derived from its plaintext may reach the relay.

let t: TestRelay
let evil: EvilRelay
let workers: CryptoWorkers
let alice: StaffActor
let sealedAge: string

beforeAll(async () => {
  t = await startTestRelay()
  evil = await startEvilRelay(t.baseUrl)
  workers = createCryptoWorkers(await nodeWorkerFactories())
  const admin: NodeAdmin = await setupNode(t)
  const made = await createUser(t, admin, "alice")
  alice = await firstLogin(t, "alice", made.oneTimePassword)
  const again = await login(t, "alice", alice.password)
  if (!again.sealedIdentity) throw new Error("alice has no sealed identity")
  sealedAge = again.sealedIdentity.age
})
afterAll(async () => {
  workers.terminate()
  await evil.close()
  await t.stop()
})

describe("a relay sending the sealed identity as the recovery challenge", () => {
  it("is refused by the account worker and learns nothing of the identity", async () => {
    evil.onResponse((req, res) => {
      if (req.path !== accounts.recoveryChallenge.path) return undefined
      const real = res.json() as { challengeId: string; sealed: string }
      return { body: { challengeId: real.challengeId, sealed: sealedAge } }
    })
    const client = new RelayClient(evil.baseUrl)
    const { account } = workers
    // What pwa/src/lib/staffRecovery.ts does: challenge, answer in the worker, verify.
    const attempt = async () => {
      const challenge = await client.call(accounts.recoveryChallenge, {
        body: { username: "alice" },
      })
      const nonce = await account.answerRecoveryChallenge(challenge.sealed, alice.recoveryKey)
      await client
        .call(accounts.recoveryVerify, { body: { challengeId: challenge.challengeId, nonce } })
        .catch(() => undefined)
    }
    await expect(attempt()).rejects.toMatchObject({ code: "BAD_CHALLENGE" })
    const leakedPlain = `sotto/v1/account-identity\n${alice.identity}`
    expect(evil.sawText(alice.identity)).toBe(false)
    expect(evil.sawText(toBase64url(utf8(leakedPlain)))).toBe(false)
    expect(evil.seen.some((x) => x.url.startsWith(accounts.recoveryVerify.path))).toBe(false)
    evil.onResponse(undefined)
  })
})
