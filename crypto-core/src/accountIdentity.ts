import { openLabeled, sealLabeled } from "./_labeledSecret.js"
import { accountSigner, accountSigningKey } from "./accountSigning.js"
import {
  type AgeIdentity,
  type AgeRecipient,
  expectRecipient,
  generateAgeIdentity,
  recipientOf,
} from "./age.js"
import { CryptoError } from "./errors.js"
import { type SignedStatement, signStatement, verifyStatement } from "./signedStatement.js"

const LABEL = "sotto/v1/account-identity"
/** Label of the keyholder statement signed by the account signing key (SPEC §14). */
export const KEYHOLDERS_LABEL = "sotto/v2/account-keyholders"

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
 * The keyholder list as the account itself signed it (with `accountSigningKey(identity)`): a
 * relay cannot add a holder without the identity, and re-sealing uses only these holders.
 */
export interface AuthenticatedKeyholders {
  /** The account's own public key. */
  readonly account: AgeRecipient
  readonly password: AgeRecipient
  readonly recovery: AgeRecipient
  readonly escrow: AgeRecipient | null
}

/**
 * The account identity as the relay stores it: an armored age file addressed to the keyholders.
 * Everything in it except `age` is public.
 */
export interface SealedAccountIdentity {
  readonly v: 2
  /** The account's public key; checked against the identity after opening. */
  readonly recipient: AgeRecipient
  readonly to: AccountKeyholders
  /** `to` signed by the account signing key; checked after opening. */
  readonly holders: SignedStatement<AuthenticatedKeyholders>
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
  const recipient = expectRecipient("account.recipient", account.recipient)
  const sealed = await sealLabeled(LABEL, account.identity, keyholderList(to))
  const holders = signStatement<AuthenticatedKeyholders>(
    KEYHOLDERS_LABEL,
    { account: recipient, password: to.password, recovery: to.recovery, escrow: to.escrow ?? null },
    accountSigningKey(account.identity),
  )
  return { v: 2, recipient, to, holders, age: sealed.age }
}

/**
 * Opens a sealed account identity with any one keyholder identity: the password identity, the
 * recovery key or the escrow identity; then checks the keyholder statement under the signing key
 * derived from the opened identity.
 * @throws CryptoError `WRONG_KEY` when `key` is none of the keyholders, `TAMPERED` when the record
 * was modified (a swapped public key, a keyholder list the account did not sign).
 */
export async function openAccountIdentity(
  sealed: SealedAccountIdentity,
  key: AgeIdentity,
): Promise<AccountIdentity> {
  return (await openWithHolders(sealed, key)).account
}

async function openWithHolders(
  sealed: SealedAccountIdentity,
  key: AgeIdentity,
): Promise<{ account: AccountIdentity; holders: AuthenticatedKeyholders }> {
  if (typeof sealed !== "object" || sealed === null || sealed.v !== 2) {
    throw new CryptoError("BAD_INPUT", `"sealed.v" expected 2`)
  }
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
  let holders: AuthenticatedKeyholders
  try {
    holders = verifyStatement(KEYHOLDERS_LABEL, sealed.holders, accountSigner(identity))
  } catch (cause) {
    throw new CryptoError("TAMPERED", "the account did not sign this keyholder list", { cause })
  }
  const to = sealed.to
  if (
    holders.account !== recipient ||
    holders.password !== to.password ||
    holders.recovery !== to.recovery ||
    holders.escrow !== (to.escrow ?? null)
  ) {
    throw new CryptoError("TAMPERED", "the keyholders differ from those the account signed")
  }
  return { account: { identity, recipient }, holders }
}

/**
 * Re-seals the account identity to a new password recipient, the recovery recipient the account
 * signed, and `escrow`, which the caller takes from the pinned node manifest (null without
 * escrow), never from the relay's record. `key` is whatever opened it: the old password
 * (password change), the recovery key (forgotten password) or the escrow identity (admin reset).
 * @throws CryptoError as {@link openAccountIdentity}.
 */
export async function resealAccountIdentity(
  sealed: SealedAccountIdentity,
  key: AgeIdentity,
  newPassword: AgeRecipient,
  escrow: AgeRecipient | null,
): Promise<SealedAccountIdentity> {
  const { account, holders } = await openWithHolders(sealed, key)
  return sealAccountIdentity(account, {
    password: newPassword,
    recovery: holders.recovery,
    ...(escrow === null ? {} : { escrow }),
  })
}

function keyholderList(to: AccountKeyholders): AgeRecipient[] {
  if (typeof to !== "object" || to === null) {
    throw new CryptoError("BAD_INPUT", `"sealed.to" expected an object`)
  }
  return to.escrow === undefined
    ? [to.password, to.recovery]
    : [to.password, to.recovery, to.escrow]
}
