import { LANGUAGES, type Language } from "@sotto/protocol/languages"
import { MAIL_TEMPLATE_KINDS, type MailTemplateKind } from "@sotto/protocol/nodeSettingsSchemas"
import { RelayError } from "../errors.js"
import type { Store } from "../store/store.js"
import { TEMPLATE_PLACEHOLDERS, templateFor } from "./mailTemplates.js"
import type {
  NodeSecrets,
  NodeSettings,
  PasswordPolicyRecord,
  SmtpSettingsRecord,
} from "./records.js"
import { quotasOf } from "./storageUsage.js"

/** The base PoW difficulty and tip lifetime of a new node. */
export const DEFAULT_POW_DIFFICULTY = 12
export const DEFAULT_EXPIRY_DAYS = 90

/** Reads `settings/node`. @throws RelayError NOT_SET_UP before setup. */
export async function requireNode(store: Store): Promise<NodeSettings> {
  const node = await store.get<NodeSettings>("settings", "node")
  if (!node) throw new RelayError("NOT_SET_UP", "this node is not set up yet")
  return node
}

/** Reads `settings/secret`. @throws RelayError NOT_SET_UP before setup. */
export async function requireSecrets(store: Store): Promise<NodeSecrets> {
  const secrets = await store.get<NodeSecrets>("settings", "secret")
  if (!secrets) throw new RelayError("NOT_SET_UP", "this node is not set up yet")
  return secrets
}

/** The password policy of a node that has not set one: zxcvbn score 3, 8 characters. */
export const DEFAULT_PASSWORD_POLICY: PasswordPolicyRecord = { minScore: 3, minLength: 8 }

/** The languages of a node that has not chosen: every catalogue, English by default. */
export const DEFAULT_LANGUAGES = { enabled: [...LANGUAGES], default: "en" } as const

/** The languages offered to whistleblowers. */
export function languagesOf(node: NodeSettings): { enabled: Language[]; default: Language } {
  const set = node.languages ?? DEFAULT_LANGUAGES
  return { enabled: set.enabled as Language[], default: set.default as Language }
}

/** The password policy in force. */
export function passwordPolicyOf(node: NodeSettings): PasswordPolicyRecord {
  return node.passwordPolicy ?? DEFAULT_PASSWORD_POLICY
}

/**
 * The settings as GET /settings shows them: the SMTP password replaced by `passwordSet`, and
 * every kind's mail template in force (edited or default) with its placeholders.
 */
export function settingsView(node: NodeSettings) {
  const { smtp, mailTemplates: _edits, passwordPolicy: _policy, ...rest } = node
  const mailTemplates = Object.fromEntries(
    MAIL_TEMPLATE_KINDS.map((kind) => [
      kind,
      {
        ...templateFor(node, kind),
        custom: node.mailTemplates?.[kind] !== undefined,
        placeholders: [...TEMPLATE_PLACEHOLDERS[kind]],
      },
    ]),
  ) as Record<MailTemplateKind, MailTemplateView>
  return {
    ...rest,
    tipPolicy: node.tipPolicy ?? "admins",
    quotas: quotasOf(node),
    passwordPolicy: passwordPolicyOf(node),
    languages: languagesOf(node),
    ...(smtp ? { smtp: smtpView(smtp) } : {}),
    mailTemplates,
  }
}

interface MailTemplateView {
  subject: string
  text: string
  custom: boolean
  placeholders: string[]
}

function smtpView(smtp: SmtpSettingsRecord) {
  const { password, sealedPassword, ...shown } = smtp
  return { ...shown, passwordSet: password !== undefined || sealedPassword !== undefined }
}
