import {
  decideIdentityRequest,
  getTipIdentity,
  listIdentityRequests,
  requestIdentity,
} from "@sotto/protocol/identity"
import type { RouteGroup } from "../context.js"
import { bind } from "../http/router.js"
import {
  decideIdentityRequestFor,
  identityFor,
  requestIdentityFor,
  requestsForCustodian,
} from "../services/identity.js"
import { requireHeldTip } from "../services/tips.js"

/** Handlers of a whistleblower's identity behind a custodian (issue 17). */
export const identityRoutes: RouteGroup = (ctx) => [
  bind(getTipIdentity, async ({ params, session }) => {
    const { userId } = await requireHeldTip(ctx, session, params.tipId)
    return identityFor(ctx, params.tipId, userId)
  }),

  bind(requestIdentity, async ({ params, body, session }) => {
    const { userId } = await requireHeldTip(ctx, session, params.tipId)
    const request = await requestIdentityFor(ctx, params.tipId, userId, body.reason)
    return {
      id: request.id,
      tipId: request.tipId,
      requester: request.requester,
      reason: { ...request.reason, to: [...request.reason.to] },
      createdAt: request.createdAt,
      state: request.state,
    }
  }),

  bind(listIdentityRequests, async ({ session }) => {
    const userId = session?.kind === "staff" ? session.userId : ""
    return { requests: await requestsForCustodian(ctx, userId) }
  }),

  bind(decideIdentityRequest, async ({ params, body, session }) => {
    const userId = session?.kind === "staff" ? session.userId : ""
    const r = await decideIdentityRequestFor(ctx, params.tipId, params.requestId, userId, body)
    return {
      id: r.id,
      tipId: r.tipId,
      requester: r.requester,
      reason: { ...r.reason, to: [...r.reason.to] },
      createdAt: r.createdAt,
      state: r.state,
      ...(r.decidedBy === undefined ? {} : { decidedBy: r.decidedBy }),
      ...(r.decidedAt === undefined ? {} : { decidedAt: r.decidedAt }),
    }
  }),
]
