import {
  CryptoError,
  type PowChallenge,
  solvePow,
  toBase64url,
  verifyPow,
} from "@sotto/crypto-core"
import { afterAll, beforeAll, describe, expect, test } from "vitest"
import { type CryptoWorkers, createCryptoWorkers, proxy, withAbort } from "./index.js"
import { nodeWorkerFactories } from "./node.js"
import { powFraction } from "./powWorker.js"

let workers: CryptoWorkers
beforeAll(async () => {
  workers = createCryptoWorkers(await nodeWorkerFactories())
})
afterAll(() => workers.terminate())

function challenge(difficulty: number): PowChallenge {
  return { challenge: toBase64url(crypto.getRandomValues(new Uint8Array(16))), difficulty }
}

describe("pow worker", () => {
  test("finds the same smallest nonce as crypto-core, and it verifies", async () => {
    const c = challenge(16)
    const seen: number[] = []
    const nonce = await workers.pow.solvePow(
      c,
      proxy((attempts: number) => {
        seen.push(attempts)
      }),
    )
    expect(verifyPow(c, nonce)).toBe(true)
    expect(await workers.pow.verifyPow(c, nonce)).toBe(true)
    expect(nonce).toBe(await solvePow(c))
    // Estimated fractions that only grow; the last, delivered before the result, is 1.
    expect(seen).toEqual([...seen].sort((a, b) => a - b))
    expect(seen.at(-1)).toBe(1)
    expect(powFraction(2 ** 16, 16)).toBeCloseTo(1 - Math.exp(-1))
  })

  test("cancelling through an AbortSignal stops the search with ABORTED", async () => {
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 100)
    const job = withAbort(controller.signal, workers.pow, (jobId) =>
      workers.pow.solvePow(challenge(32), undefined, jobId),
    )
    await expect(job).rejects.toBeInstanceOf(CryptoError)
    await expect(job).rejects.toMatchObject({ code: "ABORTED" })
  })

  test("a malformed challenge is BAD_INPUT", async () => {
    await expect(workers.pow.solvePow({ challenge: "short", difficulty: 4 })).rejects.toMatchObject(
      { code: "BAD_INPUT" },
    )
    await expect(workers.pow.solvePow(challenge(33))).rejects.toMatchObject({ code: "BAD_INPUT" })
  })
})
