import type { Static } from "@sinclair/typebox"
import type { UserView } from "@sotto/protocol/accountSchemas"
import {
  createUser,
  deleteUser,
  getUserSealedIdentity,
  listUsers,
  resetUserWithEscrow,
  setAdminWraps,
  updateUser,
} from "@sotto/protocol/accounts"
import type { RelayContext } from "../context.js"
import { RelayError } from "../errors.js"
import { type BoundRoute, bind } from "../http/router.js"
import { checkKdf, checkWrap, decodeBytes } from "../services/accountChecks.js"
import { quorumPolicy, refuseUnderQuorum } from "../services/escrowQuorum.js"
import { addEscrowReset } from "../services/escrowReset.js"
import { newId } from "../services/ids.js"
import { mailDateTime, queueMail, renderMail } from "../services/mail.js"
import { requireNode } from "../services/nodeSettings.js"
import { oprfRuleOf } from "../services/oprfKeys.js"
import type { UserRecord } from "../services/records.js"
import { activeFactors, getFactors } from "../services/secondFactors.js"
import type { Session } from "../services/session.js"
import { staffSession, withReauth } from "../services/staffAuth.js"
import * as users from "../services/users.js"

/**
 * Admin account management: list, create, update, delete, escrow reset, admin key wraps. Delete
 * and escrow reset re-authenticate the admin (`withReauth`, like the second-factor reset).
 */
export function accountsAdminRoutes(ctx: RelayContext, lock: users.Serial): BoundRoute[] {
  const { store } = ctx
  return [
    bind(listUsers, async () => ({
      users: await Promise.all(
        (await users.listUsers(store))
          .sort((a, b) => (a.username < b.username ? -1 : 1))
          .map(async (u) => ({
            ...userView(u),
            twoFactor: activeFactors(await getFactors(store, u.id)).length > 0,
          })),
      ),
    })),

    bind(createUser, ({ body, session }) =>
      lock(async () => {
        await requireNode(store)
        const kdf = checkKdf(
          "body.kdf",
          body.kdf,
          oprfRuleOf(ctx, (await requireNode(store)).manifest),
        )
        decodeBytes("body.authVerifier", body.authVerifier, 32)
        if (await users.findUserByName(store, body.username)) {
          throw new RelayError("CONFLICT", "this username is taken", "body.username")
        }
        const user: UserRecord = {
          id: newId(),
          username: body.username,
          name: body.name,
          ...(body.email === undefined ? {} : { email: body.email }),
          role: body.role,
          disabled: false,
          createdAt: ctx.clock.now(),
          kdf,
          authVerifier: body.authVerifier,
          mustChangePassword: true,
          ...(body.certification === undefined ? {} : { certification: body.certification }),
        }
        if (body.certification && body.certification.body.username !== body.username) {
          throw new RelayError(
            "VALIDATION",
            `"body.certification" must name "body.username"`,
            "body.certification.body.username",
          )
        }
        const batch = store.batch()
        users.putUser(batch, user)
        ctx.audit.add(batch, {
          actor: actorOf(session),
          action: "user.create",
          target: user.id,
          details: { role: user.role },
        })
        await batch.write()
        return { id: user.id }
      }),
    ),

    bind(updateUser, ({ params, body, session }) =>
      lock(async () => {
        const user = await users.requireUser(store, params.userId)
        const changed = Object.keys(body)
        if (changed.length === 0) throw new RelayError("VALIDATION", "nothing to change", "body")
        const demoted = body.role !== undefined && body.role !== "admin" && user.role === "admin"
        const disabling = body.disabled === true && !user.disabled
        if (demoted) await users.keepOneAdmin(store, user, "demoted")
        if (disabling) await users.keepOneAdmin(store, user, "disabled")
        const { email: _email, escrowWrap, signingKeyWrap, ...rest } = user
        const email = body.email === undefined ? user.email : (body.email ?? undefined)
        const next: UserRecord = {
          ...rest,
          ...(body.name === undefined ? {} : { name: body.name }),
          ...(email === undefined ? {} : { email }),
          ...(body.role === undefined ? {} : { role: body.role }),
          ...(body.disabled === undefined ? {} : { disabled: body.disabled }),
          // A demoted admin loses the node key wraps; otherwise they stay as they were.
          ...(!demoted && escrowWrap ? { escrowWrap } : {}),
          ...(!demoted && signingKeyWrap ? { signingKeyWrap } : {}),
        }
        const batch = store.batch()
        users.putUser(batch, next)
        // Sessions carry the role they started with, so a role change must end them too.
        const ended =
          disabling || next.role !== user.role ? await ctx.sessions.endAllForIn(batch, user.id) : 0
        ctx.audit.add(batch, {
          actor: actorOf(session),
          action: "user.update",
          target: user.id,
          details: {
            fields: changed.sort().join(","),
            role: next.role,
            disabled: next.disabled,
            endedSessions: ended,
          },
        })
        await batch.write()
        return userView(next)
      }),
    ),

    // Re-authenticated like the 2FA reset: a wrong key is 401, counted by the login guard, and
    // audited `reauth.failure`; nothing is deleted.
    bind(deleteUser, ({ params, body, session }) => {
      const admin = staffSession(session)
      return withReauth(ctx, lock, admin.userId, body.currentAuthKey, async () => {
        const user = await users.requireUser(store, params.userId)
        await users.keepOneAdmin(store, user, "deleted")
        const batch = store.batch()
        users.deleteUser(batch, user)
        const ended = await ctx.sessions.endAllForIn(batch, user.id)
        // The user's tip wraps are left to the tips group: without the account they open nothing.
        ctx.audit.add(batch, {
          actor: admin.userId,
          action: "user.delete",
          target: user.id,
          details: { username: user.username, endedSessions: ended },
        })
        await batch.write()
        return { ok: true as const }
      })
    }),

    // Handing the sealed identity to an escrow holder is the escrow's use: re-authenticated,
    // audited and mailed to the owner (protocol v2, issue 10 attack 8).
    bind(getUserSealedIdentity, ({ params, body, session }) => {
      const admin = staffSession(session)
      return withReauth(ctx, lock, admin.userId, body.currentAuthKey, async () => {
        const node = await requireNode(store)
        const user = await users.requireUser(store, params.userId)
        if (!user.sealedIdentity) {
          throw new RelayError("CONFLICT", "this account has no identity yet (first login pending)")
        }
        const batch = store.batch()
        ctx.audit.add(batch, { actor: admin.userId, action: "escrow.read", target: user.id })
        if (user.email) {
          const values = { node: node.name, date: mailDateTime(ctx.clock.now()) }
          const mail = renderMail("escrowRead", values)
          queueMail(ctx, batch, { ...mail, to: user.email, userId: user.id })
        }
        await batch.write()
        return { sealedIdentity: user.sealedIdentity, params: user.kdf.params }
      })
    }),

    bind(resetUserWithEscrow, ({ params, body, session }) => {
      const admin = staffSession(session)
      return withReauth(ctx, lock, admin.userId, body.currentAuthKey, async () => {
        await refuseUnderQuorum(store)
        const { currentAuthKey: _key, ...reset } = body
        const batch = store.batch()
        await addEscrowReset(ctx, batch, admin.userId, params.userId, reset)
        await batch.write()
        return { ok: true as const }
      })
    }),

    bind(setAdminWraps, ({ params, body, session }) =>
      lock(async () => {
        const node = await requireNode(store)
        const user = await users.requireUser(store, params.userId)
        if (user.role !== "admin") throw new RelayError("CONFLICT", "this account is not an admin")
        if (!user.publicKey) {
          throw new RelayError("CONFLICT", "this admin has not made an identity yet (first login)")
        }
        checkWrap("body.signingKeyWrap", body.signingKeyWrap, user.publicKey)
        // Under a k-of-n policy nobody holds the whole escrow key, so no admin gets a wrap of it.
        const wrapped = node.escrow.enabled && (await quorumPolicy(store)) === undefined
        if (wrapped !== (body.escrowWrap !== undefined)) {
          const why = wrapped
            ? "is required: escrow is on"
            : node.escrow.enabled
              ? "must be absent: the escrow key is split among admins (k-of-n)"
              : "must be absent: no escrow"
          throw new RelayError("VALIDATION", `"body.escrowWrap" ${why}`, "body.escrowWrap")
        }
        if (body.escrowWrap) checkWrap("body.escrowWrap", body.escrowWrap, user.publicKey)
        const batch = store.batch()
        users.putUser(batch, {
          ...user,
          signingKeyWrap: body.signingKeyWrap,
          ...(body.escrowWrap ? { escrowWrap: body.escrowWrap } : {}),
        })
        ctx.audit.add(batch, {
          actor: actorOf(session),
          action: "user.admin-wraps",
          target: user.id,
        })
        await batch.write()
        return { ok: true as const }
      }),
    ),
  ]
}

/** What admins see of an account. */
function userView(u: UserRecord): Static<typeof UserView> {
  return {
    id: u.id,
    username: u.username,
    name: u.name,
    ...(u.email === undefined ? {} : { email: u.email }),
    role: u.role,
    disabled: u.disabled,
    createdAt: u.createdAt,
    ...(u.publicKey === undefined ? {} : { publicKey: u.publicKey }),
    ...(u.signer === undefined ? {} : { signer: u.signer }),
    mustChangePassword: u.mustChangePassword,
    ...(u.role === "admin" ? { hasAdminWraps: u.signingKeyWrap !== undefined } : {}),
    ...(u.certification === undefined ? {} : { certification: u.certification }),
    ...(u.keyProof === undefined ? {} : { keyProof: u.keyProof }),
  }
}

function actorOf(session: Session | undefined): string {
  return session?.kind === "staff" ? session.userId : "unknown"
}
