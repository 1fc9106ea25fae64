import {
  authVerifier,
  beginPasswordOprf,
  CryptoError,
  DEFAULT_KDF_PARAMS,
  derivePasswordKeys,
  deriveReceiptKeys,
  drawSalt,
  evaluateOprf,
  type KdfParams,
  MIN_KDF_PARAMS,
  normaliseReceipt,
  oprfKeyFromSeed,
} from "@sotto/crypto-core"
import { afterAll, beforeAll, describe, expect, test } from "vitest"
import { type CryptoWorkers, createCryptoWorkers, proxy, withAbort } from "./index.js"
import { kdfApi } from "./kdfWorker.js"
import { nodeWorkerFactories } from "./node.js"

// The cheapest parameters crypto-core accepts keep these tests fast; the default is 2^17.
const FAST: KdfParams = MIN_KDF_PARAMS

let workers: CryptoWorkers
beforeAll(async () => {
  workers = createCryptoWorkers(await nodeWorkerFactories())
})
afterAll(() => workers.terminate())

describe("kdf worker", () => {
  test("password keys from the worker equal crypto-core's on the main thread", async () => {
    const salt = drawSalt()
    const seen: number[] = []
    const keys = await workers.kdf.derivePasswordKeys(
      "correct horse battery staple",
      salt,
      FAST,
      proxy((fraction: number) => {
        seen.push(fraction)
      }),
    )
    const direct = await derivePasswordKeys("correct horse battery staple", salt, FAST)
    expect(keys).toEqual({
      authKey: direct.authKey,
      identity: direct.identity,
      recipient: direct.recipient,
    })
    expect(keys.authKey).toBeInstanceOf(Uint8Array)
    // Throttled, but there are reports, they only grow, and the last one (before the result) is 1.
    expect(seen.length).toBeGreaterThanOrEqual(2)
    expect(seen).toEqual([...seen].sort((a, b) => a - b))
    expect(seen.at(-1)).toBe(1)
    expect(seen.every((f) => f >= 0 && f <= 1)).toBe(true)
  })

  test("receipt keys from the worker equal crypto-core's, typed receipt forgiven", async () => {
    const nodeSalt = drawSalt()
    const receipt = await workers.kdf.drawReceipt()
    const typed = ` ${receipt.replaceAll(" ", "-")} `
    expect(await workers.kdf.normaliseReceipt(typed)).toBe(normaliseReceipt(receipt))
    const seen: number[] = []
    const keys = await workers.kdf.deriveReceiptKeys(
      typed,
      nodeSalt,
      FAST,
      undefined,
      proxy((fraction: number) => {
        seen.push(fraction)
      }),
    )
    const direct = await deriveReceiptKeys(receipt, nodeSalt, FAST)
    expect(keys.authKey).toEqual(direct.authKey)
    expect(keys.identity).toBe(direct.identity)
    expect(keys.recipient).toBe(direct.recipient)
    expect(seen.at(-1)).toBe(1)
  })

  test("the verifier and salts come from the worker too", async () => {
    const salt = await workers.kdf.drawSalt()
    expect(salt).toBeInstanceOf(Uint8Array)
    expect(salt.length).toBe(16)
    const keys = await workers.kdf.derivePasswordKeys("pw", salt, FAST)
    expect(await workers.kdf.authVerifier(keys.authKey)).toEqual(authVerifier(keys.authKey))
  })

  test("CryptoError codes cross the worker boundary as real CryptoErrors", async () => {
    const weak = workers.kdf.derivePasswordKeys("pw", drawSalt(), { N: 1024, r: 8, p: 1 })
    await expect(weak).rejects.toBeInstanceOf(CryptoError)
    await expect(weak).rejects.toMatchObject({ name: "CryptoError", code: "WEAK_PARAMS" })
    await expect(workers.kdf.deriveReceiptKeys("1234", drawSalt(), FAST)).rejects.toMatchObject({
      code: "BAD_RECEIPT_FORMAT",
      message: "a receipt has 16 digits, this one has 4",
    })
    await expect(workers.kdf.derivePasswordKeys("", drawSalt(), FAST)).rejects.toMatchObject({
      code: "BAD_INPUT",
    })
  })

  test("aborting the signal cancels the derivation in the worker with ABORTED", async () => {
    const controller = new AbortController()
    // Aborted once the derivation runs: noble stops at its next progress tick, the WebAssembly
    // scrypt (one uninterruptible call) has its result dropped when it returns.
    const onProgress = proxy((fraction: number) => {
      if (fraction >= 0) setTimeout(() => controller.abort(), 20)
    })
    const started = Date.now()
    const job = withAbort(controller.signal, workers.kdf, (jobId) =>
      workers.kdf.derivePasswordKeys("pw", drawSalt(), DEFAULT_KDF_PARAMS, onProgress, jobId),
    )
    await expect(job).rejects.toMatchObject({ code: "ABORTED" })
    // The worker is free again at once and derives normally.
    const keys = await workers.kdf.derivePasswordKeys("pw", drawSalt(), FAST)
    expect(keys.recipient).toMatch(/^age1/)
    expect(Date.now() - started).toBeLessThan(30_000)
    await expect(
      withAbort(controller.signal, workers.kdf, () => Promise.resolve(1)),
    ).rejects.toMatchObject({
      code: "ABORTED",
    })
    expect(await workers.kdf.cancel("no-such-job")).toBe(false)
  })

  test("the worker settles on hash-wasm's WebAssembly scrypt where WebAssembly runs", async () => {
    expect(await workers.kdf.scrypt()).toBe("hash-wasm")
  })

  test("the api object is usable directly, without a worker", async () => {
    const salt = drawSalt()
    const keys = await kdfApi.derivePasswordKeys("pw", salt, FAST)
    expect(keys.identity).toBe((await derivePasswordKeys("pw", salt, FAST)).identity)
  })

  test("the OPRF derivation runs in the worker and refuses another relay key", async () => {
    const key = oprfKeyFromSeed(new Uint8Array(32).fill(3))
    const other = oprfKeyFromSeed(new Uint8Array(32).fill(4))
    const salt = drawSalt()
    const begun = await workers.kdf.beginPasswordOprf("pw pw pw", salt, FAST)
    const keys = await workers.kdf.finishOprf(begun.handle, evaluateOprf(key, begun.blinded), [
      key.publicKey,
    ])
    const direct = await beginPasswordOprf("pw pw pw", salt, FAST)
    const expected = await direct.finish(evaluateOprf(key, direct.blinded), [key.publicKey])
    expect(keys.authKey).toEqual(expected.authKey)
    const again = await workers.kdf.beginPasswordOprf("pw pw pw", salt, FAST)
    await expect(
      workers.kdf.finishOprf(again.handle, evaluateOprf(other, again.blinded), [key.publicKey]),
    ).rejects.toMatchObject({ code: "KEY_MISMATCH" })
    // A handle is spent once, whatever the outcome.
    await expect(
      workers.kdf.finishOprf(again.handle, evaluateOprf(key, again.blinded), [key.publicKey]),
    ).rejects.toMatchObject({ code: "BAD_INPUT" })
  })
})
