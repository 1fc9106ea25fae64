import { RelayError } from "../errors.js"
import type { MailTemplateRecord, NodeSettings } from "./records.js"

// The notification mail templates: defaults, the placeholders each kind may use, the admin's
// edits (node settings `mailTemplates`) and rendering. Placeholders are `{{name}}`. Mails carry
// names, dates, link paths and (the login code mail only) the code: no template can reach tip
// content, because no placeholder holds any.

/**
 * The default templates. Never secrets, except the one-time login code that `secondFactorCode`
 * exists to carry (short-lived, single use, and only ever to the account's own address).
 */
export const TEMPLATES = {
  activity: {
    subject: "New activity in {{node}}",
    text: "There is new activity on a tip in {{node}}.\n\nLog in to read it: {{link}}\n",
  },
  reminder: {
    subject: "A tip in {{context}} expires on {{date}}",
    text:
      "A tip in {{context}} on {{node}} expires on {{date}} and will then be deleted for good.\n\n" +
      "Log in to review it or postpone its expiry: {{link}}\n",
  },
  deadlineSoon: {
    subject: "A tip in {{context}} needs {{what}} by {{date}}",
    text:
      "A tip in {{context}} on {{node}} needs {{what}} by {{date}}, the deadline the node " +
      "keeps for it.\n\nLog in to answer it: {{link}}\n",
  },
  deadlineDue: {
    subject: "Deadline reached: a tip in {{context}} needed {{what}} by {{date}}",
    text:
      "A tip in {{context}} on {{node}} has reached its deadline for {{what}} ({{date}}) " +
      "without it.\n\nLog in to answer it now: {{link}}\n",
  },
  test: {
    subject: "Test mail from {{node}}",
    text: "This is a test mail from {{node}}. Mail notifications work.\n",
  },
  passwordReset: {
    subject: "Your password on {{node}} was reset",
    text:
      "An administrator of {{node}} reset your password with the escrow key on {{date}}. " +
      "Your sessions have ended.\n\n" +
      "Log in with the one-time password the administrator gives you, then choose a new one.\n" +
      "If you did not ask for this, tell your administrators at once.\n",
  },
  escrowRead: {
    subject: "An administrator opened your account on {{node}} with the escrow key",
    text:
      "An administrator of {{node}} opened your account's key with the escrow key on {{date}}, " +
      "to reset your password. Nothing else was changed by this step.\n\n" +
      "If you did not ask for a reset, tell your administrators at once.\n",
  },
  accountRecovered: {
    subject: "Your account on {{node}} was opened with its recovery key",
    text:
      "Someone logged in to your account on {{node}} with its recovery key on {{date}}, to set a " +
      "new password. Your other sessions end when it is set.\n\n" +
      "If this was not you, tell your administrators at once.\n",
  },
  secondFactorCode: {
    subject: "Your {{node}} login code",
    text:
      "Your one-time code for {{node}} is {{code}}\n\n" +
      "It works once, within {{minutes}} minutes. If you did not just log in or set up e-mail " +
      "codes, someone may know your password: change it and tell your administrators.\n",
  },
  secondFactorReset: {
    subject: "Your second factors on {{node}} were removed",
    text:
      "An administrator of {{node}} removed the second factors of your account on {{date}}. " +
      "Your sessions have ended.\n\n" +
      "Log in and set up a second factor again. " +
      "If you did not ask for this, tell your administrators at once.\n",
  },
} as const

/** A kind of mail. */
export type TemplateName = keyof typeof TEMPLATES

/** Every kind, in the order the console lists them. */
export const TEMPLATE_NAMES = Object.keys(TEMPLATES) as TemplateName[]

/** The placeholders each kind is rendered with (anything else is refused on save). */
export const TEMPLATE_PLACEHOLDERS: Readonly<Record<TemplateName, readonly string[]>> = {
  activity: ["node", "link"],
  reminder: ["node", "context", "date", "link"],
  deadlineSoon: ["node", "context", "what", "date", "link"],
  deadlineDue: ["node", "context", "what", "date", "link"],
  test: ["node"],
  passwordReset: ["node", "date"],
  escrowRead: ["node", "date"],
  accountRecovered: ["node", "date"],
  secondFactorCode: ["node", "code", "minutes"],
  secondFactorReset: ["node", "date"],
}

/** Placeholders an edited template must keep (a login code mail without its code is useless). */
const REQUIRED: Partial<Record<TemplateName, readonly string[]>> = { secondFactorCode: ["code"] }

/** Length limits of an edited template. */
export const TEMPLATE_LIMITS = { subject: 200, text: 4000 } as const

const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const CONTROL = /[\u0000-\u001f\u007f]/g

/** The template in force for `name`: the admin's edit, else the default. */
export function templateFor(
  node: Pick<NodeSettings, "mailTemplates"> | undefined,
  name: TemplateName,
): MailTemplateRecord {
  return node?.mailTemplates?.[name] ?? TEMPLATES[name]
}

/**
 * Fills a template; control characters are stripped from values so nothing can forge a header
 * (and from the whole subject, which must stay one line).
 */
export function fillTemplate(
  template: MailTemplateRecord,
  values: Readonly<Record<string, string>>,
): { subject: string; text: string } {
  const fill = (s: string) =>
    s.replace(PLACEHOLDER, (whole, key: string) => {
      const value = values[key]
      return value === undefined ? whole : value.replace(CONTROL, " ")
    })
  // A subject is one header line.
  return {
    subject: fill(template.subject).replace(CONTROL, " "),
    text: fill(template.text),
  }
}

/**
 * Renders the default template `name` with `values`. The values travel with the queued mail so
 * the timer runner renders the admin's edited template, if any, at send time.
 */
export function renderMail(
  name: TemplateName,
  values: Readonly<Record<string, string>>,
): { subject: string; text: string; template: TemplateName; values: Record<string, string> } {
  return { ...fillTemplate(TEMPLATES[name], values), template: name, values: { ...values } }
}

/**
 * Checks an edit of template `name` sent at `field` (e.g. `body.mailTemplates.activity`).
 * @throws RelayError VALIDATION naming `<field>.subject` or `<field>.text`: an unknown
 *   placeholder, a required one missing, a line break in the subject, over the length limits.
 */
export function checkTemplate(field: string, name: TemplateName, t: MailTemplateRecord): void {
  const allowed = TEMPLATE_PLACEHOLDERS[name]
  for (const part of ["subject", "text"] as const) {
    const where = `${field}.${part}`
    const value = t[part]
    if (value.trim().length === 0) throw invalid(where, "must not be empty")
    if (value.length > TEMPLATE_LIMITS[part]) {
      throw invalid(where, `must be at most ${TEMPLATE_LIMITS[part]} characters`)
    }
    for (const m of value.matchAll(PLACEHOLDER)) {
      const key = m[1] ?? ""
      if (!allowed.includes(key)) {
        throw invalid(where, `has an unknown placeholder {{${key}}}; use ${list(allowed)}`)
      }
    }
  }
  if (/[\r\n\t]/.test(t.subject)) {
    throw invalid(`${field}.subject`, "must be a single line")
  }
  for (const key of REQUIRED[name] ?? []) {
    if (![...t.text.matchAll(PLACEHOLDER)].some((m) => m[1] === key)) {
      throw invalid(`${field}.text`, `must contain {{${key}}}`)
    }
  }
}

function list(keys: readonly string[]): string {
  return keys.map((k) => `{{${k}}}`).join(", ")
}

function invalid(field: string, why: string): RelayError {
  return new RelayError("VALIDATION", `"${field}" ${why}`, field)
}
