import { getStats } from "@sotto/protocol/stats"
import type { RouteGroup } from "../context.js"
import { bind } from "../http/router.js"
import { diskGuard } from "../services/diskGuard.js"
import { tipStats, weekStart } from "../services/tipCounters.js"

const WEEK = 7 * 24 * 60 * 60_000

/**
 * Handler of `GET /admin/stats`: from the counters kept beside the tips (services/tipCounters.ts),
 * never from the tip records themselves; counts only, no content.
 */
export const adminStatsRoutes: RouteGroup = (ctx) => [
  bind(getStats, async ({ query }) => {
    const since = weekStart(ctx.clock.now()) - ((query.weeks ?? 12) - 1) * WEEK
    return {
      since,
      ...(await tipStats(ctx, since, ctx.clock.now())),
      disk: await diskGuard(ctx).state(),
    }
  }),
]
