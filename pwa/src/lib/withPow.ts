import { checkPowBounds, type Json, type PowBounds } from "@sotto/crypto-core"
import { RelayClientError, wb } from "@sotto/protocol"
import { relay } from "./api.js"
import { crypto } from "./crypto.js"

// Paying for a request with proof of work (SPEC §9): the whistleblower's submit and login, and
// every OPRF evaluation (SPEC §16).

/**
 * Fetches a proof-of-work challenge for `route`, solves it in the PoW worker bound to `body` (the
 * request body without `pow`, SPEC §9) and runs `send` with it; a challenge that expired while
 * solving, or whose difficulty rose meanwhile (BAD_POW), is replaced once. A challenge outside
 * `bounds` (the verified manifest's) is refused before any work: a relay asking 40 bits would
 * freeze a phone for days.
 * @throws RelayClientError from `send` or the challenge fetch; CryptoError `ABORTED`,
 * `POW_OUT_OF_BOUNDS`.
 */
export async function withPow<T>(
  route: "submitTip" | "wbLogin" | "oprfEvaluate",
  body: Json,
  bounds: PowBounds,
  send: (pow: { challenge: string; nonce: number }) => Promise<T>,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<T> {
  const workers = crypto()
  const binding = await workers.pow.powBinding(route, body)
  for (let attempt = 0; ; attempt++) {
    const challenge = await relay.call(wb.getPow, { query: { for: route } })
    onProgress(0)
    // Refused before any work: the bounds come from the manifest verified against the pin.
    checkPowBounds(challenge, bounds)
    const nonce = await workers.solvePow(
      { ...challenge, binding },
      { onProgress, ...(signal ? { signal } : {}) },
    )
    try {
      return await send({ challenge: challenge.challenge, nonce })
    } catch (error) {
      if (attempt > 0 || !(error instanceof RelayClientError) || error.code !== "BAD_POW") {
        throw error
      }
    }
  }
}
