import { chacha20poly1305 } from "@noble/ciphers/chacha.js"
import { x25519 } from "@noble/curves/ed25519.js"
import { hkdf } from "@noble/hashes/hkdf.js"
import { sha256 } from "@noble/hashes/sha2.js"
import { randomBytes } from "@noble/hashes/utils.js"
import { base64nopad } from "@scure/base"
import { type Identity, type Recipient, Stanza } from "age-encryption"

// The age v1 X25519 recipient stanza (age-encryption.org/v1, "X25519 recipient type"), on the same
// noble primitives typage uses. Why our own: typage falls back from WebCrypto to noble only on a
// ReferenceError or NotSupportedError, but where `crypto.subtle` is undefined (insecure contexts such
// as .onion pages on iOS) it gets a TypeError and fails. These plug into typage's Recipient/Identity
// interfaces, so the header, MAC and payload remain typage's; the cctv-age X25519 vectors and the
// age CLI check this code both with and without WebCrypto.

const LABEL = new TextEncoder().encode("age-encryption.org/v1/X25519")
const ZERO_NONCE = new Uint8Array(12)

function wrappingKey(secret: Uint8Array, share: Uint8Array, recipient: Uint8Array): Uint8Array {
  if (secret.every((b) => b === 0))
    throw new Error("X25519 shared secret is all zeroes (low-order point)")
  const salt = new Uint8Array(64)
  salt.set(share)
  salt.set(recipient, 32)
  return hkdf(sha256, secret, salt, LABEL, 32)
}

/** Wraps the file key to a 32-byte X25519 public key. */
export class X25519StanzaRecipient implements Recipient {
  constructor(private readonly publicKey: Uint8Array) {}

  wrapFileKey(fileKey: Uint8Array): Stanza[] {
    const ephemeral = randomBytes(32)
    const share = x25519.getPublicKey(ephemeral)
    const key = wrappingKey(
      x25519.getSharedSecret(ephemeral, this.publicKey),
      share,
      this.publicKey,
    )
    const body = chacha20poly1305(key, ZERO_NONCE).encrypt(fileKey)
    return [new Stanza(["X25519", base64nopad.encode(share)], body)]
  }
}

/** Unwraps a file key from the first X25519 stanza addressed to a 32-byte secret key. */
export class X25519StanzaIdentity implements Identity {
  private readonly publicKey: Uint8Array

  constructor(private readonly secretKey: Uint8Array) {
    this.publicKey = x25519.getPublicKey(secretKey)
  }

  unwrapFileKey(stanzas: Stanza[]): Uint8Array | null {
    for (const s of stanzas) {
      if (s.args[0] !== "X25519") continue
      // A malformed X25519 stanza makes the whole file invalid, as the age spec requires.
      if (s.args.length !== 2) throw new Error("invalid X25519 stanza")
      const share = base64nopad.decode(s.args[1] ?? "")
      if (share.length !== 32 || s.body.length !== 32) throw new Error("invalid X25519 stanza")
      const key = wrappingKey(x25519.getSharedSecret(this.secretKey, share), share, this.publicKey)
      try {
        return chacha20poly1305(key, ZERO_NONCE).decrypt(s.body)
      } catch {
        // Not for us: try the next stanza.
      }
    }
    return null
  }
}

/** The X25519 public key of a 32-byte secret key. */
export function x25519PublicKey(secretKey: Uint8Array): Uint8Array {
  return x25519.getPublicKey(secretKey)
}
