import {
  createSigningKey,
  directoryExpiry,
  type ManifestPin,
  type SignedKeyDirectory,
  signDirectory,
  signNodeManifest,
} from "@sotto/crypto-core"
import { accounts, contexts, RelayClient } from "@sotto/protocol"
import { type CryptoWorkers, createCryptoWorkers } from "@sotto/workers"
import { nodeWorkerFactories } from "@sotto/workers/node"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { prepareNode } from "../e2e/_node.js"
import { login, trustedManifest } from "../relay/_actors.js"
import { startTestRelay, type TestRelay } from "../relay/_harness.js"
import { type EvilRelay, startEvilRelay } from "./_evilRelay.js"

// Attack 4 in Node: the whistleblower's checks run in the tip worker exactly as the PWA calls
// them (lib/wbDirectory.ts), the staff side through the test actors (pin at first login). The
// relay serves an older directory, an expired one, or a manifest from another key; each is
// refused with its code.
// Before the fix (protocol 1.0) verifyDirectory had only the signer to check: the older and the
// expired directory verified, and GET /node's unsigned signing key was the only anchor.

let t: TestRelay
let evil: EvilRelay
let client: RelayClient
let workers: CryptoWorkers
let contextId: string
let signing: ReturnType<typeof createSigningKey>
let admin: Awaited<ReturnType<typeof prepareNode>>["admin"]

beforeAll(async () => {
  t = await startTestRelay()
  evil = await startEvilRelay(t.baseUrl)
  client = new RelayClient(evil.baseUrl)
  workers = createCryptoWorkers(await nodeWorkerFactories())
  const node = await prepareNode(t, { recipients: 1 })
  contextId = node.contextId
  signing = node.admin.signing
  admin = node.admin
})
afterAll(async () => {
  workers.terminate()
  await evil.close()
  await t.destroy()
})

/** What the whistleblower's page does: manifest against the pin, directory against the rest. */
async function wbVerify(pin: ManifestPin | undefined, seenVersion?: number) {
  const [node, signed] = await Promise.all([
    client.call(accounts.getNode),
    client.call(contexts.getContextDirectory, { params: { contextId } }),
  ])
  const { manifest, pin: next } = await workers.tip.verifyNodeManifest(node.manifest, pin)
  const { directory } = await workers.tip.verifyDirectory(signed, manifest.directorySigner, {
    ...(seenVersion === undefined ? {} : { seenVersion }),
  })
  return { directory, pin: next }
}

function serveDirectory(signed: SignedKeyDirectory | undefined): void {
  evil.onResponse(
    signed === undefined
      ? undefined
      : (req) => (req.path.endsWith(`/${contextId}/directory`) ? { body: signed } : undefined),
  )
}

const rejectsWith = (promise: Promise<unknown>, code: string) =>
  // Errors from a worker thread carry their code (the class may come from another module copy).
  expect(promise).rejects.toSatisfy((e) => (e as { code?: unknown }).code === code)

describe("attack 4 (whistleblower, tip worker in Node)", () => {
  it("control: the node's directory verifies and gives the pin and version", async () => {
    serveDirectory(undefined)
    const { directory, pin } = await wbVerify(undefined)
    expect(directory.version).toBe(1)
    expect(pin.version).toBe(1)
  })

  it("refuses an older directory version than seen with STALE", async () => {
    const current = await t.client.call(contexts.getContextDirectory, { params: { contextId } })
    serveDirectory(current)
    await rejectsWith(wbVerify(undefined, 2), "STALE")
  })

  it("refuses an expired directory with EXPIRED", async () => {
    const current = await t.client.call(contexts.getContextDirectory, { params: { contextId } })
    const old = signDirectory(
      {
        ...current.directory,
        version: 9,
        issuedAt: "2025-01-01T00:00:00.000Z",
        expiresAt: directoryExpiry(new Date("2025-01-01T00:00:00.000Z")),
      },
      signing,
    )
    serveDirectory(old)
    await rejectsWith(wbVerify(undefined), "EXPIRED")
  })

  it("refuses a manifest from another key (KEY_MISMATCH) and an older one (STALE)", async () => {
    serveDirectory(undefined)
    const { pin } = await wbVerify(undefined)
    const { v: _v, protocol: _p, directorySigner: _d, ...fields } = admin.manifest.body
    const intruder = signNodeManifest({ ...fields, version: 50 }, createSigningKey())
    evil.onResponse((req, res) =>
      req.path === "/api/v1/node"
        ? { body: { ...(res.json() as object), manifest: intruder } }
        : undefined,
    )
    try {
      await rejectsWith(wbVerify(pin), "KEY_MISMATCH")
    } finally {
      evil.onResponse(undefined)
    }
    await rejectsWith(wbVerify({ ...pin, version: 2 }), "STALE")
  })
})

describe("attack 4 (staff, pinned at first login)", () => {
  it("refuses a manifest from another key at login, before deriving or sending anything", async () => {
    const viaEvil = { ...t, client }
    await trustedManifest(viaEvil) // the pin a staff browser made at setup or first login
    const { v: _v, protocol: _p, directorySigner: _d, ...fields } = admin.manifest.body
    const intruder = signNodeManifest({ ...fields, version: 2 }, createSigningKey())
    evil.onResponse((req, res) =>
      req.path === "/api/v1/node"
        ? { body: { ...(res.json() as object), manifest: intruder } }
        : undefined,
    )
    evil.clear()
    try {
      await rejectsWith(login(viaEvil, admin.username, admin.password), "KEY_MISMATCH")
    } finally {
      evil.onResponse(undefined)
    }
    expect(evil.seen.some((x) => x.url.startsWith("/api/v1/auth/login"))).toBe(false)
  })
})
