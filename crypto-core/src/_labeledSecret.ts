import { expectString } from "./_validate.js"
import {
  type AgeIdentity,
  type AgeRecipient,
  decryptAddressed,
  encryptArmored,
  expectRecipient,
} from "./age.js"
import { fromUtf8, utf8 } from "./encoding.js"
import { CryptoError } from "./errors.js"

/**
 * A small secret sealed to one or more named recipients as an armored age file whose plaintext
 * starts with a versioned label line, so a sealed object of one kind can never be accepted
 * where another kind is expected.
 */
export interface Sealed {
  /** Format version of this record. */
  readonly v: 1
  /** The recipients the age file was encrypted to, in stanza order. */
  readonly to: readonly AgeRecipient[]
  /** The armored age v1 file. */
  readonly age: string
}

export async function sealLabeled(
  label: string,
  secret: string,
  recipients: readonly AgeRecipient[],
): Promise<Sealed> {
  const to = recipients.map((r, i) => expectRecipient(`recipients[${i}]`, r))
  const age = await encryptArmored(to, utf8(`${label}\n${secret}`))
  return { v: 1, to, age }
}

export async function openLabeled(
  label: string,
  sealed: Sealed,
  identity: AgeIdentity,
): Promise<string> {
  const record = checkSealedShape(sealed)
  const text = fromUtf8(await decryptAddressed(record.age, identity, record.to))
  const prefix = `${label}\n`
  if (!text.startsWith(prefix)) {
    throw new CryptoError("TAMPERED", `expected a ${label} object, got another kind`)
  }
  return text.slice(prefix.length)
}

function checkSealedShape(sealed: unknown): Sealed {
  if (typeof sealed !== "object" || sealed === null) {
    throw new CryptoError("BAD_INPUT", `"sealed" expected an object`)
  }
  const { v, to, age } = sealed as Record<string, unknown>
  if (v !== 1) throw new CryptoError("BAD_INPUT", `"sealed.v" expected 1`)
  if (!Array.isArray(to) || to.length === 0 || to.some((r) => typeof r !== "string")) {
    throw new CryptoError("BAD_INPUT", `"sealed.to" expected a non-empty array of recipients`)
  }
  return { v, to, age: expectString("sealed.age", age) }
}
