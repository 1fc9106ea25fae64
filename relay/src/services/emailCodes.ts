import type { RelayContext } from "../context.js"
import { RelayError } from "../errors.js"
import type { Batch } from "../store/store.js"
import { mailOn, queueMail, renderMail } from "./mail.js"
import type { NodeSettings, UserRecord } from "./records.js"
import {
  EMAIL_CODE_TTL,
  type EmailCodeRecord,
  newEmailCode,
  putFactors,
  type SecondFactorRecord,
} from "./secondFactors.js"

// Mailing one-time codes: at most one a minute and five an hour per account, each valid ten
// minutes and once. The send times live in the factor record, so a restart does not reset them.

/** The shortest gap between two mailed codes to one account. */
export const EMAIL_CODE_GAP = 60_000
/** Codes mailed to one account within {@link EMAIL_CODE_WINDOW}, at most. */
export const EMAIL_CODES_PER_WINDOW = 5
export const EMAIL_CODE_WINDOW = 60 * 60_000

/**
 * Refuses a send that would break the limits.
 * @throws RelayError RATE_LIMITED with the seconds to wait.
 */
export function checkSendLimit(record: SecondFactorRecord, now: number): number[] {
  const recent = record.emailSentAt.filter((at) => now - at < EMAIL_CODE_WINDOW)
  const last = recent.at(-1)
  const waitMs =
    last !== undefined && now - last < EMAIL_CODE_GAP
      ? last + EMAIL_CODE_GAP - now
      : recent.length >= EMAIL_CODES_PER_WINDOW
        ? (recent[0] ?? now) + EMAIL_CODE_WINDOW - now
        : 0
  if (waitMs > 0) {
    throw new RelayError(
      "RATE_LIMITED",
      "a code was mailed to this account too recently; wait before asking again",
      undefined,
      Math.ceil(waitMs / 1000),
    )
  }
  return recent
}

/**
 * Draws a code for `purpose`, queues it to the user's address and stores its hash (replacing any
 * earlier code) in `batch`, with an audit entry that names neither the code nor the address.
 * @throws RelayError CONFLICT when the account has no address or the node has no mail;
 *   RATE_LIMITED past the limits.
 * @returns when the code expires.
 */
export function queueEmailCode(
  ctx: RelayContext,
  batch: Batch,
  args: {
    readonly user: UserRecord
    readonly record: SecondFactorRecord
    readonly node: NodeSettings
    readonly purpose: EmailCodeRecord["purpose"]
  },
): number {
  const { user, record, node, purpose } = args
  if (!user.email) throw new RelayError("CONFLICT", "this account has no mail address")
  if (!mailOn(ctx)) throw new RelayError("CONFLICT", "this node does not send mail")
  const now = ctx.clock.now()
  const recent = checkSendLimit(record, now)
  const { code, hash } = newEmailCode(user.id)
  const expiresAt = now + EMAIL_CODE_TTL
  const minutes = String(EMAIL_CODE_TTL / 60_000)
  const mail = renderMail("secondFactorCode", { node: node.name, code, minutes })
  queueMail(ctx, batch, { ...mail, to: user.email, userId: user.id })
  putFactors(batch, {
    ...record,
    emailCode: { hash, expiresAt, purpose },
    emailSentAt: [...recent, now],
  })
  ctx.audit.add(batch, {
    actor: user.id,
    action: "2fa.email-code",
    target: user.id,
    details: { purpose },
  })
  return expiresAt
}
