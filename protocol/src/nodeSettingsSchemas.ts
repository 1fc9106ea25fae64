import { Type } from "@sinclair/typebox"
import {
  Email,
  ExpiryDays,
  IdleTimeoutsSchema,
  PersonName,
  PowDifficulty,
  ReceiptPatternText,
  TwoFactorRequired,
} from "./accountSchemas.js"
import { KdfParams, Key32, Obj, Salt, Time } from "./common.js"
import { LANGUAGES } from "./languages.js"

export { LANGUAGES } from "./languages.js"

// Schemas of the node settings added for the admin console: logo text, password policy, SMTP
// settings (the password is write-only) and mail templates. Used by accountsAdmin.ts and
// accounts.ts (GET /node shows the logo text and the password policy).

/** Short text the header shows next to the node name. */
export const LogoText = Type.String({ minLength: 1, maxLength: 40, description: "header text" })

/** One of {@link LANGUAGES}. */
export const LanguageCode = Type.Union(
  LANGUAGES.map((code) => Type.Literal(code)),
  { description: "a language code the PWA has a catalogue for" },
)

/**
 * The languages a node offers whistleblowers (at least one, no repeats) and the one shown when
 * the browser asks for none of them; the default must be enabled (the relay checks). Absent: all
 * of them, English by default.
 */
export const NodeLanguages = Obj({
  enabled: Type.Array(LanguageCode, { minItems: 1, maxItems: LANGUAGES.length, uniqueItems: true }),
  default: LanguageCode,
})

/**
 * What new staff passwords must meet: a zxcvbn score of 3 or 4 and a minimum length. Browsers
 * enforce it (the relay never sees a password). Default `{ minScore: 3, minLength: 8 }`.
 */
export const PasswordPolicy = Obj({
  minScore: Type.Union([Type.Literal(3), Type.Literal(4)]),
  minLength: Type.Integer({ minimum: 8, maximum: 128 }),
})

const SmtpFields = {
  host: Type.String({
    minLength: 1,
    maxLength: 253,
    pattern: "^[^\\s/:@]+$|^\\[[0-9a-fA-F:.]+\\]$",
  }),
  port: Type.Integer({ minimum: 1, maximum: 65535 }),
  /** TLS from the start (usually port 465); otherwise STARTTLS when the server offers it. */
  secure: Type.Boolean(),
  user: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  from: Email,
}

/**
 * SMTP settings as an admin sends them. `password` is write-only; left out, the stored one is
 * kept (when `user` is given). A user without any password is refused.
 */
export const SmtpPatch = Obj({
  ...SmtpFields,
  password: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
})

/** SMTP settings as GET /settings shows them: never the password, only whether one is set. */
export const SmtpView = Obj({ ...SmtpFields, passwordSet: Type.Boolean() })

/** The kinds of mail whose template an admin can edit. */
export const MAIL_TEMPLATE_KINDS = [
  "activity",
  "reminder",
  "deadlineSoon",
  "deadlineDue",
  "test",
  "passwordReset",
  "escrowRead",
  "accountRecovered",
  "secondFactorCode",
  "secondFactorReset",
] as const

/** One kind of mail. */
export type MailTemplateKind = (typeof MAIL_TEMPLATE_KINDS)[number]

/**
 * An edited template: `{{placeholder}}`s of its kind only, a one-line subject of at most 200
 * characters and a text of at most 4000 (checked by the relay, which names the field).
 */
export const MailTemplate = Obj({
  subject: Type.String({ maxLength: 1000 }),
  text: Type.String({ maxLength: 8000 }),
})

const TemplateOrNull = Type.Optional(Type.Union([MailTemplate, Type.Null()]))

/** Template edits per kind; `null` puts a kind back to its default. */
export const MailTemplatesPatch = Obj(
  Object.fromEntries(MAIL_TEMPLATE_KINDS.map((k) => [k, TemplateOrNull])) as Record<
    MailTemplateKind,
    typeof TemplateOrNull
  >,
)

/** A template in force: its text, whether an admin edited it, and the placeholders it may use. */
export const MailTemplateView = Obj({
  subject: Type.String(),
  text: Type.String(),
  custom: Type.Boolean(),
  placeholders: Type.Array(Type.String()),
})

/** Every kind's template in force. */
export const MailTemplatesView = Obj(
  Object.fromEntries(MAIL_TEMPLATE_KINDS.map((k) => [k, MailTemplateView])) as Record<
    MailTemplateKind,
    typeof MailTemplateView
  >,
)

/**
 * Who may delete a tip and revoke other holders' access: `admins` (the default, as GlobaLeaks:
 * recipients cannot delete reports or revoke others unless the admin allows it) or any `holders`.
 * Leaving a tip (revoking one's own access) is always allowed.
 */
export const TipPolicy = Type.Union([Type.Literal("admins"), Type.Literal("holders")], {
  description: "who may delete tips and revoke others' access",
})

const BudgetBytes = Type.Integer({ minimum: 1024 * 1024, maximum: 2 ** 50, description: "bytes" })

/**
 * Byte budgets (relay/README.md "Quotas and disk"): sealed file bytes per tip (unfinished uploads
 * included), and what one channel's tips and all tips of the node may hold. Past the tip's,
 * writes get 403 QUOTA_EXCEEDED; past a channel's or the node's, anonymous writes get 507
 * BUDGET_EXCEEDED (staff writes go on).
 */
export const Quotas = Obj({
  tipFileBytes: BudgetBytes,
  contextBytes: BudgetBytes,
  nodeBytes: BudgetBytes,
})

/** A change to some of the budgets. */
export const QuotasPatch = Type.Partial(Quotas)

/** The node settings as admins see them: never the SMTP password (nodeSettingsSchemas.ts). */
export const SettingsView = Obj({
  name: PersonName,
  createdAt: Time,
  escrow: Obj({ enabled: Type.Boolean(), recipient: Type.Optional(Type.String()) }),
  signingPublicKey: Key32,
  receipt: Obj({ pattern: ReceiptPatternText, salt: Salt, params: KdfParams }),
  idleTimeouts: IdleTimeoutsSchema,
  powDifficulty: PowDifficulty,
  expiryDays: ExpiryDays,
  twoFactorRequired: TwoFactorRequired,
  logoText: Type.Optional(LogoText),
  languages: NodeLanguages,
  passwordPolicy: PasswordPolicy,
  tipPolicy: TipPolicy,
  quotas: Quotas,
  /** Absent: the node uses `SMTP_URL` if set, else sends no mail. */
  smtp: Type.Optional(SmtpView),
  mailTemplates: MailTemplatesView,
})
