import { RelayClient } from "@sotto/protocol"
import { type Clock, type Relay } from "@sotto/relay"
/** A real relay on a loopback port with a real LevelDB in a temp dir. */
export interface TestRelay {
  readonly relay: Relay
  readonly client: RelayClient
  readonly baseUrl: string
  readonly dataDir: string
  /** Stops the relay; the data dir survives until `destroy`. */
  stop(): Promise<void>
  /** Starts a new relay process-equivalent on the same data dir and port (restart). */
  restart(): Promise<TestRelay>
  /** Stops and deletes the data dir. */
  destroy(): Promise<void>
}
/** Starts a relay for one test file. `clock` lets tests move time (expiry, idle timeouts). */
export declare function startTestRelay(options?: {
  clock?: Clock
  dataDir?: string
  env?: Record<string, string>
}): Promise<TestRelay>
