/** Stable error codes on the wire; clients and tests switch on these. */
export type RelayErrorCode =
  | "BAD_REQUEST"
  | "VALIDATION"
  | "BODY_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "NOT_FOUND"
  | "METHOD_NOT_ALLOWED"
  | "UNAUTHENTICATED"
  | "SESSION_EXPIRED"
  | "FORBIDDEN"
  | "WRONG_CREDENTIALS"
  | "SECOND_FACTOR_REQUIRED"
  | "PASSWORD_CHANGE_REQUIRED"
  | "SECOND_FACTOR_ENROLMENT_REQUIRED"
  | "WRONG_CODE"
  | "CODE_REUSED"
  | "LOCKED"
  | "RATE_LIMITED"
  | "OVERLOADED"
  | "CONFLICT"
  | "ALREADY_SET_UP"
  | "NOT_SET_UP"
  | "BAD_POW"
  | "BAD_DIRECTORY"
  | "BAD_MANIFEST"
  | "STALE_MANIFEST"
  | "MANIFEST_REQUIRED"
  | "HASH_MISMATCH"
  | "INCOMPLETE_UPLOAD"
  | "RANGE_NOT_SATISFIABLE"
  | "QUOTA_EXCEEDED"
  | "INSUFFICIENT_STORAGE"
  | "BUDGET_EXCEEDED"
  | "INTEGRITY_MISMATCH"
  | "INTERNAL"

/** The one place codes become HTTP statuses. */
export const STATUS: Readonly<Record<RelayErrorCode, number>> = {
  BAD_REQUEST: 400,
  VALIDATION: 400,
  BODY_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  UNAUTHENTICATED: 401,
  SESSION_EXPIRED: 401,
  FORBIDDEN: 403,
  WRONG_CREDENTIALS: 401,
  SECOND_FACTOR_REQUIRED: 401,
  PASSWORD_CHANGE_REQUIRED: 403,
  /** The role needs a second factor and the account has none yet: only enrolment is open. */
  SECOND_FACTOR_ENROLMENT_REQUIRED: 403,
  /** A second-factor code that is wrong, expired or already consumed (e-mail, backup). */
  WRONG_CODE: 401,
  /** A TOTP code for a time step that was already used (a replay). */
  CODE_REUSED: 401,
  LOCKED: 423,
  RATE_LIMITED: 429,
  /** The relay is at one of its global caps (requests, bodies or bytes in flight): retry later. */
  OVERLOADED: 503,
  CONFLICT: 409,
  ALREADY_SET_UP: 409,
  NOT_SET_UP: 409,
  BAD_POW: 400,
  /** A key directory that does not verify or does not match the context's recipients. */
  BAD_DIRECTORY: 422,
  /** A node manifest that does not verify under the node key or contradicts the node. */
  BAD_MANIFEST: 422,
  /** A node manifest whose version does not go up. */
  STALE_MANIFEST: 409,
  /** A settings change to what the node manifest covers, without a re-signed manifest. */
  MANIFEST_REQUIRED: 409,
  HASH_MISMATCH: 422,
  INCOMPLETE_UPLOAD: 409,
  RANGE_NOT_SATISFIABLE: 416,
  /** A tip (or the node's anonymous budget) holds all it may: relay/README.md "Quotas". */
  QUOTA_EXCEEDED: 403,
  /** Free disk is under the watermark: anonymous writes wait (services/diskGuard.ts). */
  INSUFFICIENT_STORAGE: 507,
  /** An anonymous write would take its channel or the node past its byte budget (storageUsage.ts). */
  BUDGET_EXCEEDED: 507,
  /** A file of the built app that its integrity manifest does not list with these bytes. */
  INTEGRITY_MISMATCH: 503,
  INTERNAL: 500,
}

/** The JSON body of every error response: `{"error": {"code", "message", "field"?}}`. */
export interface ErrorBody {
  readonly error: {
    readonly code: RelayErrorCode
    readonly message: string
    readonly field?: string
  }
}

/** An error meant for the client: its code, a readable message, and the offending field if any. */
export class RelayError extends Error {
  override readonly name = "RelayError"
  constructor(
    readonly code: RelayErrorCode,
    message: string,
    readonly field?: string,
    /** Seconds the client should wait (429, 423, 503). */
    readonly retryAfter?: number,
  ) {
    super(message)
  }

  get status(): number {
    return STATUS[this.code]
  }

  toBody(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.field === undefined ? {} : { field: this.field }),
      },
    }
  }
}
