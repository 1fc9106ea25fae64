import { randomBytes } from "@noble/hashes/utils.js"
import { expectBytes, expectString } from "./_validate.js"
import { type AgeIdentity, type AgeRecipient, decryptAgeFile, encryptArmored } from "./age.js"
import { concatBytes, utf8 } from "./encoding.js"
import { CryptoError } from "./errors.js"

// The recovery-key login's challenge (SPEC §3, protocol v2). The relay seals it to the account's
// recovery recipient; the holder of the recovery key opens it and sends back the nonce only. The
// plaintext is a fixed format so a relay cannot make the browser open (and post back) some other
// age file addressed to the recovery key, such as the sealed account identity itself.

/** The label line that starts every recovery challenge's plaintext. */
export const RECOVERY_CHALLENGE_LABEL = "sotto/v2/recovery-challenge"
/** Bytes of random nonce after the label line. */
export const RECOVERY_NONCE_BYTES = 32
const PREFIX = utf8(`${RECOVERY_CHALLENGE_LABEL}\n`)
// One X25519 stanza and a 60-byte payload armor to about 400 characters; anything far bigger is
// not a challenge and is refused before any decryption.
const MAX_ARMORED = 2048

/**
 * Seals a challenge for `recipient` (the account's recovery recipient): `nonce` when given (a
 * relay deriving it from a MAC'd ticket), else 32 fresh random bytes.
 * @returns the 32-byte nonce (keep a hash of it) and the armored age file to send.
 * @throws CryptoError `BAD_INPUT` when `recipient` is not an age X25519 recipient or the nonce is
 * not 32 bytes.
 */
export async function sealRecoveryChallenge(
  recipient: AgeRecipient,
  given?: Uint8Array,
): Promise<{ nonce: Uint8Array; sealed: string }> {
  const nonce =
    given === undefined
      ? randomBytes(RECOVERY_NONCE_BYTES)
      : expectBytes("nonce", given, RECOVERY_NONCE_BYTES)
  const sealed = await encryptArmored([recipient], concatBytes(PREFIX, nonce))
  return { nonce, sealed }
}

/**
 * Opens a recovery challenge with the recovery key and returns its nonce, after checking the
 * plaintext is exactly the label line and 32 bytes. Nothing else from the plaintext is returned,
 * so whatever else the relay sends in its place never leaves this function.
 * @throws CryptoError `BAD_CHALLENGE` when the file is oversized or its plaintext is not a
 *   recovery challenge (the relay sent something else); `WRONG_KEY`, `TAMPERED`, `BAD_INPUT` from
 *   the decryption.
 */
export async function openRecoveryChallenge(sealed: string, key: AgeIdentity): Promise<Uint8Array> {
  const file = expectString("sealed", sealed, 100_000)
  if (file.length > MAX_ARMORED) throw notAChallenge()
  const plain = await decryptAgeFile(file, key, undefined)
  try {
    if (plain.length !== PREFIX.length + RECOVERY_NONCE_BYTES) throw notAChallenge()
    for (let i = 0; i < PREFIX.length; i++) {
      if (plain[i] !== PREFIX[i]) throw notAChallenge()
    }
    return plain.slice(PREFIX.length)
  } finally {
    // Whatever it was, its plaintext does not outlive this call.
    plain.fill(0)
  }
}

function notAChallenge(): CryptoError {
  return new CryptoError(
    "BAD_CHALLENGE",
    "the server sent something other than a recovery challenge; nothing was sent back",
  )
}
