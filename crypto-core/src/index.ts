/**
 * @sotto/crypto-core: every cryptographic format Sotto uses, specified in SPEC.md.
 * Pure TypeScript on audited libraries; no DOM and no Node APIs; works without `crypto.subtle`.
 * OpenPGP export lives at `@sotto/crypto-core/export-pgp` so openpgp stays out of small bundles.
 */

export {
  type AccountIdentity,
  type AccountKeyholders,
  type AuthenticatedKeyholders,
  createAccountIdentity,
  KEYHOLDERS_LABEL,
  openAccountIdentity,
  resealAccountIdentity,
  type SealedAccountIdentity,
  sealAccountIdentity,
} from "./accountIdentity.js"
export { accountSigner, accountSigningKey } from "./accountSigning.js"
export {
  type AddressedTo,
  type AgeIdentity,
  type AgeRecipient,
  decryptAgeFile,
  encryptArmored,
  encryptToRecipients,
  expectRecipient,
  generateAgeIdentity,
  identityFromSecret,
  isAgeRecipient,
  recipientOf,
} from "./age.js"
export { type AgeFileShape, checkAgeFileShape, isAgeFileShape } from "./ageFileShape.js"
export {
  activeChunkAead,
  type ChunkAead,
  nobleChunkAead,
  useChunkAead,
} from "./chunkAead.js"
export {
  concatBytes,
  constantTimeEqual,
  fromBase64url,
  fromUtf8,
  toBase64,
  toBase64url,
  utf8,
} from "./encoding.js"
export { CryptoError, type CryptoErrorCode, isCryptoError } from "./errors.js"
export {
  createEscrow,
  drawOneTimePassword,
  type EscrowKeyPair,
  type EscrowReset,
  openEscrowKey,
  resetWithEscrow,
  type WrappedKey,
  wrapEscrowKey,
} from "./escrow.js"
export {
  drawEscrowRequestId,
  type EscrowHolder,
  type EscrowPolicy,
  type EscrowPolicyTrust,
  type EscrowRequest,
  MAX_ESCROW_REQUEST_MS,
  signEscrowPolicy,
  signEscrowRequest,
  verifyEscrowPolicy,
  verifyEscrowRequest,
} from "./escrowPolicy.js"
export {
  combineEscrowShares,
  type EscrowShare,
  type OpenedApproval,
  openEscrowApproval,
  openEscrowShare,
  type ShareBinding,
  sealEscrowApproval,
  sealEscrowShare,
  splitEscrowKey,
} from "./escrowShares.js"
export {
  createDecryptStream,
  createEncryptStream,
  createFileSealer,
  decryptFile,
  encryptFile,
  FILE_CHUNK_SIZE,
  FILE_SEALED_CHUNK_SIZE,
  type FileOpener,
  FileSealer,
  type FileSealerState,
  type FileStreamOptions,
  findHeaderLength,
  openFileHeader,
} from "./fileStream.js"
export { FINGERPRINT_WORDS, fingerprintWords } from "./fingerprint.js"
export {
  approveIdentityRequest,
  createIdentityKey,
  type IdentityApproval,
  type IdentityContent,
  type IdentityKey,
  identityDigest,
  MAX_REASON_CHARS,
  openIdentity,
  openIdentityReason,
  sealIdentity,
  sealIdentityReason,
  unwrapIdentityKey,
  wrapIdentityKey,
} from "./identitySeal.js"
export {
  accountFingerprint,
  CERTIFICATION_LABEL,
  type CertificationBody,
  type CertifiedKeys,
  certificationKey,
  certifyFirstAdmin,
  certifyList,
  certifyUser,
  KEY_PROOF_LABEL,
  type KeyProofBody,
  type ListedUser,
  proveAccountKeys,
  type UserCertification,
  verifyUserKeys,
} from "./keyCertification.js"
export {
  createSigningKey,
  DIRECTORY_LIFETIME_DAYS,
  type DirectoryCheck,
  type DirectoryEntry,
  directoryExpiry,
  encodeDirectory,
  type KeyDirectory,
  openSigningKey,
  type SignedKeyDirectory,
  type SigningKeyPair,
  signDirectory,
  verifyDirectory,
  wrapSigningKey,
} from "./keyDirectory.js"
export {
  checkManifest,
  MANIFEST_LABEL,
  MANIFEST_PROTOCOL,
  MAX_MANIFEST_OPRF_KEYS,
  type ManifestOprf,
  type ManifestPin,
  manifestOprfKeys,
  type NodeManifest,
  type SignedNodeManifest,
  signNodeManifest,
  verifyNodeManifest,
} from "./nodeManifest.js"
export {
  blindOprfInput,
  evaluateOprf,
  finalizeOprf,
  OPRF_ELEMENT_BYTES,
  OPRF_OUTPUT_BYTES,
  OPRF_PROOF_BYTES,
  OPRF_SEED_BYTES,
  OPRF_SUITE,
  type OprfBlinding,
  type OprfEvaluation,
  type OprfKeyPair,
  oprfKeyFromSeed,
  oprfKeyId,
} from "./oprf.js"
export {
  beginOprfDerivation,
  beginPasswordOprf,
  beginReceiptOprf,
  type OprfUse,
  type PendingOprfDerivation,
} from "./oprfKdf.js"
export {
  ABSOLUTE_KDF_BOUNDS,
  authVerifier,
  checkAuthKey,
  checkKdfBounds,
  checkKdfParams,
  checkKdfWithin,
  DEFAULT_KDF_BOUNDS,
  DEFAULT_KDF_PARAMS,
  type DerivedKeys,
  derivePasswordKeys,
  drawSalt,
  fakeSalt,
  type KdfBounds,
  type KdfOptions,
  type KdfParams,
  MAX_KDF_PARAMS,
  MIN_KDF_PARAMS,
  normaliseUsername,
  SALT_BYTES,
} from "./passwordKdf.js"
export {
  checkPow,
  checkPowBounds,
  type PowBounds,
  type PowChallenge,
  type PowOptions,
  type PowSearchOptions,
  powBinding,
  solvePow,
  solvePowBlocking,
  verifyPow,
} from "./pow.js"
export {
  DEFAULT_RECEIPT_KDF_PARAMS,
  DEFAULT_RECEIPT_PATTERN,
  deriveReceiptKeys,
  drawReceipt,
  MIN_RECEIPT_BITS,
  normaliseReceipt,
  parseReceiptPattern,
  type ReceiptPattern,
  receiptSigningKey,
  receiptStrength,
} from "./receipt.js"
export {
  openRecoveryChallenge,
  RECOVERY_CHALLENGE_LABEL,
  RECOVERY_NONCE_BYTES,
  sealRecoveryChallenge,
} from "./recoveryChallenge.js"
export {
  drawRecoveryKey,
  formatRecoveryKey,
  parseRecoveryKey,
  type RecoveryKey,
} from "./recoveryKey.js"
export {
  activeScrypt,
  nobleScrypt,
  type ScryptImpl,
  type ScryptOptions,
  useScrypt,
} from "./scrypt.js"
export {
  encodeStatement,
  type SignedStatement,
  signerOf,
  signStatement,
  verifyStatement,
} from "./signedStatement.js"
export {
  createTipIdentity,
  type Json,
  openTipPart,
  sealTipPart,
  type TipIdentity,
  type TipPartKind,
  unwrapTipKey,
  unwrapTipKeyFrom,
  wrapTipKey,
} from "./tip.js"
export {
  buildTipArchive,
  exportTipAge,
  readTipArchive,
  type TipBundle,
  type TipBundleFile,
} from "./tipArchive.js"
export {
  type AnswersBody,
  bindingHash,
  type OpenedAnswers,
  openAnswers,
  type QuestionSnapshot,
  questionnaireHash,
  sealAnswers,
  TIP_BINDING_LABEL,
  type TipBinding,
} from "./tipBinding.js"
export { type CheckedTip, readTip, type SealedTipRead, type TipReaderTrust } from "./tipReader.js"
export {
  authorSigningKey,
  entryHash,
  openTranscriptEntry,
  sealTranscriptEntry,
  TRANSCRIPT_ENTRY_LABEL,
  type TranscriptAuthor,
  type TranscriptEntry,
  type TranscriptHead,
  type TranscriptKind,
} from "./tipTranscript.js"
export {
  type CheckedEntry,
  type CheckedTranscript,
  type DeliveredEntry,
  type TranscriptProblem,
  type TranscriptProblemCode,
  type TranscriptTrust,
  verifyTranscript,
} from "./tipTranscriptCheck.js"
