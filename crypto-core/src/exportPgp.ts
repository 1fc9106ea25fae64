import { createMessage, encrypt, readKey } from "openpgp"
import { expectString } from "./_validate.js"
import { CryptoError } from "./errors.js"
import { buildTipArchive, type TipBundle } from "./tipArchive.js"

export type { TipBundle } from "./tipArchive.js"

/**
 * Exports a tip as an ASCII-armored OpenPGP message (openpgp.js) to a public key the user supplied,
 * readable with `gpg --decrypt export.asc > tip.zip`. A separate entry point
 * (`@sotto/crypto-core/export-pgp`) so openpgp never reaches the whistleblower's bundle.
 * @throws CryptoError `BAD_INPUT` when the key cannot be read or cannot encrypt.
 */
export async function exportTipPgp(bundle: TipBundle, armoredPublicKey: string): Promise<string> {
  const armored = expectString("armoredPublicKey", armoredPublicKey, 1 << 20)
  let key: Awaited<ReturnType<typeof readKey>>
  try {
    key = await readKey({ armoredKey: armored })
  } catch (cause) {
    throw new CryptoError("BAD_INPUT", `"armoredPublicKey" is not an OpenPGP public key`, { cause })
  }
  if (key.isPrivate()) {
    throw new CryptoError("BAD_INPUT", `"armoredPublicKey" is a private key; give the public key`)
  }
  try {
    const message = await createMessage({
      binary: buildTipArchive(bundle),
      filename: "tip.zip",
      format: "binary",
    })
    return await encrypt({ message, encryptionKeys: key, format: "armored" })
  } catch (cause) {
    throw new CryptoError("BAD_INPUT", "this OpenPGP key cannot be used to encrypt", { cause })
  }
}
