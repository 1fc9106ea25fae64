import { ristretto255_oprf } from "@noble/curves/ed25519.js"

// The one RFC 9497 suite Sotto uses, in verifiable mode, with the randomness injectable so the
// RFC's vectors can be replayed (crypto-core/vectors/rfc9497). Nothing outside crypto-core and
// its tests passes an `rng`.

/** A byte source of the shape noble takes: `n` bytes, uniformly random in production. */
export type ByteSource = (n?: number) => Uint8Array

/** ristretto255-SHA512 in VOPRF mode (RFC 9497 §3, mode 0x01). */
export const voprf = ristretto255_oprf.voprf

/** The suite's identifier as RFC 9497 writes it. */
export const SUITE_NAME = ristretto255_oprf.name
