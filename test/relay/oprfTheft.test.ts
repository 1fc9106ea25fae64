import { mkdtemp, readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { hkdf } from "@noble/hashes/hkdf.js"
import { sha256 } from "@noble/hashes/sha2.js"
import {
  activeScrypt,
  authVerifier,
  beginPasswordOprf,
  beginReceiptOprf,
  DEFAULT_RECEIPT_PATTERN,
  derivePasswordKeys,
  deriveReceiptKeys,
  drawReceipt,
  evaluateOprf,
  fromBase64url,
  MIN_KDF_PARAMS,
  normaliseReceipt,
  oprfKeyFromSeed,
  toBase64url,
} from "@sotto/crypto-core"
import { accounts, wb } from "@sotto/protocol"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { SUBLEVELS } from "../../relay/src/store/backend.js"
import {
  copyTestStore,
  dropTestSchema,
  openTestStore,
  startTestRelay,
  type TestRelay,
} from "./_harness.js"
import { type NodeAdmin, setupNode } from "./_nodeSetup.js"
import { relayEvaluate } from "./_oprf.js"
import { filesUnder } from "./_secrets.js"
import { createContext, type Staff, submit, wbLoginBody } from "./_seed.js"

// Issue 12's acceptance: a copy of the data dir (without the OPRF key file) lets nobody confirm
// even the right password or receipt; with the key file stolen too, a guess costs one scrypt, as
// before (SPEC §16).

const enc = (s: string) => new TextEncoder().encode(s)

/** Every value an attacker can compute from a candidate secret and a salt without the OPRF key. */
async function keylessCandidates(
  use: "password" | "receipt",
  secret: string,
  salt: Uint8Array,
): Promise<string[]> {
  const v1 =
    use === "password"
      ? await derivePasswordKeys(secret, salt, MIN_KDF_PARAMS)
      : await deriveReceiptKeys(secret, salt, MIN_KDF_PARAMS)
  const master = await activeScrypt().derive(enc(secret), salt, MIN_KDF_PARAMS)
  const input = hkdf(sha256, master, undefined, enc(`sotto/v2/${use}/oprf-input`), 32)
  const out: string[] = [toBase64url(authVerifier(v1.authKey)), v1.recipient]
  // The v2 labels applied to what can be had without the key (the scrypt output, the OPRF input).
  for (const ikm of [master, input]) {
    out.push(toBase64url(ikm), Buffer.from(ikm).toString("hex"))
    const authKey = hkdf(sha256, ikm, undefined, enc(`sotto/v2/${use}/auth-key`), 32)
    out.push(toBase64url(authKey), toBase64url(authVerifier(authKey)))
  }
  // The right derivation under a key the attacker made up.
  const guessedKey = oprfKeyFromSeed(new Uint8Array(32).fill(0x5a))
  const viaGuess = await finishLocally(use, secret, salt, guessedKey)
  out.push(toBase64url(authVerifier(viaGuess.authKey)), viaGuess.recipient)
  return out
}

async function finishLocally(
  use: "password" | "receipt",
  secret: string,
  salt: Uint8Array,
  key: ReturnType<typeof oprfKeyFromSeed>,
) {
  const pending =
    use === "password"
      ? await beginPasswordOprf(secret, salt, MIN_KDF_PARAMS)
      : await beginReceiptOprf(secret, salt, MIN_KDF_PARAMS)
  return pending.finish(evaluateOprf(key, pending.blinded), [key.publicKey])
}

/** Every record of a data dir, decoded, as one text; and the raw bytes of its files. */
async function dumpDataDir(dataDir: string): Promise<string> {
  const store = await openTestStore(dataDir)
  try {
    const parts: string[] = []
    for (const sublevel of SUBLEVELS) {
      for (const [key, value] of await store.list(sublevel)) {
        parts.push(`${sublevel}/${key}`, JSON.stringify(value))
      }
    }
    for (const file of await filesUnder(dataDir)) {
      parts.push((await readFile(file)).toString("latin1"))
    }
    return parts.join("\n")
  } finally {
    await store.close()
  }
}

describe("a stolen data dir (issue 12)", () => {
  let t: TestRelay
  let admin: NodeAdmin
  let receipt: string
  let stolen: string
  let dump: string
  let receiptSalt: Uint8Array
  let adminSalt: Uint8Array

  beforeAll(async () => {
    t = await startTestRelay()
    admin = await setupNode(t, { oprf: true })
    receiptSalt = fromBase64url("salt", admin.receipt.salt)
    const me: Staff = {
      id: admin.userId,
      name: "First Admin",
      token: admin.session,
      identity: admin.identity,
      recipient: admin.recipient,
    }
    const node = { signing: admin.signing, receiptSalt }
    const contextId = await createContext(t, node, me, [me])
    // The whistleblower's receipt keys, through the relay's OPRF as the PWA derives them.
    receipt = drawReceipt(DEFAULT_RECEIPT_PATTERN)
    const pending = await beginReceiptOprf(receipt, receiptSalt, MIN_KDF_PARAMS)
    const trusted = [fromBase64url("k", admin.manifest.body.oprf?.keys[0] ?? "")]
    const keys = await pending.finish(await relayEvaluate(t, pending.blinded), trusted)
    const tip = await submit(t, node, contextId, [me], { receipt, keys })
    // The receipt logs in: the lookup key is the OPRF-derived one.
    const back = await t.client.call(wb.wbLogin, {
      body: await wbLoginBody(t, toBase64url(keys.authKey)),
    })
    expect(back.tipId).toBe(tip.tipId)
    const params = await t.client.call(accounts.getAuthParams, { query: { username: "admin" } })
    adminSalt = fromBase64url("salt", params.salt)
    expect(params.oprf).toBe(admin.manifest.body.oprf?.keys[0])
    await t.stop()
    // The thief's copy: the data dir only; the key file stays behind.
    stolen = join(await mkdtemp(join(tmpdir(), "sotto-stolen-")), "data")
    await copyTestStore(t.dataDir, stolen)
    dump = await dumpDataDir(stolen)
  })
  afterAll(async () => {
    await t.destroy()
    await rm(join(stolen, ".."), { recursive: true, force: true })
    await dropTestSchema(stolen)
  })

  it("holds the accounts and the tip the thief is after", () => {
    expect(dump).toContain(admin.receipt.salt)
    expect(dump).toContain(toBase64url(adminSalt))
    expect(dump).toContain("tips/")
  })

  it("has no value that confirms the right password without the OPRF key", async () => {
    const candidates = await keylessCandidates("password", admin.password, adminSalt)
    expect(candidates.length).toBeGreaterThan(8)
    expect(candidates.filter((c) => dump.includes(c))).toEqual([])
  })

  it("has no value that confirms the right receipt without the OPRF key", async () => {
    const canonical = normaliseReceipt(receipt)
    const candidates = [
      ...(await keylessCandidates("receipt", receipt, receiptSalt)),
      ...(await keylessCandidates("receipt", canonical, receiptSalt)),
    ]
    expect(candidates.filter((c) => dump.includes(c))).toEqual([])
  })

  it("with the key file stolen too, one scrypt and one evaluation per guess confirm both (today's cost)", async () => {
    const seed = (await readFile(t.relay.ctx.config.oprfKeyFile, "utf8")).split(/\s+/)[1] ?? ""
    const key = oprfKeyFromSeed(fromBase64url("seed", seed))
    const password = await finishLocally("password", admin.password, adminSalt, key)
    expect(dump).toContain(toBase64url(authVerifier(password.authKey)))
    const r = await finishLocally("receipt", receipt, receiptSalt, key)
    expect(dump).toContain(`r/${toBase64url(authVerifier(r.authKey))}`)
  })
})
