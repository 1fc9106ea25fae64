import { checkAuthKey, fromBase64url, type WrappedKey } from "@sotto/crypto-core"
import type { RelayContext } from "../context.js"
import { RelayError } from "../errors.js"
import { decodeBytes } from "./accountChecks.js"
import type { UserRecord } from "./records.js"
import type { Session } from "./session.js"
import { requireUser, type Serial } from "./users.js"

// Helpers shared by the staff login, second-factor and admin handlers.

/** A staff session, narrowed from {@link Session}. */
export type StaffSession = Extract<Session, { kind: "staff" }>

/** Narrows the router's session to a staff one (the access level already let only staff in). */
export function staffSession(session: Session | undefined): StaffSession {
  if (session?.kind !== "staff") throw new RelayError("FORBIDDEN", "this needs a staff session")
  return session
}

/** A stored wrap as the wire takes it (stored records are readonly; the wire types are not). */
export function wireWrap(wrap: WrappedKey): { v: 1; to: string[]; age: string } {
  return { v: wrap.v, to: [...wrap.to], age: wrap.age }
}

/**
 * The encrypted key material a login hands out: the sealed identity and an admin's wraps. Only
 * once every factor is proven: a password alone must not yield even the ciphertext of the keys.
 */
export function keyMaterial(user: UserRecord) {
  return {
    ...(user.sealedIdentity ? { sealedIdentity: user.sealedIdentity } : {}),
    ...(user.escrowWrap ? { escrowWrap: wireWrap(user.escrowWrap) } : {}),
    ...(user.signingKeyWrap ? { signingKeyWrap: wireWrap(user.signingKeyWrap) } : {}),
  }
}

/**
 * Re-authentication for a sensitive action: checks `currentAuthKey` (base64url, from
 * `body.currentAuthKey`) against the account of `userId` under the login guard (a wrong key counts
 * like a failed login) and the accounts lock, then runs `work` with the fresh record.
 * @throws RelayError WRONG_CREDENTIALS for a wrong key, LOCKED while the account is locked,
 *   VALIDATION for a key that is not 32 bytes, and whatever `work` throws.
 */
export async function withReauth<T>(
  ctx: RelayContext,
  lock: Serial,
  userId: string,
  currentAuthKey: string,
  work: (user: UserRecord) => Promise<T>,
): Promise<T> {
  const key = decodeBytes("body.currentAuthKey", currentAuthKey, 32)
  const account = await requireUser(ctx.store, userId)
  const result = await ctx.loginGuard.attempt(
    account.username,
    () =>
      lock(async () => {
        const user = await requireUser(ctx.store, userId)
        if (!checkAuthKey(key, fromBase64url("authVerifier", user.authVerifier))) {
          await ctx.audit.record({ actor: user.id, action: "reauth.failure", target: user.id })
          return undefined
        }
        return { value: await work(user) }
      }),
    { known: true },
  )
  if (result === undefined) {
    throw new RelayError("WRONG_CREDENTIALS", "wrong password", "body.currentAuthKey")
  }
  return result.value
}
