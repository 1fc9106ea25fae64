import { browserWorkerFactories, type CryptoWorkers, createCryptoWorkers } from "@sotto/workers"

// The only door to crypto from the UI thread: typed comlink remotes of the @sotto/workers entry
// points. Each worker starts on first use, so the landing page starts none.

let workers: CryptoWorkers | undefined

/** The app's crypto workers (scrypt, age, PoW, files), started lazily. */
export function crypto(): CryptoWorkers {
  workers ??= createCryptoWorkers(browserWorkerFactories())
  return workers
}
