/// <reference lib="webworker" />
// Proof-of-work searches in one long-lived bench worker: the one the PoW worker ran before issue
// 14, crypto-core's `solvePow` (noble's whole sha256 per attempt, yielding to the event loop
// every 4096, progress on), and today's `solvePowBlocking` without a fresh worker's start-up.
import { type PowChallenge, solvePow, solvePowBlocking } from "@sotto/crypto-core"

addEventListener("message", (event: MessageEvent<{ path: string; challenge: PowChallenge }>) => {
  const { path, challenge } = event.data
  const search =
    path === "yielding"
      ? solvePow(challenge, { onProgress: () => {} })
      : Promise.resolve().then(() => solvePowBlocking(challenge, { onProgress: () => {} }))
  search.then(
    (nonce) => postMessage({ nonce }),
    (error: unknown) => postMessage({ error: String(error) }),
  )
})
