import { openLabeled, type Sealed, sealLabeled } from "./_labeledSecret.js"
import { expectInteger } from "./_validate.js"
import { drawWords } from "./_words.js"
import {
  type AccountIdentity,
  createAccountIdentity,
  resealAccountIdentity,
  type SealedAccountIdentity,
} from "./accountIdentity.js"
import {
  type AgeIdentity,
  type AgeRecipient,
  expectRecipient,
  recipientOf,
  secretFromIdentity,
} from "./age.js"
import {
  authVerifier,
  type DerivedKeys,
  derivePasswordKeys,
  drawSalt,
  type KdfParams,
} from "./passwordKdf.js"

const LABEL = "sotto/v1/escrow-key"

/** The node escrow key pair, made in the first admin's browser at setup. */
export type EscrowKeyPair = AccountIdentity

/** A secret wrapped to exactly one recipient (an armored age file). */
export type WrappedKey = Sealed

/** Draws the node escrow key pair. Its recipient goes into every account's keyholders. */
export function createEscrow(): Promise<EscrowKeyPair> {
  return createAccountIdentity()
}

/**
 * Wraps the escrow identity to one admin's account recipient; the relay keeps one wrap per admin.
 * @throws CryptoError `BAD_INPUT` on a malformed identity or recipient.
 */
export function wrapEscrowKey(escrow: AgeIdentity, admin: AgeRecipient): Promise<WrappedKey> {
  secretFromIdentity("escrow", escrow)
  return sealLabeled(LABEL, escrow, [expectRecipient("admin", admin)])
}

/**
 * Opens an admin's escrow wrap with that admin's account identity.
 * @throws CryptoError `WRONG_KEY` for another admin's identity, `TAMPERED` when modified.
 */
export async function openEscrowKey(wrap: WrappedKey, admin: AgeIdentity): Promise<AgeIdentity> {
  const escrow = await openLabeled(LABEL, wrap, admin)
  secretFromIdentity("escrow", escrow)
  return escrow
}

/** What an escrow reset sends to the relay, plus the one-time password to hand to the user. */
export interface EscrowReset {
  /** Give this to the user out of band; they must change it at next login. */
  readonly oneTimePassword: string
  readonly salt: Uint8Array
  readonly params: KdfParams
  /** The relay stores this in place of the old verifier. */
  readonly authVerifier: Uint8Array
  readonly sealed: SealedAccountIdentity
}

/**
 * The admin-side reset, run in the admin's browser: opens the user's identity with the escrow
 * identity and re-seals it to a fresh one-time password. Recovery and escrow keyholders are kept,
 * so the user's recovery key still works afterwards. `derive` turns the one-time password into
 * keys: the v1 derivation by default, the OPRF one (SPEC §16) on a node whose manifest lists OPRF
 * keys (e.g. `beginPasswordOprf` then the relay's evaluation).
 * @throws CryptoError `WRONG_KEY` when the account was not sealed to this escrow key, `TAMPERED`,
 * and whatever `derive` throws (`KEY_MISMATCH`, `BAD_PROOF`).
 */
export async function resetWithEscrow(
  sealed: SealedAccountIdentity,
  escrow: AgeIdentity,
  params: KdfParams,
  derive: (
    oneTimePassword: string,
    salt: Uint8Array,
    params: KdfParams,
  ) => Promise<DerivedKeys> = derivePasswordKeys,
): Promise<EscrowReset> {
  const oneTimePassword = drawOneTimePassword()
  const salt = drawSalt()
  const keys = await derive(oneTimePassword, salt, params)
  // The escrow recipient is the key that opened it, not whatever the relay's record names.
  const resealed = await resealAccountIdentity(
    sealed,
    escrow,
    keys.recipient,
    await recipientOf(escrow),
  )
  return {
    oneTimePassword,
    salt,
    params,
    authVerifier: authVerifier(keys.authKey),
    sealed: resealed,
  }
}

/**
 * Draws a one-time password of `words` words (default 6, 66 bits) from the BIP-39 English list,
 * joined by dashes: easy to read out over the phone.
 */
export function drawOneTimePassword(words = 6): string {
  expectInteger("words", words, 5, 24)
  return drawWords(words).join("-")
}
