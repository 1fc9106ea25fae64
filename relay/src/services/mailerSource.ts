import type { RelayContext } from "../context.js"
import {
  createMailer,
  type Mailer,
  noteSmtpSettings,
  type SmtpConfig,
  smtpFromUrl,
} from "./mail.js"
import { fillTemplate, TEMPLATES, type TemplateName, templateFor } from "./mailTemplates.js"
import type { NodeSettings, SmtpSettingsRecord } from "./records.js"
import { type SecretBox, secretBox } from "./secretBox.js"
import type { QueuedMail } from "./timers.js"

/** The SMTP settings of the node settings as a transport config, the password opened with `box`. */
export function smtpFromSettings(smtp: SmtpSettingsRecord, box: SecretBox): SmtpConfig {
  const pass = smtp.sealedPassword !== undefined ? box.open(smtp.sealedPassword) : smtp.password
  return {
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user ? { user: smtp.user, pass: pass ?? "" } : {}),
    from: smtp.from,
  }
}

/**
 * The timer runner's mailer, following the node settings: SMTP settings there win over
 * `SMTP_URL`. Each send reads the settings and rebuilds the transport when they changed, so a
 * change in the console takes effect without a restart.
 */
export class MailerSource {
  #mailer: Mailer | undefined
  #key = ""

  constructor(private readonly ctx: RelayContext) {}

  /** The node settings and the mailer for them (rebuilt when the SMTP config changed). */
  async current(): Promise<{ mailer: Mailer; node: NodeSettings | undefined }> {
    const node = await this.ctx.store.get<NodeSettings>("settings", "node")
    noteSmtpSettings(this.ctx, node)
    const config = node?.smtp
      ? smtpFromSettings(node.smtp, secretBox(this.ctx))
      : smtpFromUrl(this.ctx.config.smtpUrl)
    // Compared in memory only; the key holds the password, so it is never logged.
    const key = JSON.stringify(config ?? null)
    if (!this.#mailer || key !== this.#key) {
      this.#mailer?.close()
      this.#mailer = createMailer(config, this.ctx.log)
      this.#key = key
    }
    return { mailer: this.#mailer, node }
  }

  /** Closes the transport. */
  close(): void {
    this.#mailer?.close()
    this.#mailer = undefined
  }
}

/** A queued mail rendered with the template in force now (the admin's edit, else the default). */
export function renderQueued(mail: QueuedMail, node: NodeSettings | undefined): QueuedMail {
  if (!mail.values || !(mail.template in TEMPLATES)) return mail
  const name = mail.template as TemplateName
  if (!node?.mailTemplates?.[name]) return mail
  return { ...mail, ...fillTemplate(templateFor(node, name), mail.values) }
}
