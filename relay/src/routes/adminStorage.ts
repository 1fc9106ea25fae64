import { getStorage } from "@sotto/protocol/storage"
import type { RouteGroup } from "../context.js"
import { bind } from "../http/router.js"
import { diskGuard } from "../services/diskGuard.js"
import type { NodeSettings } from "../services/records.js"
import { quotasOf, readUsage } from "../services/storageUsage.js"

/**
 * Handler of `GET /admin/storage`: the usage records kept beside the tips (one read per channel
 * that holds tips, never a scan of tips or comments), the budgets and the disk watermark.
 */
export const adminStorageRoutes: RouteGroup = (ctx) => [
  bind(getStorage, async () => {
    const quotas = quotasOf(await ctx.store.get<NodeSettings>("settings", "node"))
    const { node, contexts } = await readUsage(ctx.store)
    return {
      node: { ...node, budgetBytes: quotas.nodeBytes },
      contexts: contexts.map((c) => ({ ...c, budgetBytes: quotas.contextBytes })),
      tipFileBytes: quotas.tipFileBytes,
      disk: await diskGuard(ctx).state(),
    }
  }),
]
