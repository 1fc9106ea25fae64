import { recoveryChallenge, recoveryVerify } from "@sotto/protocol/recovery"
import type { RelayContext } from "../context.js"
import { RelayError } from "../errors.js"
import { type BoundRoute, bind } from "../http/router.js"
import { decodeBytes } from "../services/accountChecks.js"
import { mailDateTime, queueMail, renderMail } from "../services/mail.js"
import { requireNode } from "../services/nodeSettings.js"
import { RecoveryChallenges } from "../services/recoveryChallenge.js"
import { activeFactors, getFactors, proofMethods } from "../services/secondFactors.js"
import type { StaffStage } from "../services/session.js"
import { keyMaterial } from "../services/staffAuth.js"
import { findUserByName, getUser, normaliseLoginName, type Serial } from "../services/users.js"

/** The login guard's key for an account's recovery answers (apart from passwords and codes). */
export function recoveryGuardKey(username: string): string {
  // Upper case: no typed login name (always lower-cased) can collide with it.
  return `RECOVERY/${username}`
}

/**
 * `POST /auth/recovery/challenge` and `POST /auth/recovery/verify`: the forgotten-password login
 * with the recovery key (SPEC §3). The relay never sees the key: it seals a nonce to the account's
 * public recovery recipient, and only the key's holder can send it back.
 */
export function recoveryRoutes(ctx: RelayContext, lock: Serial): BoundRoute[] {
  const { store } = ctx
  const challenges = new RecoveryChallenges(ctx.clock, ctx.coordinator)
  const refused = () =>
    new RelayError(
      "WRONG_CREDENTIALS",
      "wrong recovery key or expired challenge; ask for a new challenge",
      "body.nonce",
    )

  return [
    bind(recoveryChallenge, async ({ body }) => {
      await requireNode(store)
      const username = normaliseLoginName(body.username)
      const user = await findUserByName(store, username)
      const recipient = user && !user.disabled ? user.sealedIdentity?.to.recovery : undefined
      // Unknown, disabled or identity-less: a decoy of the same shape (no user enumeration).
      const target = user && recipient ? { userId: user.id, recipient } : undefined
      const issued = await challenges.issue(target)
      // Never the typed name of an unknown account (as for failed logins).
      await ctx.audit.record({
        actor: target?.userId ?? "unknown",
        action: "recovery.challenge",
        ...(target ? { target: target.userId } : {}),
      })
      return issued
    }),

    bind(recoveryVerify, async ({ body }) => {
      const node = await requireNode(store)
      const nonce = decodeBytes("body.nonce", body.nonce, 32)
      const userId = await challenges.userIdOf(body.challengeId)
      // An id this relay did not make names no account to count against; it is refused all the same.
      if (userId === undefined) throw refused()
      const account = await getUser(store, userId)
      // A decoy's random id is counted in memory, like any name nobody holds.
      const guardKey = recoveryGuardKey(account ? account.username : `?${userId}`)
      const result = await ctx.loginGuard.attempt(
        guardKey,
        () =>
          lock(async () => {
            const answered = await challenges.answer(body.challengeId, nonce)
            const user = answered ? await getUser(store, answered.userId) : undefined
            if (!answered?.ok || !user || user.disabled || !user.sealedIdentity) {
              await ctx.audit.record({
                actor: user?.id ?? "unknown",
                action: "recovery.failure",
                ...(user ? { target: user.id } : {}),
                details: { reason: answered?.ok ? "account" : "answer" },
              })
              return undefined
            }
            const factors = await getFactors(store, user.id)
            // The recovery key replaces the password, not the second factor.
            const stage: StaffStage =
              activeFactors(factors).length > 0 ? "second-factor" : "password-change"
            const batch = store.batch()
            const { token } = ctx.sessions.createIn(batch, {
              kind: "staff",
              userId: user.id,
              role: user.role,
              stage,
              recovered: true,
            })
            ctx.audit.add(batch, {
              actor: user.id,
              action: "recovery.login",
              target: user.id,
              details: { stage },
            })
            // Tells the owner, so a recovery they did not make does not go unnoticed.
            if (user.email) {
              const values = { node: node.name, date: mailDateTime(ctx.clock.now()) }
              const mail = renderMail("accountRecovered", values)
              queueMail(ctx, batch, { ...mail, to: user.email, userId: user.id })
            }
            await batch.write()
            return {
              session: token,
              stage,
              user: { id: user.id, username: user.username, name: user.name, role: user.role },
              ...(stage === "second-factor"
                ? { methods: proofMethods(factors) }
                : keyMaterial(user)),
              kdf: user.kdf,
            }
          }),
        { known: account !== undefined },
      )
      if (result === undefined) throw refused()
      return result
    }),
  ]
}
