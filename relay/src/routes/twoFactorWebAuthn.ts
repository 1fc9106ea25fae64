import {
  removeWebAuthn,
  renameWebAuthn,
  webauthnLoginOptions,
  webauthnRegister,
  webauthnRegistrationOptions,
  webauthnVerify,
} from "@sotto/protocol/webauthn"
import type { RelayContext } from "../context.js"
import { RelayError } from "../errors.js"
import { type BoundRoute, bind } from "../http/router.js"
import { type Failed, guardedCodeCheck } from "../services/factorProof.js"
import { requireNode } from "../services/nodeSettings.js"
import {
  activeFactors,
  factorRequired,
  factorsOf,
  newBackupCodes,
  putFactors,
  type SecondFactorRecord,
  stageAfterFactor,
  stageAfterPassword,
} from "../services/secondFactors.js"
import { keyMaterial, type StaffSession, staffSession, withReauth } from "../services/staffAuth.js"
import { requireUser, type Serial } from "../services/users.js"
import {
  authenticatorInfo,
  checkAssertion,
  checkRegistration,
  loginOptions,
  registrationOptions,
  relyingParty,
} from "../services/webauthn.js"

const WRONG: Failed = { ok: false, reason: "wrong" }

/**
 * WebAuthn second factors: registration (staff-enrol), the login assertion (stage
 * `second-factor`), renaming and removal. Failures go through the same guard as wrong codes.
 */
export function twoFactorWebAuthnRoutes(ctx: RelayContext, lock: Serial): BoundRoute[] {
  const { store } = ctx

  // The account behind a session, refusing one that ended while the request waited for the lock.
  const liveUser = async (session: StaffSession) => {
    const user = await requireUser(store, session.userId)
    if (user.disabled || !(await store.get("sessions", session.key))) {
      throw new RelayError("UNAUTHENTICATED", "this session has ended; log in again")
    }
    return user
  }

  // A failed check still uses the challenge up: no second try with the same one.
  const spend = async (record: SecondFactorRecord): Promise<Failed> => {
    const { webauthnChallenge: spent, ...rest } = record
    if (!spent) return WRONG
    const batch = store.batch()
    putFactors(batch, rest)
    await batch.write()
    return WRONG
  }

  return [
    bind(webauthnRegistrationOptions, ({ session, headers }) => {
      const rp = relyingParty(ctx.config, headers)
      return lock(async () => {
        const user = await liveUser(staffSession(session))
        const record = await factorsOf(store, user.id)
        const node = await requireNode(store)
        const made = await registrationOptions(rp, node.name, user, record, ctx.clock.now())
        const batch = store.batch()
        putFactors(batch, { ...record, webauthnChallenge: made.challenge })
        await batch.write()
        return { options: made.options }
      })
    }),

    bind(webauthnRegister, ({ body, session }) => {
      const staff = staffSession(session)
      const args = {
        userId: staff.userId,
        method: "enrol-webauthn" as const,
        field: "body.response",
      }
      return guardedCodeCheck(ctx, lock, args, async () => {
        const user = await liveUser(staff)
        const record = await factorsOf(store, user.id)
        const now = ctx.clock.now()
        const added = await checkRegistration(record, body.response, body.name, now)
        if (!added) return spend(record)
        const { webauthnChallenge: _used, ...rest } = record
        const existing = record.webauthn ?? []
        if (existing.some((c) => c.id === added.id)) {
          await spend(record)
          throw new RelayError(
            "CONFLICT",
            "this authenticator is already registered",
            "body.response",
          )
        }
        const first = activeFactors(record).length === 0
        const fresh = existing.length === 0 ? newBackupCodes() : undefined
        const next: SecondFactorRecord = {
          ...rest,
          webauthn: [...existing, added],
          // Like a TOTP confirmation: turning the factor on issues fresh backup codes.
          ...(fresh ? { backupCodes: fresh.hashes } : {}),
        }
        const stage = stageAfterPassword(user, next, await requireNode(store))
        const batch = store.batch()
        putFactors(batch, next)
        ctx.sessions.setStageIn(batch, staff, stage)
        ctx.audit.add(batch, {
          actor: user.id,
          action: "2fa.enrol",
          target: user.id,
          details: { method: "webauthn", kind: "webauthn", authenticators: existing.length + 1 },
        })
        if (existing.length === 0) {
          ctx.audit.add(batch, {
            actor: user.id,
            action: "2fa.enable",
            target: user.id,
            details: { kind: "webauthn", firstFactor: first },
          })
        }
        await batch.write()
        return {
          value: {
            stage,
            authenticator: authenticatorInfo(added),
            ...(fresh ? { backupCodes: fresh.codes } : {}),
          },
        }
      })
    }),

    bind(webauthnLoginOptions, ({ session, headers }) => {
      const staff = staffSession(session)
      if (staff.stage !== "second-factor") {
        throw new RelayError("CONFLICT", "this session is not waiting for a second factor")
      }
      const rp = relyingParty(ctx.config, headers)
      return lock(async () => {
        const user = await liveUser(staff)
        const record = await factorsOf(store, user.id)
        if (!record.webauthn?.length) {
          throw new RelayError("CONFLICT", "no security key is registered for this account")
        }
        const made = await loginOptions(rp, record, ctx.clock.now())
        const batch = store.batch()
        putFactors(batch, { ...record, webauthnChallenge: made.challenge })
        await batch.write()
        return { options: made.options }
      })
    }),

    bind(webauthnVerify, ({ body, session }) => {
      const staff = staffSession(session)
      if (staff.stage !== "second-factor") {
        throw new RelayError("CONFLICT", "this session is not waiting for a second factor")
      }
      const args = { userId: staff.userId, method: "webauthn" as const, field: "body.response" }
      return guardedCodeCheck(ctx, lock, args, async () => {
        const user = await liveUser(staff)
        const record = await factorsOf(store, user.id)
        const now = ctx.clock.now()
        const webauthn = await checkAssertion(record, body.response, now)
        if (!webauthn) return spend(record)
        const { webauthnChallenge: _used, ...rest } = record
        const next: SecondFactorRecord = { ...rest, webauthn }
        const stage = stageAfterFactor(user, next, await requireNode(store), staff.recovered)
        const backupCodesLeft = next.backupCodes.length
        const batch = store.batch()
        putFactors(batch, next)
        ctx.sessions.setStageIn(batch, staff, stage)
        ctx.audit.add(batch, {
          actor: user.id,
          action: "2fa.verify",
          target: user.id,
          details: { method: "webauthn", stage, backupCodesLeft },
        })
        await batch.write()
        return { value: { stage, ...keyMaterial(user), backupCodesLeft } }
      })
    }),

    bind(renameWebAuthn, ({ params, body, session }) =>
      lock(async () => {
        const user = await liveUser(staffSession(session))
        const record = await factorsOf(store, user.id)
        const list = record.webauthn ?? []
        if (!list.some((c) => c.id === params.credentialId)) {
          throw new RelayError("NOT_FOUND", "no such security key", "params.credentialId")
        }
        const name = body.name.trim()
        const batch = store.batch()
        putFactors(batch, {
          ...record,
          webauthn: list.map((c) => (c.id === params.credentialId ? { ...c, name } : c)),
        })
        await batch.write()
        return { ok: true as const }
      }),
    ),

    bind(removeWebAuthn, ({ params, body, session }) => {
      const staff = staffSession(session)
      return withReauth(ctx, lock, staff.userId, body.currentAuthKey, async (user) => {
        const record = await factorsOf(store, user.id)
        const list = record.webauthn ?? []
        if (!list.some((c) => c.id === params.credentialId)) {
          throw new RelayError("NOT_FOUND", "no such security key", "params.credentialId")
        }
        const { webauthn: _all, ...rest } = record
        const left = list.filter((c) => c.id !== params.credentialId)
        const kept: SecondFactorRecord = left.length > 0 ? { ...rest, webauthn: left } : rest
        const lastOne = activeFactors(kept).length === 0
        if (lastOne && factorRequired(await requireNode(store), user.role)) {
          throw new RelayError(
            "CONFLICT",
            "your role requires a second factor: enrol another before removing this one",
            "params.credentialId",
          )
        }
        // The last factor takes the backup codes with it, as with TOTP and e-mail.
        const next = lastOne ? { ...kept, backupCodes: [] } : kept
        const batch = store.batch()
        putFactors(batch, next)
        ctx.audit.add(batch, {
          actor: user.id,
          action: "2fa.remove",
          target: user.id,
          details: {
            method: "webauthn",
            kind: "webauthn",
            authenticatorsLeft: left.length,
            backupCodesLeft: next.backupCodes.length,
          },
        })
        await batch.write()
        return { ok: true as const }
      })
    }),
  ]
}
