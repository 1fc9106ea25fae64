/**
 * The account worker: a staff member's long-term keys. Opening, sealing and re-sealing the
 * account identity, recovery keys, the node escrow key (including the admin-side reset, which
 * runs scrypt) and the node signing key. The whistleblower's app never loads it.
 */
import {
  type AccountIdentity,
  type AccountKeyholders,
  type AgeIdentity,
  type AgeRecipient,
  accountFingerprint,
  type CertificationBody,
  type CertifiedKeys,
  certifyFirstAdmin,
  certifyList,
  certifyUser,
  checkKdfWithin,
  createAccountIdentity,
  createEscrow,
  createSigningKey,
  DEFAULT_KDF_BOUNDS,
  DEFAULT_KDF_PARAMS,
  DEFAULT_RECEIPT_KDF_PARAMS,
  DEFAULT_RECEIPT_PATTERN,
  derivePasswordKeys,
  drawOneTimePassword,
  drawRecoveryKey,
  type EscrowKeyPair,
  type EscrowReset,
  formatRecoveryKey,
  type KdfBounds,
  type KdfParams,
  type KeyDirectory,
  type KeyProofBody,
  type ListedUser,
  type ManifestPin,
  type NodeManifest,
  openAccountIdentity,
  openEscrowKey,
  openRecoveryChallenge,
  openSigningKey,
  parseRecoveryKey,
  proveAccountKeys,
  type RecoveryKey,
  recipientOf,
  resealAccountIdentity,
  resetWithEscrow,
  type SealedAccountIdentity,
  type SignedKeyDirectory,
  type SignedNodeManifest,
  type SignedStatement,
  type SigningKeyPair,
  sealAccountIdentity,
  signDirectory,
  signNodeManifest,
  toBase64url,
  verifyNodeManifest,
  type WrappedKey,
  wrapEscrowKey,
  wrapSigningKey,
} from "@sotto/crypto-core"
import { escrowQuorumSteps } from "./escrowQuorumSteps.js"
import { exposeApi } from "./workerRuntime.js"

/**
 * What the account worker exposes: crypto-core's account, recovery, escrow and signing-key
 * functions with the same names, arguments and errors (SPEC §3, §4, §8), run off the UI thread.
 */
export const accountApi = {
  // k-of-n escrow (SPEC §4.1): split, request, approve, reset from approvals.
  ...escrowQuorumSteps,

  /**
   * crypto-core's defaults for new accounts and a new node: password scrypt params, receipt
   * scrypt params and receipt pattern (SPEC §1, §5), so the UI thread never imports crypto-core.
   */
  defaults(): {
    password: KdfParams
    passwordBounds: KdfBounds
    receipt: KdfParams
    receiptPattern: string
  } {
    return {
      password: { ...DEFAULT_KDF_PARAMS },
      passwordBounds: {
        floor: { ...DEFAULT_KDF_BOUNDS.floor },
        ceiling: { ...DEFAULT_KDF_BOUNDS.ceiling },
      },
      receipt: { ...DEFAULT_RECEIPT_KDF_PARAMS },
      receiptPattern: DEFAULT_RECEIPT_PATTERN,
    }
  },

  /** Draws a new account identity. */
  createAccountIdentity(): Promise<AccountIdentity> {
    return createAccountIdentity()
  },

  /** Seals the identity to its keyholders. @throws CryptoError `BAD_INPUT`. */
  sealAccountIdentity(
    account: AccountIdentity,
    keyholders: AccountKeyholders,
  ): Promise<SealedAccountIdentity> {
    return sealAccountIdentity(account, keyholders)
  },

  /**
   * Opens a sealed identity with the password identity, the recovery key or the escrow identity.
   * @throws CryptoError `WRONG_KEY` for any other key, `TAMPERED` when modified.
   */
  openAccountIdentity(sealed: SealedAccountIdentity, key: AgeIdentity): Promise<AccountIdentity> {
    return openAccountIdentity(sealed, key)
  },

  /**
   * Re-seals to a new password recipient (password change, forgotten password), the recovery
   * recipient the account signed and `escrow` from the pinned node manifest (null without).
   * @throws CryptoError as {@link accountApi.openAccountIdentity}.
   */
  resealAccountIdentity(
    sealed: SealedAccountIdentity,
    key: AgeIdentity,
    newPassword: AgeRecipient,
    escrow: AgeRecipient | null,
  ): Promise<SealedAccountIdentity> {
    return resealAccountIdentity(sealed, key, newPassword, escrow)
  },

  /**
   * Checks KDF params the relay answered against the manifest's bounds, before any derivation.
   * @throws CryptoError `WEAK_PARAMS` below the floor, `COSTLY_PARAMS` above the ceiling.
   */
  checkKdfWithin(params: KdfParams, bounds: KdfBounds): KdfParams {
    return checkKdfWithin(params, bounds)
  },

  /**
   * Verifies the node manifest against the pin (undefined on first use).
   * @throws CryptoError `KEY_MISMATCH`, `BAD_SIGNATURE`, `STALE`, `BAD_INPUT`.
   */
  verifyNodeManifest(
    signed: SignedNodeManifest,
    pin: ManifestPin | undefined,
  ): { readonly manifest: NodeManifest; readonly pin: ManifestPin } {
    return verifyNodeManifest(signed, pin)
  },

  /**
   * Signs a node manifest with the node signing key (setup: version 1; console: version + 1).
   * @throws CryptoError `BAD_INPUT`.
   */
  signNodeManifest(
    fields: Omit<NodeManifest, "v" | "protocol" | "directorySigner">,
    key: SigningKeyPair,
  ): SignedNodeManifest {
    return signNodeManifest(fields, key)
  },

  /** The public half of any identity (e.g. a recovery key, to list it as a keyholder). */
  recipientOf(identity: AgeIdentity): Promise<AgeRecipient> {
    return recipientOf(identity)
  },

  /** Draws a recovery key; show it once. */
  drawRecoveryKey(): RecoveryKey {
    return drawRecoveryKey()
  },

  /** The grouped form of a recovery key. @throws CryptoError `BAD_INPUT`. */
  formatRecoveryKey(key: RecoveryKey): string {
    return formatRecoveryKey(key)
  },

  /** Reads a typed recovery key. @throws CryptoError `BAD_RECOVERY_KEY` saying what to fix. */
  parseRecoveryKey(text: string): RecoveryKey {
    return parseRecoveryKey(text)
  },

  /**
   * Opens a recovery-key login challenge (an armored age file the relay sealed to the account's
   * recovery recipient) with the recovery key; returns the nonce, base64url, to send back. The
   * plaintext must be the fixed challenge format (SPEC §3): any other file addressed to the
   * recovery key (the sealed identity, say) is refused here and nothing of it leaves the worker.
   * @throws CryptoError `BAD_CHALLENGE` when it is not a challenge, `WRONG_KEY` when the key does
   *   not open it, `TAMPERED`, `BAD_INPUT`.
   */
  async answerRecoveryChallenge(sealed: string, key: RecoveryKey): Promise<string> {
    return toBase64url(await openRecoveryChallenge(sealed, key))
  },

  /**
   * The admin's statement of a new user's one-time password key (SPEC §12), signed with the
   * admin's account signing key. `passwordIdentity` is the one-time password's derived identity.
   */
  certifyUser(
    username: string,
    passwordIdentity: AgeIdentity,
    adminIdentity: AgeIdentity,
    now: number,
  ): SignedStatement<CertificationBody> {
    return certifyUser(username, passwordIdentity, adminIdentity, now)
  },

  /**
   * Certifies a one-time password drawn elsewhere (the escrow reset's): derives its password
   * identity with the same salt and params (scrypt again) and signs as {@link accountApi.certifyUser}.
   * @throws CryptoError `WEAK_PARAMS`, `BAD_INPUT`.
   */
  async certifyOneTimePassword(
    username: string,
    oneTimePassword: string,
    kdf: { readonly salt: Uint8Array; readonly params: KdfParams },
    adminIdentity: AgeIdentity,
    now: number,
  ): Promise<SignedStatement<CertificationBody>> {
    const keys = await derivePasswordKeys(oneTimePassword, kdf.salt, kdf.params)
    return certifyUser(username, keys.identity, adminIdentity, now)
  },

  /**
   * The setup wizard's certification of the first admin, signed with the node key, and the
   * admin's proof of their keys (crypto-core `certifyFirstAdmin`, `proveAccountKeys`).
   */
  certifyFirstAdmin(
    admin: { readonly userId: string; readonly username: string },
    passwordIdentity: AgeIdentity,
    account: AccountIdentity,
    nodeKey: SigningKeyPair,
    now: number,
  ): {
    certification: SignedStatement<CertificationBody>
    keyProof: SignedStatement<KeyProofBody>
  } {
    return {
      certification: certifyFirstAdmin(admin.username, passwordIdentity, nodeKey, now),
      keyProof: proveAccountKeys(admin.userId, passwordIdentity, account),
    }
  },

  /** The user's first-login proof of their new account keys, made with the one-time password. */
  proveAccountKeys(
    userId: string,
    passwordIdentity: AgeIdentity,
    account: AccountIdentity,
  ): SignedStatement<KeyProofBody> {
    return proveAccountKeys(userId, passwordIdentity, account)
  },

  /**
   * Which listed users an admin may sign or seal to (crypto-core `certifyList`), with their
   * fingerprints; the relay's list is trusted for nothing.
   */
  certifyList(
    users: readonly ListedUser[],
    self: { readonly userId: string; readonly identity: AgeIdentity },
    roots: readonly string[] = [],
  ): Promise<Map<string, CertifiedKeys>> {
    return certifyList(users, self, roots)
  },

  /** The fingerprint words of an account's public key. @throws CryptoError `BAD_INPUT`. */
  accountFingerprint(recipient: AgeRecipient): string[] {
    return accountFingerprint(recipient)
  },

  /** Draws the node escrow key pair (first admin, at setup). */
  createEscrow(): Promise<EscrowKeyPair> {
    return createEscrow()
  },

  /** Wraps the escrow identity to one admin. @throws CryptoError `BAD_INPUT`. */
  wrapEscrowKey(escrow: AgeIdentity, admin: AgeRecipient): Promise<WrappedKey> {
    return wrapEscrowKey(escrow, admin)
  },

  /** Opens an admin's escrow wrap. @throws CryptoError `WRONG_KEY`, `TAMPERED`. */
  openEscrowKey(wrap: WrappedKey, admin: AgeIdentity): Promise<AgeIdentity> {
    return openEscrowKey(wrap, admin)
  },

  /**
   * The admin-side escrow reset (SPEC §4), scrypt included: a fresh one-time password, salt,
   * verifier and re-sealed identity. @throws CryptoError `WRONG_KEY`, `TAMPERED`, `WEAK_PARAMS`.
   */
  resetWithEscrow(
    sealed: SealedAccountIdentity,
    escrow: AgeIdentity,
    params: KdfParams,
  ): Promise<EscrowReset> {
    return resetWithEscrow(sealed, escrow, params)
  },

  /** A one-time password of BIP-39 words joined by dashes. @throws CryptoError `BAD_INPUT`. */
  drawOneTimePassword(words?: number): string {
    return drawOneTimePassword(words)
  },

  /** Draws the node signing key pair (first admin, at setup). */
  createSigningKey(): SigningKeyPair {
    return createSigningKey()
  },

  /** Wraps the signing key's seed to one admin. @throws CryptoError `BAD_INPUT`. */
  wrapSigningKey(key: SigningKeyPair, admin: AgeRecipient): Promise<WrappedKey> {
    return wrapSigningKey(key, admin)
  },

  /** Opens an admin's signing key wrap. @throws CryptoError `WRONG_KEY`, `TAMPERED`. */
  openSigningKey(wrap: WrappedKey, admin: AgeIdentity): Promise<SigningKeyPair> {
    return openSigningKey(wrap, admin)
  },

  /** Signs a context's key directory (entries sorted by id). @throws CryptoError `BAD_INPUT`. */
  signDirectory(directory: KeyDirectory, key: SigningKeyPair): SignedKeyDirectory {
    return signDirectory(directory, key)
  },
}

/** The account worker's API; the main thread holds a `Remote<AccountApi>`. */
export type AccountApi = typeof accountApi

void exposeApi(accountApi)
