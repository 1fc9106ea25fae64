import { listMailFailures, sendTestMail } from "@sotto/protocol/admin"
import type { RelayContext, RouteGroup } from "../context.js"
import { RelayError } from "../errors.js"
import { bind } from "../http/router.js"
import type { AuditEntry } from "../services/audit.js"
import { mailOn, mailTarget, queueMail, renderMail } from "../services/mail.js"
import type { NodeSettings } from "../services/records.js"

// The audit log has no index by action, so failures are found by scanning it newest first.
const SCAN_PAGE = 500

/** Handlers of the "admin" group: the mail failure list and the test mail. */
export const adminRoutes: RouteGroup = (ctx) => [
  bind(listMailFailures, async ({ query }) => ({
    failures: (await recentMailFailures(ctx, query.limit ?? 50)).map((e) => ({
      id: e.id,
      at: e.at,
      target: e.target ?? "",
      attempts: Number(e.details?.attempts ?? 0),
      template: String(e.details?.template ?? ""),
      error: String(e.details?.error ?? ""),
    })),
  })),

  bind(sendTestMail, async ({ body, session }) => {
    if (!mailOn(ctx)) {
      throw new RelayError("CONFLICT", "mail is off: enter the SMTP settings (or set SMTP_URL)")
    }
    const node = (await ctx.store.get<NodeSettings>("settings", "node"))?.name ?? "Sotto"
    const batch = ctx.store.batch()
    queueMail(ctx, batch, { ...renderMail("test", { node }), to: body.to })
    ctx.audit.add(batch, {
      actor: session?.kind === "staff" ? session.userId : "unknown",
      action: "mail.test",
      target: mailTarget(body.to),
    })
    await batch.write()
    return { queued: true as const }
  }),
]

/** Up to `limit` `mail.failed` audit entries, newest first. */
async function recentMailFailures(ctx: RelayContext, limit: number): Promise<AuditEntry[]> {
  const found: AuditEntry[] = []
  let before: string | undefined
  for (;;) {
    const page = await ctx.store.list<AuditEntry>("audit", {
      reverse: true,
      limit: SCAN_PAGE,
      ...(before === undefined ? {} : { lt: before }),
    })
    for (const [, entry] of page) {
      if (entry.action !== "mail.failed") continue
      found.push(entry)
      if (found.length === limit) return found
    }
    if (page.length < SCAN_PAGE) return found
    before = page[page.length - 1]?.[0]
  }
}
