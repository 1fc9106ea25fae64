import type { Static } from "@sinclair/typebox"
import type { resetUserWithEscrow } from "@sotto/protocol/accounts"
import type { RelayContext } from "../context.js"
import { RelayError } from "../errors.js"
import type { Batch } from "../store/store.js"
import { checkKdf, checkSealedIdentity, decodeBytes } from "./accountChecks.js"
import { mailDateTime, queueMail, renderMail } from "./mail.js"
import { requireNode } from "./nodeSettings.js"
import { oprfRuleOf } from "./oprfKeys.js"
import * as users from "./users.js"

/** What an escrow reset stores: the 1-of-n route's body without the re-authentication key. */
export type EscrowResetBody = Omit<
  Static<NonNullable<(typeof resetUserWithEscrow)["body"]>>,
  "currentAuthKey"
>

/**
 * Checks an escrow reset made in an admin's browser and adds it to `batch`: the identity
 * resealed to the one-time password (same public key, recovery and escrow keyholders), the forced
 * password change, the account's sessions ended, the `escrow.reset` audit entry (with `details`)
 * and the owner's mail. Shared by the 1-of-n reset and the k-of-n completion.
 * @throws RelayError CONFLICT without escrow or before the user's first login, VALIDATION naming
 * the field for a bad body.
 */
export async function addEscrowReset(
  ctx: RelayContext,
  batch: Batch,
  actor: string,
  userId: string,
  body: EscrowResetBody,
  details: Readonly<Record<string, string | number | boolean>> = {},
): Promise<void> {
  const node = await requireNode(ctx.store)
  if (!node.escrow.enabled) {
    throw new RelayError("CONFLICT", "this node runs without escrow: no reset is possible")
  }
  const user = await users.requireUser(ctx.store, userId)
  if (!user.sealedIdentity || !user.publicKey) {
    throw new RelayError("CONFLICT", "this account has no identity yet: create it anew")
  }
  const kdf = checkKdf("body.kdf", body.kdf, oprfRuleOf(ctx, node.manifest))
  decodeBytes("body.authVerifier", body.authVerifier, 32)
  checkSealedIdentity("body.sealedIdentity", body.sealedIdentity, {
    recipient: user.publicKey,
    recovery: user.sealedIdentity.to.recovery,
    escrow: node.escrow.recipient,
  })
  if (body.certification && body.certification.body.username !== user.username) {
    throw new RelayError(
      "VALIDATION",
      `"body.certification" must name this account's username`,
      "body.certification.body.username",
    )
  }
  // A new certification waits for the user's proof with the new one-time password.
  const { keyProof: _old, ...kept } = user
  users.putUser(batch, {
    ...(body.certification ? kept : user),
    ...(body.certification ? { certification: body.certification } : {}),
    kdf,
    authVerifier: body.authVerifier,
    sealedIdentity: body.sealedIdentity,
    mustChangePassword: true,
    escrowResetAt: ctx.clock.now(),
  })
  const ended = await ctx.sessions.endAllForIn(batch, user.id)
  ctx.audit.add(batch, {
    actor,
    action: "escrow.reset",
    target: user.id,
    details: { ...details, endedSessions: ended },
  })
  // Tells the owner, so a reset they did not ask for does not go unnoticed.
  if (user.email) {
    const values = { node: node.name, date: mailDateTime(ctx.clock.now()) }
    const mail = renderMail("passwordReset", values)
    queueMail(ctx, batch, { ...mail, to: user.email, userId: user.id })
  }
}
