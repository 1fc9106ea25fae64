import { _SHA256, sha256 } from "@noble/hashes/sha2.js"

// The proof-of-work search without a full SHA-256 per nonce: the input is fixed but for its last
// 8 bytes, so the blocks before the nonce are compressed once (a midstate) and each attempt runs
// noble's own compression function on the last one or two padded blocks, allocating nothing,
// then reads the first digest word. Standard SHA-256 padding; the result is checked against
// noble's sha256 at start (a changed library gives up this path) and every hit again by the
// caller with the full hash.

/** noble's SHA-256 with its compression function and state in reach. */
class Compressor extends _SHA256 {
  compress(view: DataView, offset: number): void {
    this.process(view, offset)
  }
  state(): number[] {
    return this.get()
  }
  load(s: readonly number[]): void {
    this.set(s[0] ?? 0, s[1] ?? 0, s[2] ?? 0, s[3] ?? 0, s[4] ?? 0, s[5] ?? 0, s[6] ?? 0, s[7] ?? 0)
  }
  first(): number {
    return this.A >>> 0
  }
}

/** A search over one input: the first 32 bits of SHA-256(input with `nonce` in its last 8 bytes). */
export interface MidstateSearch {
  firstWord(nonce: number): number
}

/**
 * Prepares the midstate search for `input` (its last 8 bytes are the nonce).
 * @returns undefined when noble's internals do not give noble's own hash (a changed library).
 */
export function midstateSearch(input: Uint8Array): MidstateSearch | undefined {
  const length = input.length
  const padded = new Uint8Array(Math.ceil((length + 9) / 64) * 64)
  padded.set(input)
  padded[length] = 0x80
  const view = new DataView(padded.buffer)
  view.setUint32(padded.length - 4, (length * 8) >>> 0)
  view.setUint32(padded.length - 8, Math.floor((length * 8) / 2 ** 32))
  const c = new Compressor()
  const tail = Math.floor((length - 8) / 64) * 64
  for (let offset = 0; offset < tail; offset += 64) c.compress(view, offset)
  const mid = c.state()
  const at = length - 8
  const search: MidstateSearch = {
    firstWord(nonce) {
      view.setUint32(at, Math.floor(nonce / 2 ** 32))
      view.setUint32(at + 4, nonce >>> 0)
      c.load(mid)
      for (let offset = tail; offset < padded.length; offset += 64) c.compress(view, offset)
      return c.first()
    },
  }
  for (const nonce of [0, 1, 0x1_0000_0001]) {
    const probe = input.slice()
    const probeView = new DataView(probe.buffer)
    probeView.setUint32(at, Math.floor(nonce / 2 ** 32))
    probeView.setUint32(at + 4, nonce >>> 0)
    const expected = new DataView(sha256(probe).buffer).getUint32(0)
    if (search.firstWord(nonce) !== expected) return undefined
  }
  return search
}
