import { resetSecondFactors } from "@sotto/protocol/twoFactor"
import type { RelayContext } from "../context.js"
import { RelayError } from "../errors.js"
import { type BoundRoute, bind } from "../http/router.js"
import { mailDateTime, queueMail, renderMail } from "../services/mail.js"
import { requireNode } from "../services/nodeSettings.js"
import { activeFactors, deleteFactors, getFactors } from "../services/secondFactors.js"
import { staffSession, withReauth } from "../services/staffAuth.js"
import { requireUser, type Serial } from "../services/users.js"

/**
 * `POST /users/:userId/2fa-reset`: an admin removes a user's second factors (a lost phone), after
 * re-authenticating. The user's sessions end; the reset is audited and mailed to the user.
 */
export function twoFactorAdminRoutes(ctx: RelayContext, lock: Serial): BoundRoute[] {
  const { store } = ctx
  return [
    bind(resetSecondFactors, ({ params, body, session }) => {
      const admin = staffSession(session)
      return withReauth(ctx, lock, admin.userId, body.currentAuthKey, async () => {
        const user = await requireUser(store, params.userId)
        const record = await getFactors(store, user.id)
        const factors = [
          ...activeFactors(record),
          ...(record?.totp?.active === false ? ["totp-pending"] : []),
        ]
        if (factors.length === 0) {
          throw new RelayError("CONFLICT", "this account has no second factor to reset")
        }
        const node = await requireNode(store)
        const batch = store.batch()
        deleteFactors(batch, user.id)
        // An admin resetting their own factors keeps the session they did it from.
        const keep = user.id === admin.userId ? admin.key : undefined
        const ended = await ctx.sessions.endAllForIn(batch, user.id, keep)
        const mailed =
          user.email !== undefined &&
          queueMail(ctx, batch, {
            ...renderMail("secondFactorReset", {
              node: node.name,
              date: mailDateTime(ctx.clock.now()),
            }),
            to: user.email,
            userId: user.id,
          })
        ctx.audit.add(batch, {
          actor: admin.userId,
          action: "2fa.reset",
          target: user.id,
          details: { factors: factors.join(","), endedSessions: ended, mailed },
        })
        await batch.write()
        return { ok: true as const }
      })
    }),
  ]
}
