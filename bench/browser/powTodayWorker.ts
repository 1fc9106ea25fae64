/// <reference lib="webworker" />
// The proof-of-work searches the PoW worker ran before issue 14, for the browser bench to time
// beside today's: crypto-core's `solvePow` (noble, yielding to the event loop every 4096 hashes,
// progress on) and the same search without yields (`solvePowBlocking` with noble's hash, the path
// a page that refuses WebAssembly now takes).
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
