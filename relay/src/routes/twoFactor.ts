import type { ResponseOf } from "@sotto/protocol/route"
import {
  confirmEmailFactor,
  confirmTotp,
  enrolTotp,
  getSecondFactors,
  removeSecondFactor,
  sendEmailCode,
} from "@sotto/protocol/twoFactor"
import type { RelayContext } from "../context.js"
import { RelayError } from "../errors.js"
import { type BoundRoute, bind } from "../http/router.js"
import { queueEmailCode } from "../services/emailCodes.js"
import { guardedCodeCheck, proveEnrolment } from "../services/factorProof.js"
import { mailOn } from "../services/mail.js"
import { requireNode } from "../services/nodeSettings.js"
import {
  activeFactors,
  type FactorKind,
  factorRequired,
  factorsOf,
  getFactors,
  putFactors,
  type SecondFactorRecord,
  stageAfterPassword,
} from "../services/secondFactors.js"
import { type StaffSession, staffSession, withReauth } from "../services/staffAuth.js"
import { newTotpSecret, totpUri } from "../services/totp.js"
import { requireUser, type Serial } from "../services/users.js"
import { authenticatorInfo } from "../services/webauthn.js"

/**
 * A staff member's own second factors: status, TOTP and e-mail enrolment, mailed codes, removal.
 * The login step is in twoFactorVerify.ts, the admin's reset in twoFactorAdmin.ts.
 */
export function twoFactorRoutes(ctx: RelayContext, lock: Serial): BoundRoute[] {
  const { store } = ctx

  // Confirms a pending enrolment; the session leaves `second-factor-enrol` once a factor is on.
  const confirm = (session: StaffSession, kind: FactorKind, code: string) =>
    guardedCodeCheck(ctx, lock, { userId: session.userId, method: `enrol-${kind}` }, async () => {
      const user = await liveUser(session)
      const proof = proveEnrolment(await factorsOf(store, user.id), kind, code, ctx.clock.now())
      if (!proof.ok) return proof
      const stage = stageAfterPassword(user, proof.next, await requireNode(store))
      const batch = store.batch()
      putFactors(batch, proof.next)
      ctx.sessions.setStageIn(batch, session, stage)
      ctx.audit.add(batch, {
        actor: user.id,
        action: "2fa.enable",
        target: user.id,
        details: { kind },
      })
      await batch.write()
      return { value: { stage, backupCodes: proof.codes } }
    })

  // The account behind a session, refusing one that ended while the request waited for the lock.
  const liveUser = async (session: StaffSession) => {
    const user = await requireUser(store, session.userId)
    if (user.disabled || !(await store.get("sessions", session.key))) {
      throw new RelayError("UNAUTHENTICATED", "this session has ended; log in again")
    }
    return user
  }

  return [
    bind(getSecondFactors, async ({ session }): Promise<ResponseOf<typeof getSecondFactors>> => {
      const staff = staffSession(session)
      const user = await requireUser(store, staff.userId)
      const record = await getFactors(store, user.id)
      return {
        totp: record?.totp === undefined ? "off" : record.totp.active ? "on" : "pending",
        email: record?.email?.active ? "on" : "off",
        backupCodesLeft: record?.backupCodes.length ?? 0,
        required: factorRequired(await requireNode(store), user.role),
        emailAvailable: user.email !== undefined && mailOn(ctx),
        webauthn: (record?.webauthn ?? []).map(authenticatorInfo),
      }
    }),

    bind(enrolTotp, ({ session }) =>
      lock(async () => {
        const user = await liveUser(staffSession(session))
        const node = await requireNode(store)
        const record = await factorsOf(store, user.id)
        if (record.totp?.active) {
          throw new RelayError("CONFLICT", "TOTP is already on; remove it before enrolling again")
        }
        const secret = newTotpSecret()
        const totp = { secret, active: false, createdAt: ctx.clock.now() }
        const batch = store.batch()
        putFactors(batch, { ...record, totp })
        ctx.audit.add(batch, {
          actor: user.id,
          action: "2fa.enrol",
          target: user.id,
          details: { kind: "totp" },
        })
        await batch.write()
        return { secret, uri: totpUri(secret, node.name, user.username) }
      }),
    ),

    bind(confirmTotp, ({ body, session }) => confirm(staffSession(session), "totp", body.code)),

    bind(sendEmailCode, ({ session }) => {
      const staff = staffSession(session)
      if (staff.stage === "password-change") {
        throw new RelayError("PASSWORD_CHANGE_REQUIRED", "change your password first")
      }
      const purpose = staff.stage === "second-factor" ? "login" : "enrol"
      return lock(async () => {
        const user = await liveUser(staff)
        const record = await factorsOf(store, user.id)
        const on = record.email?.active === true
        if (purpose === "login" && !on) {
          throw new RelayError("CONFLICT", "e-mail codes are not on for this account")
        }
        if (purpose === "enrol" && on)
          throw new RelayError("CONFLICT", "e-mail codes are already on")
        const batch = store.batch()
        const node = await requireNode(store)
        const expiresAt = queueEmailCode(ctx, batch, { user, record, node, purpose })
        await batch.write()
        return { expiresAt }
      })
    }),

    bind(confirmEmailFactor, ({ body, session }) =>
      confirm(staffSession(session), "email", body.code),
    ),

    bind(removeSecondFactor, ({ body, session }) => {
      const staff = staffSession(session)
      return withReauth(ctx, lock, staff.userId, body.currentAuthKey, async (user) => {
        const record = await getFactors(store, user.id)
        const on = body.kind === "totp" ? record?.totp !== undefined : record?.email?.active
        if (!record || !on) throw new RelayError("CONFLICT", `${body.kind} is not on`, "body.kind")
        const next = without(record, body.kind)
        const lastOne = activeFactors(next).length === 0 && activeFactors(record).length > 0
        if (lastOne && factorRequired(await requireNode(store), user.role)) {
          throw new RelayError(
            "CONFLICT",
            "your role requires a second factor: enrol another before removing this one",
            "body.kind",
          )
        }
        const batch = store.batch()
        putFactors(batch, next)
        ctx.audit.add(batch, {
          actor: user.id,
          action: "2fa.remove",
          target: user.id,
          details: { kind: body.kind, backupCodesLeft: next.backupCodes.length },
        })
        await batch.write()
        return { ok: true as const }
      })
    }),
  ]
}

// The record without one factor; without any active factor the backup codes go too.
function without(record: SecondFactorRecord, kind: FactorKind): SecondFactorRecord {
  const { totp, email, emailCode, ...rest } = record
  const next: SecondFactorRecord = {
    ...rest,
    ...(kind !== "totp" && totp ? { totp } : {}),
    ...(kind !== "email" && email ? { email } : {}),
    ...(kind !== "email" && emailCode ? { emailCode } : {}),
  }
  return activeFactors(next).length === 0 ? { ...next, backupCodes: [] } : next
}
