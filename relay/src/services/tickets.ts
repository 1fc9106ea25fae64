import { createHmac, randomBytes, timingSafeEqual } from "node:crypto"

// Stateless challenges (PoW, recovery): the relay MACs what it would otherwise have to remember,
// so a flood of requests for new challenges cannot evict the ones already handed out. Only the
// spent ones are remembered, each until its own expiry (the Coordinator's spendOnce).

/** Bytes of HMAC-SHA-256 kept in a ticket: 128 bits, as much as the random part. */
export const TICKET_MAC_BYTES = 16

/**
 * A ticket key: HMAC-SHA-256 under a 32-byte key (the Coordinator's: drawn at start and never
 * stored for one process, so a restart only voids outstanding challenges; derived alike on every
 * process of a cluster).
 */
export class TicketKey {
  readonly #key: Buffer

  constructor(key: Uint8Array = randomBytes(32)) {
    this.#key = Buffer.from(key)
  }

  /** HMAC-SHA-256 of `label`, a zero byte and `parts` in order, cut to `bytes`. */
  mac(label: string, parts: readonly Uint8Array[], bytes = TICKET_MAC_BYTES): Buffer {
    const h = createHmac("sha256", this.#key).update(label).update(Buffer.of(0))
    for (const part of parts) h.update(part)
    return h.digest().subarray(0, bytes)
  }

  /** Whether `mac` is the MAC of `label` and `parts`, in constant time. */
  verify(label: string, parts: readonly Uint8Array[], mac: Uint8Array): boolean {
    const expected = this.mac(label, parts, mac.length)
    return mac.length === TICKET_MAC_BYTES && timingSafeEqual(expected, mac)
  }
}

/** Writes `ms` (a time) as 6 big-endian bytes (enough until the year 10889). */
export function timeBytes(ms: number): Buffer {
  const out = Buffer.alloc(6)
  out.writeUIntBE(Math.max(0, Math.floor(ms)), 0, 6)
  return out
}

/** Reads 6 big-endian bytes written by {@link timeBytes}. */
export function readTime(bytes: Uint8Array, offset: number): number {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).readUIntBE(offset, 6)
}
