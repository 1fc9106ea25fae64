import { ALL_SPECS, PROTOCOL_VERSION } from "@sotto/protocol"
import { buildOpenApi } from "@sotto/protocol/openapi"
import { getHealth, getOpenApi } from "@sotto/protocol/system"
import type { RouteGroup } from "../context.js"
import { bind } from "../http/router.js"
import { mailOn } from "../services/mail.js"

/** Health and the OpenAPI document. */
export const systemRoutes: RouteGroup = (ctx) => {
  const openapi = buildOpenApi(ALL_SPECS, PROTOCOL_VERSION)
  return [
    bind(getHealth, async () => ({
      ok: true as const,
      setUp: (await ctx.store.get("settings", "node")) !== undefined,
      mail: mailOn(ctx),
      version: PROTOCOL_VERSION,
    })),
    bind(getOpenApi, async () => openapi),
  ]
}
