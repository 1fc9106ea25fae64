import { createHash } from "node:crypto"
import nodemailer from "nodemailer"
import type { RelayContext } from "../context.js"
import type { Logger } from "../log.js"
import type { Batch } from "../store/store.js"
import { type QueuedMail, timers } from "./timers.js"

// Plain-text notification mail over SMTP. Mails carry names, dates and link paths, never tip
// content. OpenPGP-encrypted mail is out of scope for now. Templates: mailTemplates.ts.

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

export { renderMail, TEMPLATES, type TemplateName } from "./mailTemplates.js"

/** Where and how to send: from the node settings or from `SMTP_URL`. */
export interface SmtpConfig {
  readonly host: string
  readonly port?: number
  readonly secure: boolean
  readonly user?: string
  readonly pass?: string
  readonly from: string
}

/**
 * Reads `smtpUrl` (`smtp://user:pass@host:port`, or `smtps://`); an optional `from` query
 * parameter sets the sender (default `sotto@<host>`). Undefined for no URL.
 */
export function smtpFromUrl(smtpUrl: string | undefined): SmtpConfig | undefined {
  if (!smtpUrl) return undefined
  const url = new URL(smtpUrl)
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1")
  return {
    host,
    secure: url.protocol === "smtps:",
    ...(url.port ? { port: Number(url.port) } : {}),
    ...(url.username
      ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
      : {}),
    from: url.searchParams.get("from") ?? `sotto@${host}`,
  }
}

/** Builds the mailer for `smtp`; undefined disables mail. Logs the host, never credentials. */
export function createMailer(smtp: SmtpConfig | undefined, log: Logger): Mailer {
  if (!smtp) return { enabled: false, send: async () => {}, close: () => {} }
  const transport = nodemailer.createTransport({
    host: smtp.host,
    secure: smtp.secure,
    ...(smtp.port ? { port: smtp.port } : {}),
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.pass ?? "" } } : {}),
    // A stuck server must not hold up the timer loop for long.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  })
  log.info("mail_enabled", { host: smtp.host, secure: smtp.secure })
  return {
    enabled: true,
    send: async (mail) => {
      await transport.sendMail({
        from: smtp.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
      })
    },
    close: () => transport.close(),
  }
}

// Relays whose node settings hold SMTP settings (kept in step by noteSmtpSettings), so that
// queueMail, which runs inside synchronous batch building, can tell whether mail is on.
const smtpInSettings = new WeakSet<RelayContext>()

/** Records whether `node` carries SMTP settings; call after reading or writing them. */
export function noteSmtpSettings(ctx: RelayContext, node: { smtp?: unknown } | undefined): void {
  if (node?.smtp) smtpInSettings.add(ctx)
  else smtpInSettings.delete(ctx)
}

/** Whether the node sends mail: SMTP settings in the node settings, or `SMTP_URL`. */
export function mailOn(ctx: RelayContext): boolean {
  return smtpInSettings.has(ctx) || ctx.config.smtpUrl !== undefined
}

const warnedDisabled = new WeakSet<RelayContext>()

/**
 * Queues `mail` in `batch` (a `mail.send` timer due now), so it lands with the change it reports.
 * When mail is off this is a no-op that logs once per relay.
 * @returns whether the mail was queued.
 */
export function queueMail(ctx: RelayContext, batch: Batch, mail: QueuedMail): boolean {
  if (!mailOn(ctx)) {
    if (!warnedDisabled.has(ctx)) {
      warnedDisabled.add(ctx)
      ctx.log.info("mail_disabled", {
        reason: "no SMTP settings and SMTP_URL is not set; notifications are not sent",
      })
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
