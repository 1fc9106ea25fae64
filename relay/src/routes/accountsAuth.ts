import {
  checkAuthKey,
  DEFAULT_KDF_PARAMS,
  fakeSalt,
  fromBase64url,
  toBase64url,
} from "@sotto/crypto-core"
import { changePassword, getAuthParams, getMe, login, logout } from "@sotto/protocol/accounts"
import type { RelayContext } from "../context.js"
import { RelayError } from "../errors.js"
import { type BoundRoute, bind } from "../http/router.js"
import {
  checkKdf,
  checkRecipient,
  checkSealedIdentity,
  decodeBytes,
} from "../services/accountChecks.js"
import { loginWithFactor } from "../services/lockBypass.js"
import { requireNode, requireSecrets } from "../services/nodeSettings.js"
import { oprfKeys, oprfRuleOf } from "../services/oprfKeys.js"
import type { UserRecord } from "../services/records.js"
import {
  getFactors,
  loginStage,
  proofMethods,
  stageAfterPassword,
} from "../services/secondFactors.js"
import { keyMaterial, staffSession } from "../services/staffAuth.js"
import {
  findUserByName,
  normaliseLoginName,
  putUser,
  requireUser,
  type Serial,
} from "../services/users.js"

// Compared against when the account does not exist, so a miss costs the same hash as a hit.
const NO_VERIFIER = new Uint8Array(32)

/** `GET /auth/params`, `POST /auth/login`, `POST /auth/logout`, `POST /auth/password`, `GET /me`. */
export function authRoutes(ctx: RelayContext, lock: Serial): BoundRoute[] {
  const wrongCredentials = () => new RelayError("WRONG_CREDENTIALS", "wrong username or password")

  return [
    bind(getAuthParams, async ({ query }) => {
      const secrets = await requireSecrets(ctx.store)
      const username = normaliseLoginName(query.username)
      const user = await findUserByName(ctx.store, username)
      if (user && !user.disabled) return user.kdf
      const salt = fakeSalt(fromBase64url("fakeSaltKey", secrets.fakeSaltKey), username)
      // As a new account on this node would answer: under the current OPRF key once the
      // manifest lists OPRF keys (until then, and for v1 accounts not yet moved, without).
      const node = await requireNode(ctx.store)
      return {
        salt: toBase64url(salt),
        params: { ...DEFAULT_KDF_PARAMS },
        ...(node.manifest.body.oprf === undefined ? {} : { oprf: oprfKeys(ctx).current.id }),
      }
    }),

    bind(login, async ({ body }) => {
      await requireNode(ctx.store)
      const username = normaliseLoginName(body.username)
      const authKey = decodeBytes("body.authKey", body.authKey, 32)
      if (body.secondFactor) return loginWithFactor(ctx, lock, username, authKey, body.secondFactor)
      // Real accounts' counts are persisted; invented names stay in a bounded map.
      const known = (await findUserByName(ctx.store, username)) !== undefined
      const result = await ctx.loginGuard.attempt(
        username,
        () =>
          lock(async () => {
            const user = await findUserByName(ctx.store, username)
            const usable = user !== undefined && !user.disabled
            const verifier = usable ? fromBase64url("authVerifier", user.authVerifier) : NO_VERIFIER
            if (!checkAuthKey(authKey, verifier) || !usable) {
              // Never the typed name of an unknown account: people type passwords into that field.
              await ctx.audit.record({
                actor: user?.id ?? "unknown",
                action: "login.failure",
                ...(user ? { target: user.id } : {}),
                details: {
                  reason: user === undefined ? "unknown" : user.disabled ? "disabled" : "key",
                },
              })
              return undefined
            }
            const factors = await getFactors(ctx.store, user.id)
            const stage = loginStage(user, factors, await requireNode(ctx.store))
            const batch = ctx.store.batch()
            const { token } = ctx.sessions.createIn(batch, {
              kind: "staff",
              userId: user.id,
              role: user.role,
              stage,
            })
            ctx.audit.add(batch, { actor: user.id, action: "login.success", details: { stage } })
            await batch.write()
            return {
              session: token,
              stage,
              user: { id: user.id, username: user.username, name: user.name, role: user.role },
              // A password alone yields no key material while a second factor is due.
              ...(stage === "second-factor"
                ? { methods: proofMethods(factors) }
                : keyMaterial(user)),
              kdf: user.kdf,
            }
          }),
        { known },
      )
      if (result === undefined) throw wrongCredentials()
      return result
    }),

    bind(logout, async ({ session }) => {
      if (!session) throw new RelayError("UNAUTHENTICATED", "there is no session to end")
      await ctx.sessions.end(session)
      return { ok: true as const }
    }),

    bind(changePassword, async ({ body, session }) => {
      const staff = staffSession(session)
      if (staff.stage === "second-factor") {
        throw new RelayError("SECOND_FACTOR_REQUIRED", "complete the second factor first")
      }
      // A session opened with the recovery key proved the account without its password.
      const recovered = staff.recovered === true
      if (!recovered && body.currentAuthKey === undefined) {
        throw new RelayError(
          "VALIDATION",
          `"body.currentAuthKey" is required`,
          "body.currentAuthKey",
        )
      }
      const currentKey = recovered
        ? undefined
        : decodeBytes("body.currentAuthKey", body.currentAuthKey ?? "", 32)
      const kdf = checkKdf(
        "body.kdf",
        body.kdf,
        oprfRuleOf(ctx, (await requireNode(ctx.store)).manifest),
      )
      decodeBytes("body.authVerifier", body.authVerifier, 32)
      checkRecipient("body.publicKey", body.publicKey)
      const account = await requireUser(ctx.store, staff.userId)
      const result = await ctx.loginGuard.attempt(
        account.username,
        () =>
          lock(async () => {
            const user = await requireUser(ctx.store, staff.userId)
            // Disabled or logged out while this request waited: the session is gone, keep it so.
            if (user.disabled || !(await ctx.store.get("sessions", staff.key))) {
              throw new RelayError("UNAUTHENTICATED", "this session has ended; log in again")
            }
            const verifier = fromBase64url("authVerifier", user.authVerifier)
            if (currentKey !== undefined && !checkAuthKey(currentKey, verifier)) {
              await ctx.audit.record({
                actor: user.id,
                action: "password.failure",
                target: user.id,
              })
              return undefined
            }
            const node = await requireNode(ctx.store)
            if (user.publicKey !== undefined && body.publicKey !== user.publicKey) {
              throw new RelayError(
                "VALIDATION",
                `"body.publicKey" must stay the account's public key: a password change only reseals`,
                "body.publicKey",
              )
            }
            if (
              body.signer !== undefined &&
              user.signer !== undefined &&
              body.signer !== user.signer
            ) {
              throw new RelayError(
                "VALIDATION",
                `"body.signer" must stay the account's signing key: a password change only reseals`,
                "body.signer",
              )
            }
            checkSealedIdentity("body.sealedIdentity", body.sealedIdentity, {
              recipient: body.publicKey,
              ...(user.sealedIdentity ? { recovery: user.sealedIdentity.to.recovery } : {}),
              escrow: node.escrow.enabled ? node.escrow.recipient : undefined,
            })
            // The proof is the user's browser's to make; stored as sent, verified by admins'
            // browsers. Only a mismatch an honest client never sends is refused here.
            if (
              body.keyProof !== undefined &&
              (body.keyProof.body.publicKey !== body.publicKey ||
                body.keyProof.body.userId !== user.id)
            ) {
              throw new RelayError(
                "VALIDATION",
                `"body.keyProof" must prove this account's "body.publicKey"`,
                "body.keyProof",
              )
            }
            const next: UserRecord = {
              ...user,
              kdf,
              authVerifier: body.authVerifier,
              sealedIdentity: body.sealedIdentity,
              publicKey: body.publicKey,
              ...(body.signer === undefined ? {} : { signer: body.signer }),
              mustChangePassword: false,
              // Only a one-time password (first login, escrow reset) certifies: a proof made with an
              // ordinary password would replace a good one with one that cannot verify.
              ...(body.keyProof !== undefined && user.mustChangePassword
                ? { keyProof: body.keyProof }
                : {}),
            }
            const stage = stageAfterPassword(next, await getFactors(ctx.store, user.id), node)
            const batch = ctx.store.batch()
            putUser(batch, next)
            const ended = await ctx.sessions.endAllForIn(batch, user.id, staff.key)
            // The new password ends the recovery: this session is an ordinary one from now on.
            const { recovered: _done, ...ordinary } = staff
            ctx.sessions.setStageIn(batch, ordinary, stage)
            ctx.audit.add(batch, {
              actor: user.id,
              action: "password.change",
              target: user.id,
              details: {
                firstLogin: user.sealedIdentity === undefined,
                endedSessions: ended,
                stage,
                recovered,
              },
            })
            await batch.write()
            return { ok: true as const }
          }),
        { known: true },
      )
      if (result === undefined) throw wrongCredentials()
      return result
    }),

    bind(getMe, async ({ session }) => {
      const staff = staffSession(session)
      const user = await requireUser(ctx.store, staff.userId)
      const {
        authVerifier: _verifier,
        sealedIdentity: _sealed,
        escrowWrap: _escrow,
        signingKeyWrap: _signing,
        certification: _certification,
        keyProof: _proof,
        ...own
      } = user
      // Like the login: no key material before the second factor.
      return {
        ...own,
        ...(staff.stage === "second-factor" ? {} : keyMaterial(user)),
        stage: staff.stage,
      }
    }),
  ]
}
