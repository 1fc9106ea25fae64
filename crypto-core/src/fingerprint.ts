import { sha256 } from "@noble/hashes/sha2.js"
import { expectBytesBetween } from "./_validate.js"
import { wordlist } from "./_words.js"
import { concatBytes, utf8 } from "./encoding.js"

const LABEL = "sotto/v2/key-fingerprint"
/** Words in a fingerprint: 8 × 11 bits = 88 bits, beyond reach of a targeted second preimage. */
export const FINGERPRINT_WORDS = 8

/**
 * A public key's fingerprint for people to compare aloud or on paper: the first 88 bits of
 * SHA-256("sotto/v2/key-fingerprint\n" ‖ key bytes), as 8 BIP-39 English words (11 bits each,
 * big-endian). Used for the node signing key and for users' account keys.
 * @throws CryptoError `BAD_INPUT` unless `publicKey` is 16–256 bytes.
 */
export function fingerprintWords(publicKey: Uint8Array): string[] {
  const digest = sha256(
    concatBytes(utf8(`${LABEL}\n`), expectBytesBetween("publicKey", publicKey, 16, 256)),
  )
  const words: string[] = []
  for (let i = 0; i < FINGERPRINT_WORDS; i++) {
    let index = 0
    for (let bit = i * 11; bit < (i + 1) * 11; bit++) {
      index = (index << 1) | (((digest[bit >> 3] ?? 0) >> (7 - (bit & 7))) & 1)
    }
    words.push(wordlist[index] ?? "")
  }
  return words
}
