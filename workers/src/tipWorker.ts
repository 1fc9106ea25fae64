/**
 * The tip worker: everything about one tip except its files. Drawing the tip identity, sealing
 * and opening its parts (answers, comments, file metadata), wrapping the tip key to each reader,
 * and verifying the signed key directory those readers come from. Both the whistleblower's and
 * the recipients' apps load it.
 */
import {
  type AgeIdentity,
  type AgeRecipient,
  accountSigner,
  approveIdentityRequest,
  type CheckedTip,
  createIdentityKey,
  createTipIdentity,
  type DirectoryCheck,
  exportTipAge,
  fingerprintWords,
  fromBase64url,
  type IdentityApproval,
  type IdentityContent,
  type IdentityKey,
  type Json,
  type KeyDirectory,
  type ManifestPin,
  type NodeManifest,
  openIdentity,
  openIdentityReason,
  openTipPart,
  type QuestionSnapshot,
  readTip,
  receiptSigningKey,
  type SealedTipRead,
  type SignedKeyDirectory,
  type SignedNodeManifest,
  sealAnswers,
  sealIdentity,
  sealIdentityReason,
  sealTipPart,
  sealTranscriptEntry,
  signerOf,
  type TipBundle,
  type TipIdentity,
  type TipPartKind,
  type TipReaderTrust,
  type TranscriptAuthor,
  type TranscriptHead,
  type TranscriptKind,
  unwrapIdentityKey,
  unwrapTipKey,
  unwrapTipKeyFrom,
  verifyDirectory,
  verifyNodeManifest,
  type WrappedKey,
  wrapIdentityKey,
  wrapTipKey,
} from "@sotto/crypto-core"
import { transfer } from "comlink"
import { exposeApi } from "./workerRuntime.js"

/**
 * What the tip worker exposes: crypto-core's tip and key-directory functions with the same
 * names, arguments and errors (SPEC §6, §8), plus {@link tipApi.wrapTipKeyFor} for the common
 * "wrap to every reader" step.
 */
export const tipApi = {
  /** Draws a new tip identity (whistleblower, at submission). */
  createTipIdentity(): Promise<TipIdentity> {
    return createTipIdentity()
  },

  /**
   * Seals a JSON value as a tip part of `kind`, addressed to the tip recipient.
   * @throws CryptoError `BAD_INPUT` on a bad recipient, kind or value.
   */
  sealTipPart(tip: AgeRecipient, kind: TipPartKind, body: Json): Promise<string> {
    return sealTipPart(tip, kind, body)
  },

  /** Opens a tip part of the expected kind. @throws CryptoError `TAMPERED`. */
  openTipPart(part: string, tip: TipIdentity, kind: TipPartKind): Promise<Json> {
    return openTipPart(part, tip, kind)
  },

  /**
   * Seals the answers with the questionnaire snapshot and the tip binding signed by the key
   * derived from the receipt identity (SPEC §6.1).
   * @returns the armored answers and the head the first comment or file chains to.
   * @throws CryptoError `BAD_INPUT`.
   */
  sealAnswers(request: {
    readonly tip: AgeRecipient
    readonly receiptIdentity: AgeIdentity
    readonly context: string
    readonly questions: readonly QuestionSnapshot[]
    readonly answers: { readonly [id: string]: Json }
  }): Promise<{ readonly sealed: string; readonly head: TranscriptHead }> {
    return sealAnswers(request)
  },

  /**
   * Seals the next transcript entry (a comment or a file record), signed with the author's key
   * derived from `identity` (account identity for staff, receipt identity for the whistleblower).
   * @throws CryptoError `BAD_INPUT`.
   */
  sealTranscriptEntry(request: {
    readonly tip: AgeRecipient
    readonly head: TranscriptHead
    readonly author: TranscriptAuthor
    readonly identity: AgeIdentity
    readonly kind: TranscriptKind
    readonly content: Json
  }): Promise<{ readonly sealed: string; readonly head: TranscriptHead }> {
    return sealTranscriptEntry(request)
  },

  /**
   * Opens and checks a whole tip: binding, questionnaire snapshot, transcript (SPEC §6.1–6.2).
   * @throws CryptoError `KEY_MISMATCH`, `BAD_SIGNATURE`, `TAMPERED` when the binding fails.
   */
  readTip(tip: TipIdentity, sealed: SealedTipRead, trust: TipReaderTrust): Promise<CheckedTip> {
    return readTip(tip, sealed, trust)
  },

  /** The whistleblower's signing public key, re-derived from the receipt identity. */
  receiptSigner(receiptIdentity: AgeIdentity): string {
    return signerOf(receiptSigningKey(receiptIdentity))
  },

  /** A staff account's signing public key (for its directory entry). */
  accountSigner(identity: AgeIdentity): string {
    return accountSigner(identity)
  },

  /** Wraps the tip key to one reader (grant). @throws CryptoError `BAD_INPUT`. */
  wrapTipKey(tip: TipIdentity, reader: AgeRecipient): Promise<WrappedKey> {
    return wrapTipKey(tip, reader)
  },

  /**
   * Wraps the tip key to each reader, in order: the recipients of a verified directory and the
   * whistleblower's receipt recipient. @throws CryptoError `BAD_INPUT`.
   */
  wrapTipKeyFor(tip: TipIdentity, readers: readonly AgeRecipient[]): Promise<WrappedKey[]> {
    return Promise.all(readers.map((reader) => wrapTipKey(tip, reader)))
  },

  /** Opens one wrap. @throws CryptoError `WRONG_KEY` (not this reader's), `TAMPERED`. */
  unwrapTipKey(wrap: WrappedKey, reader: AgeIdentity): Promise<TipIdentity> {
    return unwrapTipKey(wrap, reader)
  },

  /**
   * Picks the reader's own wrap among a tip's wraps and opens it.
   * @throws CryptoError `WRONG_KEY` when none is addressed to the reader (no access or revoked).
   */
  unwrapTipKeyFrom(wraps: readonly WrappedKey[], reader: AgeIdentity): Promise<TipIdentity> {
    return unwrapTipKeyFrom(wraps, reader)
  },

  /**
   * Verifies a signed directory against the pinned node key (`undefined` on first use), its
   * expiry and the highest version seen (`check.seenVersion`).
   * @returns the directory and the pin to keep.
   * @throws CryptoError `KEY_MISMATCH`, `BAD_SIGNATURE`, `EXPIRED`, `STALE`, `BAD_INPUT`.
   */
  verifyDirectory(
    signed: SignedKeyDirectory,
    pinned: string | undefined,
    check: DirectoryCheck = {},
  ): { readonly directory: KeyDirectory; readonly pin: string } {
    return verifyDirectory(signed, pinned, check)
  },

  /**
   * The fingerprint of a public key (base64url) as 8 words, for people to compare (SPEC §12).
   * @throws CryptoError `BAD_INPUT`.
   */
  fingerprintWords(publicKey: string): string[] {
    return fingerprintWords(fromBase64url("publicKey", publicKey))
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

  /** Draws an identity key (whistleblower, when the form has identity fields; SPEC §6.3). */
  createIdentityKey(): Promise<IdentityKey> {
    return createIdentityKey()
  },

  /**
   * Seals the identity answers to the identity key and wraps that key to each custodian of a
   * verified directory, in order. @throws CryptoError `BAD_INPUT`.
   */
  async sealIdentityFor(request: {
    readonly tip: AgeRecipient
    readonly answers: { readonly [id: string]: Json }
    readonly labels?: { readonly [id: string]: string }
    readonly custodians: readonly AgeRecipient[]
  }): Promise<{ readonly age: string; readonly wraps: WrappedKey[] }> {
    const key = await createIdentityKey()
    const age = await sealIdentity(key.recipient, request.tip, request.answers, request.labels)
    const wraps = await Promise.all(request.custodians.map((c) => wrapIdentityKey(key, c)))
    return { age, wraps }
  },

  /**
   * Opens a tip's identity with the reader's identity-key wrap; it must belong to `tip`.
   * @throws CryptoError `WRONG_KEY`, `TAMPERED`.
   */
  async openIdentityWith(request: {
    readonly sealed: string
    readonly wrap: WrappedKey
    readonly reader: AgeIdentity
    readonly tip?: AgeRecipient
  }): Promise<IdentityContent> {
    // (answers and the labels the whistleblower saw)
    const key = await unwrapIdentityKey(request.wrap, request.reader)
    return openIdentity(request.sealed, key, request.tip === undefined ? {} : { tip: request.tip })
  },

  /** Seals a request's reason to the custodians. @throws CryptoError `BAD_INPUT`. */
  sealIdentityReason(reason: string, custodians: readonly AgeRecipient[]): Promise<WrappedKey> {
    return sealIdentityReason(reason, custodians)
  },

  /** Opens a request's reason. @throws CryptoError `WRONG_KEY`, `TAMPERED`. */
  openIdentityReason(sealed: WrappedKey, custodian: AgeIdentity): Promise<string> {
    return openIdentityReason(sealed, custodian)
  },

  /**
   * A custodian's approval: verifies the directory against the pin and wraps the identity key to
   * the requester's key from it alone (SPEC §6.3).
   * @throws CryptoError `KEY_MISMATCH`, `BAD_SIGNATURE`, `EXPIRED`, `STALE`, `NOT_CERTIFIED`,
   * `WRONG_KEY`, `TAMPERED`.
   */
  approveIdentityRequest(approval: IdentityApproval): Promise<WrappedKey> {
    return approveIdentityRequest(approval)
  },

  /**
   * Exports a decrypted tip as one binary age file (a ZIP inside) to a recipient the user gave;
   * the result comes back transferred. @throws CryptoError `BAD_INPUT` on a bad recipient.
   */
  async exportTipAge(bundle: TipBundle, recipient: AgeRecipient): Promise<Uint8Array> {
    const bytes = await exportTipAge(bundle, recipient)
    return transfer(bytes, [bytes.buffer])
  },

  /**
   * Exports a decrypted tip as an armored OpenPGP message to the armored public key the user
   * gave. openpgp is loaded only now, in this worker, so no other page ever fetches it.
   * @throws CryptoError `BAD_INPUT` when the key cannot be read or cannot encrypt.
   */
  async exportTipPgp(bundle: TipBundle, armoredPublicKey: string): Promise<string> {
    const { exportTipPgp } = await import("@sotto/crypto-core/export-pgp")
    return exportTipPgp(bundle, armoredPublicKey)
  },
}

/** The tip worker's API; the main thread holds a `Remote<TipApi>`. */
export type TipApi = typeof tipApi

void exposeApi(tipApi)
