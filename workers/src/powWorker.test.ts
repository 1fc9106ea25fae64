import {
  CryptoError,
  type PowChallenge,
  solvePow,
  toBase64url,
  verifyPow,
} from "@sotto/crypto-core"
import { afterAll, beforeAll, describe, expect, test } from "vitest"
import { type CryptoWorkers, createCryptoWorkers } from "./index.js"
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
    const nonce = await workers.solvePow(c, { onProgress: (fraction) => seen.push(fraction) })
    expect(verifyPow(c, nonce)).toBe(true)
    expect(await workers.pow.verifyPow(c, nonce)).toBe(true)
    expect(nonce).toBe(await solvePow(c))
    // Estimated fractions that only grow; the last, delivered before the result, is 1.
    expect(seen).toEqual([...seen].sort((a, b) => a - b))
    expect(seen.at(-1)).toBe(1)
    expect(powFraction(2 ** 16, 16)).toBeCloseTo(1 - Math.exp(-1))
  })

  test("aborting terminates the search's own worker: ABORTED at once, and nothing keeps hashing", async () => {
    const controller = new AbortController()
    const seen: number[] = []
    const job = workers.solvePow(challenge(32), {
      signal: controller.signal,
      onProgress: (fraction) => {
        seen.push(fraction)
        if (seen.length === 2) controller.abort()
      },
    })
    await expect(job).rejects.toBeInstanceOf(CryptoError)
    await expect(job).rejects.toMatchObject({ code: "ABORTED" })
    // The worker is gone, so no report arrives after the abort (one may be on its way).
    const count = seen.length
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(seen.length).toBeLessThanOrEqual(count + 1)
    await expect(
      workers.solvePow(challenge(8), { signal: controller.signal }),
    ).rejects.toMatchObject({ code: "ABORTED" })
  })

  test("a malformed challenge is BAD_INPUT", async () => {
    await expect(workers.solvePow({ challenge: "short", difficulty: 4 })).rejects.toMatchObject({
      code: "BAD_INPUT",
    })
    await expect(workers.solvePow(challenge(33))).rejects.toMatchObject({ code: "BAD_INPUT" })
  })
})
