import { bech32 } from "@scure/base"
import { expectString } from "./_validate.js"
import { type AgeIdentity, generateAgeIdentity } from "./age.js"
import { CryptoError } from "./errors.js"

/**
 * A recovery key is an ordinary age X25519 identity (32 random bytes), so `age -d -i` accepts it.
 * People see it grouped: the 58 Bech32 characters after `AGE-SECRET-KEY-1` in groups of four.
 */
export type RecoveryKey = AgeIdentity

const PREFIX = "AGE-SECRET-KEY-1"
const DATA_LENGTH = 58
const ALPHABET = "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L"
// Characters Bech32 leaves out on purpose, with what a person most likely meant.
const LOOK_ALIKES: Record<string, string> = { O: "0", I: "L", B: "8", "1": "L" }

/** Draws a new recovery key. Show it once; Sotto keeps only its public half. */
export function drawRecoveryKey(): RecoveryKey {
  return generateAgeIdentity()
}

/**
 * The grouped, human-friendly form, e.g. `QYPZ RX8W … 7L`.
 * @throws CryptoError `BAD_INPUT` when `key` is not an X25519 identity.
 */
export function formatRecoveryKey(key: RecoveryKey): string {
  const s = expectString("key", key, 200)
  if (!s.startsWith(PREFIX) || s.length !== PREFIX.length + DATA_LENGTH) {
    throw new CryptoError("BAD_INPUT", `"key" is not an age X25519 identity`)
  }
  return (s.slice(PREFIX.length).match(/.{1,4}/g) ?? []).join(" ")
}

/**
 * Reads a recovery key as a person typed it: full `AGE-SECRET-KEY-1…` or grouped form, any case,
 * spaces, dashes and line breaks ignored.
 * @throws CryptoError `BAD_RECOVERY_KEY` with a message saying what to fix (length, a character that
 * is never used and its likely meaning, or a typo caught by the checksum).
 */
export function parseRecoveryKey(text: string): RecoveryKey {
  let data = expectString("text", text, 1000)
    .toUpperCase()
    .replace(/[\s-]+/g, "")
  if (data.startsWith("AGESECRETKEY1")) data = data.slice("AGESECRETKEY1".length)
  for (let i = 0; i < data.length; i++) {
    const c = data[i] ?? ""
    if (!ALPHABET.includes(c)) {
      const hint = LOOK_ALIKES[c] ? `; did you mean "${LOOK_ALIKES[c]}"?` : ""
      throw new CryptoError(
        "BAD_RECOVERY_KEY",
        `character ${i + 1} ("${c}") never appears in a recovery key${hint}`,
      )
    }
  }
  if (data.length !== DATA_LENGTH) {
    throw new CryptoError(
      "BAD_RECOVERY_KEY",
      `a recovery key has ${DATA_LENGTH} characters, this one has ${data.length}: check for a missing or extra group`,
    )
  }
  const candidate = `${PREFIX}${data}`
  try {
    const { words } = bech32.decode(candidate.toLowerCase() as `${string}1${string}`, false)
    if (bech32.fromWords(words).length !== 32) throw new Error("length")
  } catch (cause) {
    throw new CryptoError(
      "BAD_RECOVERY_KEY",
      "this recovery key contains a typo (its checksum does not match): compare each group again",
      { cause },
    )
  }
  return candidate
}
