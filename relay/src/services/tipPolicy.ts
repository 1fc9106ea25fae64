import type { RelayContext } from "../context.js"
import { RelayError } from "../errors.js"
import type { NodeSettings, TipRecord } from "./records.js"
import type { Session } from "./session.js"
import { requireHeldTip, tipKey } from "./tips.js"

// Who may delete a tip and revoke other holders' access (relay/README.md "Deleting tips and
// revoking access"): the node's `tipPolicy`, `admins` by default as in GlobaLeaks.

/**
 * Checks that the staff session may manage `tipId` (delete it, revoke others): an admin always
 * (holding the tip or not: deleting needs no key), any holder when the node's policy is `holders`.
 * @returns the acting user id, for the audit line.
 * @throws RelayError NOT_FOUND when the tip is gone or the caller neither holds it nor is an admin,
 *   FORBIDDEN (naming `what`) for a holder while the policy is `admins`.
 */
export async function requireTipManager(
  ctx: RelayContext,
  session: Session | undefined,
  tipId: string,
  what: string,
): Promise<string> {
  if (session?.kind === "staff" && session.role === "admin") {
    await ctx.store.require<TipRecord>("tips", tipKey(tipId), "tip")
    return session.userId
  }
  const { userId } = await requireHeldTip(ctx, session, tipId)
  const node = await ctx.store.get<NodeSettings>("settings", "node")
  if ((node?.tipPolicy ?? "admins") !== "holders") {
    throw new RelayError("FORBIDDEN", `on this node only admins may ${what}`)
  }
  return userId
}
