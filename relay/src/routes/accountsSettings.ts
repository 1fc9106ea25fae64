import { parseReceiptPattern, type SignedNodeManifest } from "@sotto/crypto-core"
import { getSettings, listAudit, updateSettings } from "@sotto/protocol/accounts"
import type { RelayContext } from "../context.js"
import { RelayError } from "../errors.js"
import { type BoundRoute, bind } from "../http/router.js"
import { noteSmtpSettings } from "../services/mail.js"
import { checkTemplate, type TemplateName } from "../services/mailTemplates.js"
import { checkManifestFor, outOfStep } from "../services/manifestChecks.js"
import { requireNode, settingsView } from "../services/nodeSettings.js"
import { oprfKeys } from "../services/oprfKeys.js"
import type { MailTemplateRecord, NodeSettings, SmtpSettingsRecord } from "../services/records.js"
import { type SecretBox, secretBox } from "../services/secretBox.js"
import type { Serial } from "../services/users.js"

/**
 * Node settings (read and change, within the schema's bounds) and the audit log, for admins.
 * The SMTP password is write-only: settingsView leaves it out, and the audit names fields only.
 */
export function settingsRoutes(ctx: RelayContext, lock: Serial): BoundRoute[] {
  const { store } = ctx
  return [
    bind(getSettings, async () => settingsView(await requireNode(store))),

    bind(updateSettings, ({ body, session }) =>
      lock(async () => {
        const node = await requireNode(store)
        const changed = Object.keys(body).filter((k) => k !== "manifest")
        if (changed.length === 0 && body.manifest === undefined) {
          throw new RelayError("VALIDATION", "nothing to change", "body")
        }
        const pattern = body.receiptPattern
        if (pattern !== undefined && pattern !== node.receipt.pattern) {
          try {
            parseReceiptPattern(pattern)
          } catch (e) {
            const why = e instanceof Error ? e.message : "is not a receipt pattern"
            throw new RelayError("VALIDATION", why, "body.receiptPattern")
          }
          if ((await store.keys("tips", { limit: 1 })).length > 0) {
            throw new RelayError(
              "CONFLICT",
              "the receipt pattern cannot change once tips exist: their receipts would stop working",
              "body.receiptPattern",
            )
          }
        }
        const languages = body.languages
        if (languages && !languages.enabled.includes(languages.default)) {
          throw new RelayError(
            "VALIDATION",
            "the default language must be one of the enabled languages",
            "body.languages.default",
          )
        }
        const { logoText, smtp, mailTemplates, ...kept } = node
        const nextLogo = body.logoText === undefined ? logoText : (body.logoText ?? undefined)
        const nextSmtp =
          body.smtp === undefined ? smtp : nextSmtpSettings(smtp, body.smtp, secretBox(ctx))
        const nextTemplates = editTemplates(mailTemplates, body.mailTemplates)
        const next: NodeSettings = {
          ...kept,
          ...(nextLogo === undefined ? {} : { logoText: nextLogo }),
          ...(nextSmtp === undefined ? {} : { smtp: nextSmtp }),
          ...(nextTemplates === undefined ? {} : { mailTemplates: nextTemplates }),
          ...(body.passwordPolicy === undefined ? {} : { passwordPolicy: body.passwordPolicy }),
          ...(languages === undefined ? {} : { languages }),
          ...(body.name === undefined ? {} : { name: body.name }),
          idleTimeouts: { ...node.idleTimeouts, ...body.idleTimeouts },
          ...(body.powDifficulty === undefined ? {} : { powDifficulty: body.powDifficulty }),
          ...(body.tipPolicy === undefined ? {} : { tipPolicy: body.tipPolicy }),
          ...(body.quotas === undefined ? {} : { quotas: { ...node.quotas, ...body.quotas } }),
          ...(body.expiryDays === undefined ? {} : { expiryDays: body.expiryDays }),
          twoFactorRequired: { ...node.twoFactorRequired, ...body.twoFactorRequired },
          receipt: pattern === undefined ? node.receipt : { ...node.receipt, pattern },
        }
        const { manifest: signed, ...rest } = next
        const served = signedManifestFor(node, rest, body.manifest, oprfKeys(ctx).publicIds())
        const batch = store.batch().put("settings", "node", { ...rest, manifest: served })
        const actor = session?.kind === "staff" ? session.userId : "unknown"
        ctx.audit.add(batch, {
          actor,
          action: "settings.update",
          details: { fields: changed.sort().join(",") },
        })
        if (served !== signed) {
          ctx.audit.add(batch, {
            actor,
            action: "node.manifest",
            target: "node",
            details: { version: served.body.version },
          })
        }
        await batch.write()
        // The next queued mail goes out with the new SMTP settings (the runner rebuilds its
        // transport); queueMail learns now whether mail is on.
        noteSmtpSettings(ctx, next)
        return settingsView({ ...rest, manifest: served })
      }),
    ),

    bind(listAudit, async ({ query }) => ({
      entries: await ctx.audit.list(query.limit ?? 100, query.before),
    })),
  ]
}

/**
 * The manifest to serve after a settings change: the admin's re-signed one (checked against the
 * new settings), or the stored one when the change leaves everything it covers as it was.
 * @throws RelayError `MANIFEST_REQUIRED` (a covered field changed and no manifest came),
 * `BAD_MANIFEST`, `STALE_MANIFEST`.
 */
function signedManifestFor(
  node: NodeSettings,
  next: Omit<NodeSettings, "manifest">,
  sent: SignedNodeManifest | undefined,
  oprf: readonly string[],
): SignedNodeManifest {
  if (sent === undefined) {
    const stale = outOfStep(node.manifest.body, next)
    if (stale.length > 0) {
      const field = stale[0] ?? "body"
      throw new RelayError(
        "MANIFEST_REQUIRED",
        `"${field}" is covered by the signed node manifest: send it re-signed by the node key (version ${node.manifest.body.version + 1}) in "body.manifest"`,
        field,
      )
    }
    return node.manifest
  }
  checkManifestFor("body.manifest", sent, {
    signer: node.signingPublicKey,
    storedVersion: node.manifest.body.version,
    escrow: node.escrow.enabled ? (node.escrow.recipient ?? null) : null,
    receipt: next.receipt,
    name: next.name,
    powDifficulty: next.powDifficulty,
    oprf,
    oprfRequired: node.manifest.body.oprf !== undefined,
  })
  return sent
}

type SmtpPatch = Omit<SmtpSettingsRecord, "password" | "sealedPassword"> & {
  readonly password?: string
}

/**
 * The SMTP settings after `patch` (null removes them). A patch without a password keeps the
 * stored one when it names a user; the password is stored sealed with `box`, never in the clear.
 * @throws RelayError VALIDATION (body.smtp.password) for a user without any password.
 */
function nextSmtpSettings(
  stored: SmtpSettingsRecord | undefined,
  patch: SmtpPatch | null,
  box: SecretBox,
): SmtpSettingsRecord | undefined {
  if (patch === null) return undefined
  const { password, user, ...rest } = patch
  if (user === undefined) return rest
  // A legacy clear password is sealed on this save.
  const kept = stored?.sealedPassword ?? (stored?.password ? box.seal(stored.password) : undefined)
  const sealedPassword = password !== undefined ? box.seal(password) : kept
  if (sealedPassword === undefined) {
    throw new RelayError(
      "VALIDATION",
      '"body.smtp.password" is required with a user name',
      "body.smtp.password",
    )
  }
  return { ...rest, user, sealedPassword }
}

/**
 * The edited templates after `patch` (per kind: a template to check and store, or null for the
 * default). @throws RelayError VALIDATION naming `body.mailTemplates.<kind>.subject|text`.
 */
function editTemplates(
  stored: Readonly<Record<string, MailTemplateRecord>> | undefined,
  patch: Partial<Record<TemplateName, MailTemplateRecord | null>> | undefined,
): Readonly<Record<string, MailTemplateRecord>> | undefined {
  if (patch === undefined) return stored
  const next: Record<string, MailTemplateRecord> = { ...stored }
  for (const [kind, edit] of Object.entries(patch) as [TemplateName, MailTemplateRecord | null][]) {
    if (edit === null) {
      delete next[kind]
      continue
    }
    checkTemplate(`body.mailTemplates.${kind}`, kind, edit)
    next[kind] = { subject: edit.subject, text: edit.text }
  }
  return Object.keys(next).length > 0 ? next : undefined
}
