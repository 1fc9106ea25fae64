import { openLabeled, sealLabeled } from "./_labeledSecret.js"
import {
  type AgeIdentity,
  type AgeRecipient,
  expectRecipient,
  generateAgeIdentity,
  recipientOf,
} from "./age.js"
import { CryptoError } from "./errors.js"

const LABEL = "sotto/v1/account-identity"

/** A user's long-term X25519 identity and its public half (listed in key directories). */
export interface AccountIdentity {
  readonly identity: AgeIdentity
  readonly recipient: AgeRecipient
}

/** Who can open a sealed account identity. */
export interface AccountKeyholders {
  /** The recipient derived from the user's password (see `derivePasswordKeys`). */
  readonly password: AgeRecipient
  /** The public half of the user's recovery key. */
  readonly recovery: AgeRecipient
  /** The node's escrow recipient, absent when the node runs without escrow. */
  readonly escrow?: AgeRecipient
}

/**
 * The account identity as the relay stores it: an armored age file addressed to the keyholders.
 * Everything in it except `age` is public.
 */
export interface SealedAccountIdentity {
  readonly v: 1
  /** The account's public key; checked against the identity after opening. */
  readonly recipient: AgeRecipient
  readonly to: AccountKeyholders
  readonly age: string
}

/** Draws a new account identity. */
export async function createAccountIdentity(): Promise<AccountIdentity> {
  const identity = generateAgeIdentity()
  return { identity, recipient: await recipientOf(identity) }
}

/**
 * Seals `account.identity` to the password, recovery and (optional) escrow recipients.
 * @throws CryptoError `BAD_INPUT` when a recipient is malformed.
 */
export async function sealAccountIdentity(
  account: AccountIdentity,
  keyholders: AccountKeyholders,
): Promise<SealedAccountIdentity> {
  const to: AccountKeyholders = {
    password: expectRecipient("keyholders.password", keyholders.password),
    recovery: expectRecipient("keyholders.recovery", keyholders.recovery),
    ...(keyholders.escrow === undefined
      ? {}
      : { escrow: expectRecipient("keyholders.escrow", keyholders.escrow) }),
  }
  const sealed = await sealLabeled(LABEL, account.identity, keyholderList(to))
  return {
    v: 1,
    recipient: expectRecipient("account.recipient", account.recipient),
    to,
    age: sealed.age,
  }
}

/**
 * Opens a sealed account identity with any one keyholder identity: the password identity, the
 * recovery key or the escrow identity.
 * @throws CryptoError `WRONG_KEY` when `key` is none of the keyholders, `TAMPERED` when the record
 * was modified (including a swapped public key).
 */
export async function openAccountIdentity(
  sealed: SealedAccountIdentity,
  key: AgeIdentity,
): Promise<AccountIdentity> {
  const identity = await openLabeled(
    LABEL,
    { v: 1, to: keyholderList(sealed.to), age: sealed.age },
    key,
  )
  let recipient: AgeRecipient
  try {
    recipient = await recipientOf(identity)
  } catch (cause) {
    throw new CryptoError("TAMPERED", "the sealed account identity holds no valid key", { cause })
  }
  if (recipient !== sealed.recipient) {
    throw new CryptoError("TAMPERED", "the sealed identity does not match the account's public key")
  }
  return { identity, recipient }
}

/**
 * Re-seals the account identity to a new password recipient, keeping the recovery and escrow
 * keyholders. `key` is whatever opened it: the old password (password change), the recovery key
 * (forgotten password) or the escrow identity (admin reset). Only this small file changes.
 * @throws CryptoError as {@link openAccountIdentity}.
 */
export async function resealAccountIdentity(
  sealed: SealedAccountIdentity,
  key: AgeIdentity,
  newPassword: AgeRecipient,
): Promise<SealedAccountIdentity> {
  const account = await openAccountIdentity(sealed, key)
  return sealAccountIdentity(account, { ...sealed.to, password: newPassword })
}

function keyholderList(to: AccountKeyholders): AgeRecipient[] {
  if (typeof to !== "object" || to === null) {
    throw new CryptoError("BAD_INPUT", `"sealed.to" expected an object`)
  }
  return to.escrow === undefined
    ? [to.password, to.recovery]
    : [to.password, to.recovery, to.escrow]
}
