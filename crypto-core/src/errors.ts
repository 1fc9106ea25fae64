/**
 * Every failure crypto-core reports, as a stable machine-readable code.
 * Callers (the relay, the workers, the UI) switch on the code, never on the message.
 */
export type CryptoErrorCode =
  /** An argument had the wrong type, length or shape. */
  | "BAD_INPUT"
  /** The key given does not open this object (wrong password, recovery key, receipt or identity). */
  | "WRONG_KEY"
  /** The object was addressed to the key given but does not authenticate: it was modified. */
  | "TAMPERED"
  /** KDF parameters, a receipt pattern or a PoW difficulty are weaker than Sotto allows. */
  | "WEAK_PARAMS"
  /** A receipt typed by a person does not match the node's receipt pattern. */
  | "BAD_RECEIPT_FORMAT"
  /** A recovery key typed by a person is malformed or has a typo. */
  | "BAD_RECOVERY_KEY"
  /** A signature does not verify under the expected public key. */
  | "BAD_SIGNATURE"
  /** A release manifest carries no signature by a trusted release key. */
  | "UNSIGNED"
  /** KDF parameters cost more than the node's ceiling (or crypto-core's absolute maximum). */
  | "COSTLY_PARAMS"
  /** A signed object is older than one this client has already seen (rollback). */
  | "STALE"
  /** A signed object is past its expiry. */
  | "EXPIRED"
  /** A key directory is signed by a key other than the one pinned on first use. */
  | "KEY_MISMATCH"
  /** A proof of work does not meet the difficulty it claims. */
  | "BAD_POW"
  /** A proof-of-work challenge asks more or fewer bits than the node's signed manifest allows. */
  | "POW_OUT_OF_BOUNDS"
  /** A long operation was cancelled through its AbortSignal. */
  | "ABORTED"
  /** A recovery challenge is not the fixed format (SPEC §3): possibly a relay asking for a key. */
  | "BAD_CHALLENGE"
  /** A user's key certification chain is missing or does not prove these keys (SPEC §12). */
  | "NOT_CERTIFIED"
  /** An OPRF evaluation's proof does not verify under the node's OPRF key (SPEC §16). */
  | "BAD_PROOF"

/** The one error type crypto-core throws on purpose; `code` is stable across releases. */
export class CryptoError extends Error {
  override readonly name = "CryptoError"
  readonly code: CryptoErrorCode

  constructor(code: CryptoErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
  }
}

/** True when `e` is a CryptoError, optionally with the given code. */
export function isCryptoError(e: unknown, code?: CryptoErrorCode): e is CryptoError {
  return e instanceof CryptoError && (code === undefined || e.code === code)
}
