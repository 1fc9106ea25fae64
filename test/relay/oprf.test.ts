import { readFile, rm, stat, writeFile } from "node:fs/promises"
import {
  beginPasswordOprf,
  blindOprfInput,
  type CryptoError,
  fromBase64url,
  manifestOprfKeys,
  oprfKeyFromSeed,
  oprfKeyId,
  verifyNodeManifest,
} from "@sotto/crypto-core"
import { accounts, oprf, wb } from "@sotto/protocol"
import { ManualClock } from "@sotto/relay"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { oprfGuard } from "../../relay/src/services/oprfGuard.js"
import { rotateOprfKey } from "../../relay/src/services/oprfKeys.js"
import { powGate } from "../../relay/src/services/pow.js"
import type { NodeSettings } from "../../relay/src/services/records.js"
import { copyTestStore, startTestRelay, type TestRelay } from "./_harness.js"
import { prepareSetup, setupNode } from "./_nodeSetup.js"
import { evaluationBody, finishThrough, relayEvaluate } from "./_oprf.js"
import { filesUnder, TEST_KDF } from "./_secrets.js"
import { refused } from "./_seed.js"
import { storedBytesDir } from "./_storedBytes.js"

const SALT = new Uint8Array(16).fill(9)

async function cryptoCode(p: Promise<unknown>): Promise<string> {
  try {
    await p
  } catch (e) {
    return (e as CryptoError).code
  }
  throw new Error("expected a CryptoError")
}

describe("the relay's OPRF (SPEC §16)", () => {
  const clock = new ManualClock()
  let t: TestRelay
  let manifestKeys: Uint8Array[]

  beforeAll(async () => {
    t = await startTestRelay({ clock })
    await setupNode(t, { oprf: true })
    const node = await t.client.call(accounts.getNode)
    manifestKeys = manifestOprfKeys(verifyNodeManifest(node.manifest, undefined).manifest)
  })
  afterAll(async () => {
    await t.destroy()
  })

  it("keeps its key in a 0600 file outside the data dir, never in the store", async () => {
    const keyFile = t.relay.ctx.config.oprfKeyFile
    expect(keyFile.startsWith(`${t.dataDir}/`)).toBe(false)
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600)
    const seed = (await readFile(keyFile, "utf8")).split(/\s+/)[1] ?? ""
    expect(seed.length).toBe(43)
    const files = await filesUnder(await storedBytesDir(t))
    expect(files.length).toBeGreaterThan(0)
    const hex = Buffer.from(seed, "base64url").toString("hex")
    for (const file of files) {
      const bytes = await readFile(file)
      expect(bytes.includes(Buffer.from(seed, "base64url"))).toBe(false)
      expect(bytes.toString("latin1").includes(seed)).toBe(false)
      expect(bytes.toString("latin1").includes(hex)).toBe(false)
    }
  })

  it("lists its public key in the signed manifest, as GET /oprf says", async () => {
    const hint = await t.client.call(oprf.getOprfKeys)
    expect(manifestKeys.map(oprfKeyId)).toEqual(hint.keys)
    const seed = (await readFile(t.relay.ctx.config.oprfKeyFile, "utf8")).split(/\s+/)[1] ?? ""
    expect(hint.keys).toEqual([oprfKeyId(oprfKeyFromSeed(fromBase64url("seed", seed)).publicKey)])
  })

  it("evaluates a blinded password with a proof the client checks; the same password gives the same keys", async () => {
    const a = await finishThrough(
      t,
      await beginPasswordOprf("a long pass phrase", SALT, TEST_KDF),
      manifestKeys,
    )
    const b = await finishThrough(
      t,
      await beginPasswordOprf("a long pass phrase", SALT, TEST_KDF),
      manifestKeys,
    )
    expect(a.authKey).toEqual(b.authKey)
  })

  it("refuses an element that is not a point, an unknown key id, and an unpaid request", async () => {
    const junk = new Uint8Array(32).fill(0xff)
    const bad = await refused(
      t.client.call(oprf.oprfEvaluate, { body: await evaluationBody(t, junk) }),
    )
    expect([bad.status, bad.code]).toEqual([400, "VALIDATION"])
    const blinded = blindOprfInput(new Uint8Array([1])).blinded
    const unknown = await refused(
      t.client.call(oprf.oprfEvaluate, {
        body: await evaluationBody(t, blinded, "A".repeat(43)),
      }),
    )
    expect([unknown.status, unknown.code]).toEqual([400, "VALIDATION"])
    const body = await evaluationBody(t, blinded)
    const unpaid = await refused(
      t.client.call(oprf.oprfEvaluate, { body: { ...body, pow: { ...body.pow, nonce: 0 } } }),
    )
    expect(unpaid.code).toBe("BAD_POW")
  })

  it("refuses a setup whose manifest lists a key the relay does not hold, or a v1 password", async () => {
    const other = await startTestRelay()
    try {
      const [relayKey] = (await other.client.call(oprf.getOprfKeys)).keys
      const foreign = oprfKeyId(oprfKeyFromSeed(new Uint8Array(32).fill(4)).publicKey)
      const evaluate = (blinded: Uint8Array) => relayEvaluate(other, blinded)
      const listsForeign = await prepareSetup({
        oprfKeys: [relayKey ?? "", foreign],
        oprfEvaluate: evaluate,
      })
      const err = await refused(other.client.call(accounts.setup, { body: listsForeign.body }))
      expect([err.status, err.code]).toEqual([422, "BAD_MANIFEST"])
      // The manifest is right but the admin's verifier skipped the OPRF.
      const v1 = await prepareSetup({ oprfKeys: [relayKey ?? ""] })
      const skipped = await refused(other.client.call(accounts.setup, { body: v1.body }))
      expect([skipped.status, skipped.code, skipped.field]).toEqual([
        400,
        "VALIDATION",
        "body.admin.kdf.oprf",
      ])
    } finally {
      await other.destroy()
    }
  })

  it("prices a flood of evaluations node-wide, and a real user still gets through", async () => {
    const ctx = t.relay.ctx
    const guard = oprfGuard(ctx)
    const gate = powGate(ctx)
    const saved = { guard: guard.policy, gate: gate.policy }
    // A small scale keeps the flood quick: 4 free a minute, +1 bit per doubling, at most +2; the
    // general anonymous-write price is held still so only the OPRF's price moves.
    guard.policy = { ...guard.policy, threshold: 4, stepBits: 1, maxExtraBits: 2 }
    gate.policy = { ...gate.policy, threshold: 10_000 }
    const node = await ctx.store.require<NodeSettings>("settings", "node", "node")
    await ctx.store.put("settings", "node", { ...node, powDifficulty: 4 })
    try {
      const blinded = blindOprfInput(new Uint8Array([7])).blinded
      clock.advance(61_000)
      const before = (await evaluationBody(t, blinded)).pow
      for (let i = 0; i < 24; i++) await relayEvaluate(t, blinded)
      const challenge = await t.client.call(wb.getPow, { query: { for: "oprfEvaluate" } })
      expect(challenge.difficulty).toBe(4 + 2)
      // A proof fetched before the flood is now too cheap: the price rose past the slack.
      const stale = await refused(
        t.client.call(oprf.oprfEvaluate, {
          body: { pow: before, blinded: Buffer.from(blinded).toString("base64url") },
        }),
      )
      expect(stale.code).toBe("BAD_POW")
      // The real user pays the higher price and is served: nobody is locked out.
      const real = await finishThrough(
        t,
        await beginPasswordOprf("a long pass phrase", SALT, TEST_KDF),
        manifestKeys,
      )
      expect(real.authKey.length).toBe(32)
      clock.advance(61_000)
      const later = await t.client.call(wb.getPow, { query: { for: "oprfEvaluate" } })
      expect(later.difficulty).toBe(4)
    } finally {
      guard.policy = saved.guard
      gate.policy = saved.gate
      await ctx.store.put("settings", "node", node)
    }
  })
})

describe("an evil relay answering with another OPRF key", () => {
  let honest: TestRelay
  let evil: TestRelay
  let manifestKeys: Uint8Array[]

  beforeAll(async () => {
    honest = await startTestRelay()
    await setupNode(honest, { oprf: true })
    const node = await honest.client.call(accounts.getNode)
    manifestKeys = manifestOprfKeys(verifyNodeManifest(node.manifest, undefined).manifest)
    await honest.stop()
    // The seized server: the same data dir (same signed manifest) but its own OPRF key file.
    const dataDir = `${honest.dataDir}-seized`
    await copyTestStore(honest.dataDir, dataDir)
    evil = await startTestRelay({ dataDir })
  })
  afterAll(async () => {
    await evil.destroy()
    await honest.destroy()
  })

  it("serves the genuine manifest, but its evaluations are refused (KEY_MISMATCH)", async () => {
    const node = await evil.client.call(accounts.getNode)
    expect(manifestOprfKeys(verifyNodeManifest(node.manifest, undefined).manifest)).toEqual(
      manifestKeys,
    )
    const pending = await beginPasswordOprf("a long pass phrase", SALT, TEST_KDF)
    expect(await cryptoCode(finishThrough(evil, pending, manifestKeys))).toBe("KEY_MISMATCH")
  })

  it("and claiming the manifest's key does not help: the proof fails (BAD_PROOF)", async () => {
    const pending = await beginPasswordOprf("a long pass phrase", SALT, TEST_KDF)
    const evaluation = await relayEvaluate(evil, pending.blinded)
    const claimed = { ...evaluation, publicKey: manifestKeys[0] as Uint8Array }
    expect(await cryptoCode(pending.finish(claimed, manifestKeys))).toBe("BAD_PROOF")
  })
})

describe("rotating the OPRF key", () => {
  let t: TestRelay

  beforeAll(async () => {
    t = await startTestRelay()
    await setupNode(t, { oprf: true })
  })
  afterAll(async () => {
    await t.destroy()
  })

  it("serves both keys during the grace period; the old key still derives the old keys", async () => {
    const [oldId] = (await t.client.call(oprf.getOprfKeys)).keys
    const oldKey = fromBase64url("old", oldId ?? "")
    const before = await finishThrough(t, await beginPasswordOprf("rotate me", SALT, TEST_KDF), [
      oldKey,
    ])
    rotateOprfKey(t.relay.ctx.config.oprfKeyFile)
    t = await t.restart()
    const keys = (await t.client.call(oprf.getOprfKeys)).keys
    expect(keys.length).toBe(2)
    expect(keys[1]).toBe(oldId)
    const trusted = keys.map((k) => fromBase64url("k", k))
    const viaOld = await finishThrough(
      t,
      await beginPasswordOprf("rotate me", SALT, TEST_KDF),
      trusted,
      oldId,
    )
    expect(viaOld.authKey).toEqual(before.authKey)
    const viaNew = await finishThrough(
      t,
      await beginPasswordOprf("rotate me", SALT, TEST_KDF),
      trusted,
    )
    expect(viaNew.authKey).not.toEqual(before.authKey)
  })

  it("refuses to start on a malformed key file rather than use another key", async () => {
    const keyFile = t.relay.ctx.config.oprfKeyFile
    await t.stop()
    const saved = await readFile(keyFile, "utf8")
    await writeFile(keyFile, "sotto-oprf-v1 not-a-seed 2026-01-01T00:00:00Z\n")
    await expect(startTestRelay({ dataDir: t.dataDir })).rejects.toThrow(/oprf\.key line 1/)
    await writeFile(keyFile, saved)
    await rm(`${keyFile}.new`, { force: true })
  })
})
