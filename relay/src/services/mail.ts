import { createHash } from "node:crypto"
import nodemailer from "nodemailer"
import type { RelayContext } from "../context.js"
import type { Logger } from "../log.js"
import type { Batch } from "../store/store.js"
import { type QueuedMail, timers } from "./timers.js"

// Plain-text notification mail over SMTP. Mails carry names, dates and link paths, never tip
// content. OpenPGP-encrypted mail is out of scope for now.

/** One mail to send: a single recipient, a subject and a plain-text body. */
export interface OutgoingMail {
  readonly to: string
  readonly subject: string
  readonly text: string
}

/** Sends mail, or does nothing when the node has no SMTP server configured. */
export interface Mailer {
  readonly enabled: boolean
  /** Sends one mail. @throws the transport's error (code, SMTP response code) when delivery fails. */
  send(mail: OutgoingMail): Promise<void>
  close(): void
}

/**
 * The templates, with `{node}`, `{context}`, `{date}`, `{link}`, `{code}` and `{minutes}`
 * placeholders. Never secrets, except the one-time login code that `secondFactorCode` exists to
 * carry (short-lived, single use, and only ever to the account's own address).
 */
export const TEMPLATES = {
  activity: {
    subject: "New activity in {node}",
    text: "There is new activity on a tip in {node}.\n\nLog in to read it: {link}\n",
  },
  reminder: {
    subject: "A tip in {context} expires on {date}",
    text:
      "A tip in {context} on {node} expires on {date} and will then be deleted for good.\n\n" +
      "Log in to review it or postpone its expiry: {link}\n",
  },
  test: {
    subject: "Test mail from {node}",
    text: "This is a test mail from {node}. Mail notifications work.\n",
  },
  passwordReset: {
    subject: "Your password on {node} was reset",
    text:
      "An administrator of {node} reset your password with the escrow key on {date}. " +
      "Your sessions have ended.\n\n" +
      "Log in with the one-time password the administrator gives you, then choose a new one.\n" +
      "If you did not ask for this, tell your administrators at once.\n",
  },
  accountRecovered: {
    subject: "Your account on {node} was opened with its recovery key",
    text:
      "Someone logged in to your account on {node} with its recovery key on {date}, to set a " +
      "new password. Your other sessions end when it is set.\n\n" +
      "If this was not you, tell your administrators at once.\n",
  },
  secondFactorCode: {
    subject: "Your {node} login code",
    text:
      "Your one-time code for {node} is {code}\n\n" +
      "It works once, within {minutes} minutes. If you did not just log in or set up e-mail " +
      "codes, someone may know your password: change it and tell your administrators.\n",
  },
  secondFactorReset: {
    subject: "Your second factors on {node} were removed",
    text:
      "An administrator of {node} removed the second factors of your account on {date}. " +
      "Your sessions have ended.\n\n" +
      "Log in and set up a second factor again. " +
      "If you did not ask for this, tell your administrators at once.\n",
  },
} as const

export type TemplateName = keyof typeof TEMPLATES

/** Fills a template; control characters are stripped from values so nothing can forge a header. */
export function renderMail(
  name: TemplateName,
  values: Readonly<Record<string, string>>,
): { subject: string; text: string; template: TemplateName } {
  const fill = (s: string) =>
    s.replace(/\{(\w+)\}/g, (whole, key: string) => {
      const value = values[key]
      // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
      return value === undefined ? whole : value.replace(/[\u0000-\u001f\u007f]/g, " ")
    })
  return {
    subject: fill(TEMPLATES[name].subject),
    text: fill(TEMPLATES[name].text),
    template: name,
  }
}

/**
 * Builds the mailer from `smtpUrl` (`smtp://user:pass@host:port`, or `smtps://`); an optional
 * `from` query parameter sets the sender (default `sotto@<host>`). Undefined disables mail.
 */
export function createMailer(smtpUrl: string | undefined, log: Logger): Mailer {
  if (!smtpUrl) return { enabled: false, send: async () => {}, close: () => {} }
  const url = new URL(smtpUrl)
  const secure = url.protocol === "smtps:"
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1")
  const from = url.searchParams.get("from") ?? `sotto@${host}`
  const transport = nodemailer.createTransport({
    host,
    secure,
    ...(url.port ? { port: Number(url.port) } : {}),
    ...(url.username
      ? {
          auth: {
            user: decodeURIComponent(url.username),
            pass: decodeURIComponent(url.password),
          },
        }
      : {}),
    // A stuck server must not hold up the timer loop for long.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  })
  log.info("mail_enabled", { host, secure })
  return {
    enabled: true,
    send: async (mail) => {
      await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text })
    },
    close: () => transport.close(),
  }
}

const warnedDisabled = new WeakSet<RelayContext>()

/**
 * Queues `mail` in `batch` (a `mail.send` timer due now), so it lands with the change it reports.
 * When mail is off this is a no-op that logs once per relay.
 * @returns whether the mail was queued.
 */
export function queueMail(ctx: RelayContext, batch: Batch, mail: QueuedMail): boolean {
  if (!ctx.config.smtpUrl) {
    if (!warnedDisabled.has(ctx)) {
      warnedDisabled.add(ctx)
      ctx.log.info("mail_disabled", { reason: "SMTP_URL is not set; notifications are not sent" })
    }
    return false
  }
  timers.add(batch, ctx.clock.now(), { kind: "mail.send", mail, attempt: 0 })
  return true
}

/** A moment as mails show it: `2026-03-02 12:00 UTC`. */
export function mailDateTime(ms: number): string {
  const iso = new Date(ms).toISOString()
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`
}

/** What the audit names instead of an address: a SHA-256 of the lower-cased address. */
export function mailTarget(to: string): string {
  return `mail:${createHash("sha256").update(to.trim().toLowerCase()).digest("base64url")}`
}

/** A short, secret-free description of a send failure: the transport code and SMTP status. */
export function mailErrorCode(e: unknown): string {
  const err = e as { code?: unknown; responseCode?: unknown; name?: unknown }
  const code = typeof err?.code === "string" ? err.code : String(err?.name ?? "Error")
  return typeof err?.responseCode === "number" ? `${code} ${err.responseCode}` : code
}
