import { parseReceiptPattern } from "@sotto/crypto-core"
import type { RelayContext } from "../context.js"
import { RelayError } from "../errors.js"
import { type BoundRoute, bind } from "../http/router.js"
import { getSettings, listAudit, updateSettings } from "../protocol/accounts.js"
import { requireNode } from "../services/nodeSettings.js"
import type { NodeSettings } from "../services/records.js"
import type { Serial } from "../services/users.js"

/** Node settings (read and change, within the schema's bounds) and the audit log, for admins. */
export function settingsRoutes(ctx: RelayContext, lock: Serial): BoundRoute[] {
  const { store } = ctx
  return [
    bind(getSettings, () => requireNode(store)),

    bind(updateSettings, ({ body, session }) =>
      lock(async () => {
        const node = await requireNode(store)
        const changed = Object.keys(body)
        if (changed.length === 0) throw new RelayError("VALIDATION", "nothing to change", "body")
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
        const next: NodeSettings = {
          ...node,
          ...(body.name === undefined ? {} : { name: body.name }),
          idleTimeouts: { ...node.idleTimeouts, ...body.idleTimeouts },
          ...(body.powDifficulty === undefined ? {} : { powDifficulty: body.powDifficulty }),
          ...(body.expiryDays === undefined ? {} : { expiryDays: body.expiryDays }),
          twoFactorRequired: { ...node.twoFactorRequired, ...body.twoFactorRequired },
          receipt: pattern === undefined ? node.receipt : { ...node.receipt, pattern },
        }
        const batch = store.batch().put("settings", "node", next)
        ctx.audit.add(batch, {
          actor: session?.kind === "staff" ? session.userId : "unknown",
          action: "settings.update",
          details: { fields: changed.sort().join(",") },
        })
        await batch.write()
        return next
      }),
    ),

    bind(listAudit, async ({ query }) => ({
      entries: await ctx.audit.list(query.limit ?? 100, query.before),
    })),
  ]
}
