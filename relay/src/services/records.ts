import type {
  CertificationBody,
  KeyProofBody,
  SealedAccountIdentity,
  SignedNodeManifest,
  SignedStatement,
  WrappedKey,
} from "@sotto/crypto-core"
import type { Role } from "@sotto/protocol/route"
import type { IdleTimeouts } from "./session.js"

// The stored records, one type per kind. Keys per sublevel are listed in relay/README.md.
// Nothing here is plaintext tip content, a password, a receipt or a private key.

/** `settings/node`: the node, written once by setup and then by admins. */
export interface NodeSettings {
  readonly name: string
  readonly createdAt: number
  /** Escrow on/off; the escrow public key when on. */
  readonly escrow: { readonly enabled: boolean; readonly recipient?: string }
  /** The node signing public key (Ed25519, base64url) that signs key directories. */
  readonly signingPublicKey: string
  /** The signed node manifest, as the admin's browser signed it (SPEC §14); served as is. */
  readonly manifest: SignedNodeManifest
  /** Receipt pattern, the node receipt salt (base64url) and scrypt params. */
  readonly receipt: {
    readonly pattern: string
    readonly salt: string
    readonly params: KdfParamsRecord
  }
  readonly idleTimeouts: IdleTimeouts
  /** Base PoW difficulty in bits; raised automatically under load. */
  readonly powDifficulty: number
  /** Default tip lifetime for new contexts, in days. */
  readonly expiryDays: number
  /** Second factor required per role (enforced once 2FA lands). */
  readonly twoFactorRequired: {
    readonly admin: boolean
    readonly recipient: boolean
    readonly custodian: boolean
  }
  /** Short text the PWA header shows next to the node name (public). */
  readonly logoText?: string
  /** Languages offered to whistleblowers; absent: all, English by default (nodeSettings.ts). */
  readonly languages?: { readonly enabled: readonly string[]; readonly default: string }
  /** What staff passwords must meet, enforced by the browsers (the relay never sees one). */
  readonly passwordPolicy?: PasswordPolicyRecord
  /** SMTP from the console; wins over `SMTP_URL`. The password never leaves the relay. */
  readonly smtp?: SmtpSettingsRecord
  /** Who may delete tips and revoke others' access; absent: `admins` (protocol `TipPolicy`). */
  readonly tipPolicy?: "admins" | "holders"
  /** Byte budgets (services/storageUsage.ts); absent fields take the defaults there. */
  readonly quotas?: {
    readonly tipFileBytes?: number
    readonly contextBytes?: number
    readonly nodeBytes?: number
  }
  /** Admin-edited mail templates (`{{placeholder}}` syntax); absent kinds use the defaults. */
  readonly mailTemplates?: Readonly<Record<string, MailTemplateRecord>>
}

/** Password policy: a zxcvbn score (3 or 4) and a length. */
export interface PasswordPolicyRecord {
  readonly minScore: 3 | 4
  readonly minLength: number
}

/** SMTP server settings kept in the node settings. */
export interface SmtpSettingsRecord {
  readonly host: string
  readonly port: number
  /** TLS from the start (port 465); otherwise STARTTLS when the server offers it. */
  readonly secure: boolean
  readonly user?: string
  /** Legacy: a password stored in the clear by older relays; replaced on the next SMTP save. */
  readonly password?: string
  /** The password, sealed under the secrets key (services/secretBox.ts); never in a response or a log. */
  readonly sealedPassword?: string
  readonly from: string
}

/** One edited mail template. */
export interface MailTemplateRecord {
  readonly subject: string
  readonly text: string
}

/** `settings/secret`: relay-made secrets, never sent to clients. */
export interface NodeSecrets {
  /** 32 bytes, base64url: keys the fake salts for unknown usernames. */
  readonly fakeSaltKey: string
}

export interface KdfParamsRecord {
  readonly N: number
  readonly r: number
  readonly p: number
}

/** `users/u/<id>` (and the index `users/n/<username>` → id). */
export interface UserRecord {
  readonly id: string
  readonly username: string
  readonly name: string
  readonly email?: string
  readonly role: Role
  readonly disabled: boolean
  readonly createdAt: number
  /** Password KDF inputs (salt base64url) and the verifier of the auth key (base64url). */
  readonly kdf: {
    readonly salt: string
    readonly params: KdfParamsRecord
    /** The OPRF key (base64url) the verifier was derived under; absent: v1 (SPEC §16). */
    readonly oprf?: string
  }
  readonly authVerifier: string
  /**
   * The account identity, sealed to password, recovery and (optionally) escrow. Absent until the
   * user's first login: an admin creates an account with a one-time password only, and the user's
   * own browser makes the identity and recovery key when it sets the real password.
   */
  readonly sealedIdentity?: SealedAccountIdentity
  /** The account's public key (age recipient), listed in key directories once it exists. */
  readonly publicKey?: string
  /** The account signing public key the user published (directories list it), once set. */
  readonly signer?: string
  /** Set on creation and after an escrow reset: the next login must change the password. */
  readonly mustChangePassword: boolean
  /** Protocol v2 key certification (crypto-core keyCertification.ts), stored as sent. */
  readonly certification?: SignedStatement<CertificationBody>
  readonly keyProof?: SignedStatement<KeyProofBody>
  /** When an admin last reset the password with the escrow key (ms): shown on the user's page. */
  readonly escrowResetAt?: number
  /** Admins only: their wraps of the escrow identity and of the node signing key. */
  readonly escrowWrap?: WrappedKey
  readonly signingKeyWrap?: WrappedKey
}

/** One questionnaire field of a context. */
export interface QuestionField {
  readonly id: string
  readonly type: "text" | "textarea" | "select" | "multiselect" | "checkbox" | "date" | "file"
  readonly label: string
  readonly help?: string
  readonly required: boolean
  /** An identity field: answered into the sealed identity, for custodians only. */
  readonly identity?: boolean
  readonly options?: readonly string[]
}

/** `contexts/c/<id>`; its signed key directory at `contexts/d/<id>`. */
export interface ContextRecord {
  readonly id: string
  readonly name: string
  readonly description: string
  readonly recipients: readonly string[]
  /** Identity custodians (role `custodian`), signed into the directory apart from recipients. */
  readonly custodians?: readonly string[]
  readonly questionnaire: readonly QuestionField[]
  readonly expiryDays: number
  readonly maxFiles: number
  readonly maxFileBytes: number
  readonly createdAt: number
  readonly updatedAt: number
  /** Acknowledgement and feedback periods (services/deadlines.ts); absent: the directive's defaults. */
  readonly deadlines?: ContextDeadlines
}

/** A context's EU Directive periods, and which staff action counts as acknowledging a tip. */
export interface ContextDeadlines {
  readonly ackDays: number
  readonly feedbackDays: number
  readonly acknowledgeBy: "comment" | "status" | "either"
}

/** A tip's deadlines: when each is due, when it was met, and the reminder timers still set. */
export interface TipDeadlines {
  readonly ackDueAt: number
  readonly feedbackDueAt: number
  readonly acknowledgedAt?: number
  readonly feedbackAt?: number
  readonly timerKeys: readonly string[]
}

export type TipStatus = "new" | "open" | "closed"

/** `tips/t/<id>`; receipt lookup index `tips/r/<authVerifier>` → id. */
export interface TipRecord {
  readonly id: string
  readonly contextId: string
  readonly createdAt: number
  readonly updatedAt: number
  readonly expiresAt: number
  readonly status: TipStatus
  /** Admin-chosen plaintext labels only; otherwise labels live inside sealed metadata. */
  readonly labels: readonly string[]
  /** The answers, sealed to the tip (armored age). */
  readonly answers: string
  /** Verifier of the whistleblower's receipt auth key (base64url). */
  readonly wbAuthVerifier: string
  readonly accessCount: number
  readonly wbLastAccessAt?: number
  /** When staff first commented (kept for the stats counters, so a wipe can take it back out). */
  readonly firstReplyAt?: number
  /** Timer keys for this tip's expiry and reminder, so postponing can move them atomically. */
  readonly timerKeys: readonly string[]
  /** EU Directive deadlines (absent on tips made before they existed). */
  readonly deadlines?: TipDeadlines
  /**
   * Comment count and sealed bytes, kept beside the record in the comment's batch so quotas and
   * lists never read every comment. Absent on older tips: counted once, then kept.
   */
  readonly usage?: {
    readonly comments: number
    readonly commentBytes: number
    /** Complete files (counted at finalise). Absent: counted from the objects once. */
    readonly files?: number
    /** Files started, finished or not (the context's `maxFiles` counts these). */
    readonly fileSlots?: number
    /** Declared sealed sizes plus metadata of those files (the per-tip file quota). */
    readonly fileBytes?: number
  }
}

/** `wraps/<tipId>/<holder>` where holder is a user id or `wb`. */
export interface WrapRecord {
  readonly tipId: string
  readonly holder: string
  readonly wrap: WrappedKey
  readonly grantedBy: string
  readonly grantedAt: number
}

/** `objects/<tipId>/<objectId>`: a comment (sealed) or a file (metadata sealed, bytes in chunks). */
export type ObjectRecord =
  | {
      readonly kind: "comment"
      readonly id: string
      readonly tipId: string
      readonly author: string
      readonly createdAt: number
      readonly age: string
    }
  | {
      readonly kind: "file"
      readonly id: string
      readonly tipId: string
      readonly author: string
      readonly createdAt: number
      /** Sealed file metadata (name, type, SHA-256), armored age. */
      readonly meta: string
      /** Size of the age file in bytes and how it is chunked for upload. */
      readonly size: number
      readonly chunkSize: number
      readonly chunkCount: number
      readonly complete: boolean
      /** When the last new chunk was stored (absent: none since `createdAt`); idle uploads go. */
      readonly touchedAt?: number
      /** The key of its `upload.idle` timer while unfinished, so finalize and wipes remove it. */
      readonly idleTimer?: string
    }

/**
 * `tips/i/<tipId>`: a tip's identity answers, sealed to its identity key (SPEC §6.3). The identity
 * key's wraps live at `tips/iw/<tipId>/<holder>`: the custodians' from the submission, and a
 * recipient's only after a custodian approved; `tips/ic/<custodianId>/<tipId>` indexes a
 * custodian's tips; requests at `tips/iq/<tipId>/<requestId>`.
 */
export interface IdentityRecord {
  readonly tipId: string
  readonly age: string
  readonly custodians: readonly string[]
}

/** `tips/iw/<tipId>/<holder>`: one wrap of a tip's identity key. */
export interface IdentityWrapRecord {
  readonly tipId: string
  readonly holder: string
  readonly role: "custodian" | "recipient"
  readonly wrap: WrappedKey
  /** `wb` for the custodians' wraps, else the approving custodian. */
  readonly grantedBy: string
  readonly grantedAt: number
  /** The request an approval answered. */
  readonly requestId?: string
}

/** `tips/iq/<tipId>/<requestId>`: a recipient's request for a tip's identity. */
export interface IdentityRequestRecord {
  readonly id: string
  readonly tipId: string
  readonly requester: string
  /** The written reason, sealed to the custodians (the relay cannot read it). */
  readonly reason: WrappedKey
  readonly createdAt: number
  readonly state: "pending" | "approved" | "refused"
  readonly decidedBy?: string
  readonly decidedAt?: number
}
