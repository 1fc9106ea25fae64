import { toBase64url } from "@sotto/crypto-core"
import { getOprfKeys, oprfEvaluate } from "@sotto/protocol/oprf"
import type { RouteGroup } from "../context.js"
import { bind } from "../http/router.js"
import { DEFAULT_POW_DIFFICULTY } from "../services/nodeSettings.js"
import { oprfGuard } from "../services/oprfGuard.js"
import { manifestOprfOf, oprfKeys } from "../services/oprfKeys.js"
import { powGate } from "../services/pow.js"
import type { NodeSettings } from "../services/records.js"

/** The relay's OPRF: its public keys and the evaluation of blinded elements (SPEC §16). */
export const oprfRoutes: RouteGroup = (ctx) => [
  bind(getOprfKeys, async () => manifestOprfOf(oprfKeys(ctx))),

  bind(oprfEvaluate, async ({ body }) => {
    const guard = oprfGuard(ctx)
    const { pow, ...paidFor } = body
    // Before setup the first admin's password goes through here too, at the default price.
    const node = await ctx.store.get<NodeSettings>("settings", "node")
    const base = node?.powDifficulty ?? DEFAULT_POW_DIFFICULTY
    // One step of slack, as for receipt logins: a proof solved while the price rose once counts.
    const required = Math.max(0, guard.extraBits() - guard.policy.stepBits)
    powGate(ctx).redeem(pow, oprfEvaluate.id, paidFor, base + required)
    guard.record()
    const blinded = Buffer.from(body.blinded, "base64url")
    const evaluation = oprfKeys(ctx).evaluate(blinded, body.key)
    return {
      evaluated: toBase64url(evaluation.evaluated),
      proof: toBase64url(evaluation.proof),
      key: toBase64url(evaluation.publicKey),
    }
  }),
]
