/**
 * The proof-of-work worker: the hashcash search that gates anonymous writes (SPEC §9). At the
 * relay's highest difficulties it runs for seconds, so it gets a thread of its own and can be
 * cancelled when the whistleblower leaves the page.
 */
import {
  type Json,
  type PowBounds,
  type PowChallenge,
  powBinding,
  solvePow,
  verifyPow,
} from "@sotto/crypto-core"
import { exposeApi, Jobs, type ProgressCallback, withProgress } from "./workerRuntime.js"

const jobs = new Jobs()

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
   * Finds the smallest nonce that solves the challenge (deterministic). With `bounds` (the pinned
   * manifest's) a challenge asking more or fewer bits is refused before any work.
   * @throws CryptoError `BAD_INPUT` on a malformed challenge, `ABORTED` after `cancel(jobId)`,
   * `POW_OUT_OF_BOUNDS` outside `bounds`.
   */
  solvePow(
    challenge: PowChallenge,
    onProgress?: ProgressCallback,
    jobId?: string,
    bounds?: PowBounds,
  ): Promise<number> {
    return withProgress(
      onProgress,
      (report) =>
        jobs.run(jobId, (signal) =>
          solvePow(challenge, {
            signal,
            ...(bounds === undefined ? {} : { bounds }),
            onProgress: (attempts) => report(powFraction(attempts, challenge.difficulty)),
          }),
        ),
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

  /** Cancels a search started with this job id. @returns false when none is running. */
  cancel(jobId: string): boolean {
    return jobs.cancel(jobId)
  },
}

/** The PoW worker's API; the main thread holds a `Remote<PowApi>`. */
export type PowApi = typeof powApi

void exposeApi(powApi)
