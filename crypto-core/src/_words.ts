import { randomBytes } from "@noble/hashes/utils.js"
import { wordlist } from "@scure/bip39/wordlists/english.js"

/** The BIP-39 English list (2048 words, unique in their first four letters). */
export { wordlist }

/** Draws `count` words uniformly from {@link wordlist}. */
export function drawWords(count: number): string[] {
  const bytes = randomBytes(count * 2)
  return Array.from({ length: count }, (_, i) => {
    // 2048 words divide 65536 exactly, so masking 11 bits of a 16-bit value is uniform.
    const index = (((bytes[2 * i] ?? 0) << 8) | (bytes[2 * i + 1] ?? 0)) & 2047
    return wordlist[index] ?? ""
  })
}
