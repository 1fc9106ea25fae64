import { files } from "@sotto/protocol"

// How fast this browser can send to the relay, estimated from the requests it already made, so
// uploads pick a chunk size the link can carry. The relay's HTTP server (uWebSockets.js) drops a
// request body that trickles in for more than about ten seconds, so on a 100 kbit/s uplink
// (Tor, a poor mobile link) a 1 MiB chunk would be cut and retried forever, while 64 KiB chunks
// arrive in about five seconds each.

/** Uploads at or below this rate (bytes/s) use the smallest chunk. */
const SLOW_BELOW = 256 * 1024
/** Bodies smaller than this say more about latency than throughput and are not measured. */
const MEASURE_FROM = 1024

let estimate: number | undefined

/** Records one upload: `bytes` of body sent in `ms` until the response headers arrived. */
export function recordUpload(bytes: number, ms: number): void {
  if (bytes < MEASURE_FROM || ms <= 0) return
  const rate = (bytes / ms) * 1000
  // The latest measurement weighs most: links change (a train, a tunnel, Tor circuits).
  estimate = estimate === undefined ? rate : 0.5 * estimate + 0.5 * rate
}

/**
 * The chunk size for the next upload: the relay's largest on a fast link, its smallest when the
 * link is slow or nothing has been measured yet (the cautious choice costs only round trips).
 */
export function uploadChunkSize(): number {
  return estimate !== undefined && estimate > SLOW_BELOW
    ? files.MAX_CHUNK_SIZE
    : files.MIN_CHUNK_SIZE
}

/** A fetch that measures request bodies on their way to the relay (see {@link recordUpload}). */
export const measuredFetch: typeof fetch = async (input, init) => {
  const body = init?.body
  const bytes =
    body instanceof Uint8Array ? body.byteLength : typeof body === "string" ? body.length : 0
  const started = performance.now()
  const response = await fetch(input, init)
  recordUpload(bytes, performance.now() - started)
  return response
}
