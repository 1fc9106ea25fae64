import { checkAuthKey, fromBase64url } from "@sotto/crypto-core"
import type { RelayContext } from "../context.js"
import { RelayError } from "../errors.js"
import { checkCodeFormat, factorGuardKey, guardedCodeCheck, proveLogin } from "./factorProof.js"
import { requireNode } from "./nodeSettings.js"
import { getFactors, putFactors, stageAfterFactor } from "./secondFactors.js"
import type { StaffStage } from "./session.js"
import { keyMaterial } from "./staffAuth.js"
import { findUserByName, type Serial } from "./users.js"

// The login with password and second-factor code in one request: how an owner gets in while
// someone who knows only the username keeps the password count locked (relay/README.md
// "Account lockout"). The code is checked first, under the second-factor count; only a right code
// lets the password be checked, so the lock bypass gives no password-guessing oracle.

/** A code sent with the password. */
export interface LoginFactor {
  readonly method: "totp" | "backup"
  readonly code: string
}

/**
 * Logs in with `authKey` and a second-factor `factor` at once, past a password lock. The session
 * starts where a second-factor verify would leave it (`full`, or `password-change`…).
 * @throws RelayError WRONG_CODE / CODE_REUSED / LOCKED (second-factor count) for the code,
 *   WRONG_CREDENTIALS for an unknown account or a wrong password (counted as a password failure),
 *   VALIDATION for a code of the wrong shape.
 */
export async function loginWithFactor(
  ctx: RelayContext,
  lock: Serial,
  username: string,
  authKey: Uint8Array,
  factor: LoginFactor,
) {
  checkCodeFormat(factor.method, factor.code)
  const account = await findUserByName(ctx.store, username)
  if (!account || account.disabled) {
    // No account: the code is "wrong", counted in memory like a wrong code on a real one.
    await ctx.loginGuard.attempt(factorGuardKey(`?${username}`), async () => undefined, {
      known: false,
    })
    throw new RelayError("WRONG_CODE", "wrong or expired code", "body.secondFactor.code")
  }
  const args = { userId: account.id, method: factor.method, field: "body.secondFactor.code" }
  const outcome = await guardedCodeCheck(ctx, lock, args, async () => {
    const factors = await getFactors(ctx.store, account.id)
    const proof = proveLogin(factors, factor.method, factor.code, ctx.clock.now())
    if (!proof.ok) return proof
    const user = (await findUserByName(ctx.store, username)) ?? account
    const batch = ctx.store.batch()
    // The code is spent even when the password turns out wrong: it was proven once.
    putFactors(batch, proof.next)
    if (!checkAuthKey(authKey, fromBase64url("authVerifier", user.authVerifier))) {
      ctx.audit.add(batch, {
        actor: user.id,
        action: "login.failure",
        target: user.id,
        details: { reason: "key", bypass: true },
      })
      await batch.write()
      return { value: undefined }
    }
    const node = await requireNode(ctx.store)
    const stage: StaffStage = stageAfterFactor(user, proof.next, node)
    const { token } = ctx.sessions.createIn(batch, {
      kind: "staff",
      userId: user.id,
      role: user.role,
      stage,
    })
    ctx.audit.add(batch, {
      actor: user.id,
      action: "login.success",
      details: { stage, method: factor.method, bypass: true },
    })
    await batch.write()
    return {
      value: {
        session: token,
        stage,
        user: { id: user.id, username: user.username, name: user.name, role: user.role },
        ...keyMaterial(user),
        kdf: user.kdf,
      },
    }
  })
  if (outcome === undefined) {
    await ctx.loginGuard.recordFailure(username, { known: true })
    throw new RelayError("WRONG_CREDENTIALS", "wrong username or password")
  }
  await ctx.loginGuard.reset(username, { known: true })
  return outcome
}
