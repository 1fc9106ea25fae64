import { verifySecondFactor } from "@sotto/protocol/twoFactor"
import type { RelayContext } from "../context.js"
import { RelayError } from "../errors.js"
import { type BoundRoute, bind } from "../http/router.js"
import { checkCodeFormat, guardedCodeCheck, proveLogin } from "../services/factorProof.js"
import { requireNode } from "../services/nodeSettings.js"
import { getFactors, putFactors, stageAfterFactor } from "../services/secondFactors.js"
import { keyMaterial, staffSession } from "../services/staffAuth.js"
import { requireUser, type Serial } from "../services/users.js"

/**
 * `POST /auth/2fa/verify`: the login step after the password for an account with a second factor.
 * Only here does the session get the sealed identity and the admin wraps.
 */
export function twoFactorVerifyRoutes(ctx: RelayContext, lock: Serial): BoundRoute[] {
  const { store } = ctx
  return [
    bind(verifySecondFactor, async ({ body, session }) => {
      const staff = staffSession(session)
      if (staff.stage !== "second-factor") {
        throw new RelayError("CONFLICT", "this session is not waiting for a second factor")
      }
      checkCodeFormat(body.method, body.code)
      return guardedCodeCheck(
        ctx,
        lock,
        { userId: staff.userId, method: body.method },
        async () => {
          const user = await requireUser(store, staff.userId)
          // Disabled, logged out or reset while this request waited: keep the session gone.
          if (user.disabled || !(await store.get("sessions", staff.key))) {
            throw new RelayError("UNAUTHENTICATED", "this session has ended; log in again")
          }
          const proof = proveLogin(
            await getFactors(store, user.id),
            body.method,
            body.code,
            ctx.clock.now(),
          )
          if (!proof.ok) return proof
          const node = await requireNode(store)
          const stage = stageAfterFactor(user, proof.next, node, staff.recovered)
          const backupCodesLeft = proof.next.backupCodes.length
          const batch = store.batch()
          putFactors(batch, proof.next)
          ctx.sessions.setStageIn(batch, staff, stage)
          ctx.audit.add(batch, {
            actor: user.id,
            action: "2fa.verify",
            target: user.id,
            details: { method: body.method, stage, backupCodesLeft },
          })
          await batch.write()
          return { value: { stage, ...keyMaterial(user), backupCodesLeft } }
        },
      )
    }),
  ]
}
