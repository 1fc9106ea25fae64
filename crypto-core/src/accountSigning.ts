import { hkdf } from "@noble/hashes/hkdf.js"
import { sha256 } from "@noble/hashes/sha2.js"
import nacl from "tweetnacl"
import { type AgeIdentity, secretFromIdentity } from "./age.js"
import { utf8 } from "./encoding.js"
import type { SigningKeyPair } from "./keyDirectory.js"
import { signerOf } from "./signedStatement.js"

const LABEL = "sotto/v2/account-signing-key"

/**
 * The Ed25519 key pair an account signs with (comments, certifications, keyholder lists),
 * derived from its X25519 identity: seed = HKDF-SHA-256(ikm = the identity's 32 secret bytes,
 * salt = empty, info = "sotto/v2/account-signing-key", 32 bytes). Whoever holds the identity
 * holds the signing key; nothing new is stored.
 * @throws CryptoError `BAD_INPUT` when `identity` is not an X25519 identity.
 */
export function accountSigningKey(identity: AgeIdentity): SigningKeyPair {
  const secret = secretFromIdentity("identity", identity)
  return nacl.sign.keyPair.fromSeed(hkdf(sha256, secret, new Uint8Array(0), utf8(LABEL), 32))
}

/** The account's signing public key as carried in statements and directories (base64url). */
export function accountSigner(identity: AgeIdentity): string {
  return signerOf(accountSigningKey(identity))
}
