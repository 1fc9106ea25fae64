/**
 * The proof-of-work worker: the hashcash search that gates anonymous writes (SPEC §9). The search
 * is one loop that never yields (noble's SHA-256 compression from a midstate, no WebAssembly
 * needed), so each search gets a worker of its own (`CryptoWorkers.solvePow`), is stopped by terminating
 * that worker, and reports progress by messages sent from inside the loop.
 */
import {
  type Json,
  type PowChallenge,
  powBinding,
  solvePowBlocking,
  verifyPow,
} from "@sotto/crypto-core"
import { exposeApi, type ProgressCallback, withProgress } from "./workerRuntime.js"

/**
 * How far a search probably is after `attempts` hashes: the chance that a solution would have
 * been found by now, `1 - e^(-attempts / 2^difficulty)`. A progress bar that fills like this
 * moves fast at first and slows, which is honest for a search whose length is random.
 */
export function powFraction(attempts: number, difficulty: number): number {
  return 1 - Math.exp(-attempts / 2 ** difficulty)
}

/**
 * What the PoW worker exposes. Progress is a fraction like the KDF's, estimated with
 * {@link powFraction} (about `2^difficulty` attempts are expected), and ends with 1.
 */
export const powApi = {
  /**
   * Finds the smallest nonce that solves the challenge (deterministic), blocking this worker
   * until it does: terminate the worker to cancel (the main thread's `CryptoWorkers.solvePow`
   * does so on abort).
   * @throws CryptoError `BAD_INPUT` on a malformed challenge.
   */
  solvePow(challenge: PowChallenge, onProgress?: ProgressCallback): Promise<number> {
    return withProgress(
      onProgress,
      async (report) =>
        solvePowBlocking(challenge, {
          onProgress: (attempts) => report(powFraction(attempts, challenge.difficulty)),
        }),
      () => 1,
    )
  },

  /**
   * The binding of a proof to the request it pays for: `route` (the protocol route id) and
   * `body` (the request body without `pow`), SPEC §9. Solve with `{ ...challenge, binding }`.
   * @throws CryptoError `BAD_INPUT` for an empty route.
   */
  powBinding(route: string, body: Json): string {
    return powBinding(route, body)
  },

  /** Checks a solution, as the relay will. @throws CryptoError `BAD_INPUT` when malformed. */
  verifyPow(challenge: PowChallenge, nonce: number): boolean {
    return verifyPow(challenge, nonce)
  },
}

/** The PoW worker's API; the main thread holds a `Remote<PowApi>`. */
export type PowApi = typeof powApi

void exposeApi(powApi)
