import { accounts } from "@sotto/protocol"
import type { AdminUser } from "./adminApi.js"
import type { AdminKeys } from "./adminKeys.js"
import { relay } from "./api.js"
import { crypto } from "./crypto.js"
import { trustManifest } from "./nodeTrust.js"

// The admin's browser's side of key certification (crypto-core SPEC §12, issue 10 attack 3):
// before it signs a directory listing users or wraps node keys to one, every key involved must
// be proved with the one-time password this node's admins handed out. The relay's user list is
// only a list of claims.

/** Thrown when a user's key is not certified; `names` says whom to re-certify. */
export class NotCertified extends Error {
  readonly code = "NOT_CERTIFIED"
  constructor(readonly names: readonly string[]) {
    super(
      `Not signed or shared: the key of ${names.join(", ")} is not certified. The server may have swapped it, or the account predates key certification. Compare fingerprints, then give the person a new one-time password (Reset with escrow) to re-certify.`,
    )
  }
}

/**
 * Fingerprint words and certification of each listed user, as the console shows them.
 * @throws TrustError when the served manifest does not verify against this browser's pin.
 */
export async function certificationOf(
  admin: AdminKeys,
  users: readonly AdminUser[],
): Promise<Map<string, { certified: boolean; fingerprint?: string[]; reason?: string }>> {
  // The node key certifies the first admin (setup): only the one this browser pinned counts.
  const manifest = await trustManifest((await relay.call(accounts.getNode)).manifest)
  const found = await crypto().account.certifyList(
    users,
    { userId: admin.userId, identity: admin.identity },
    [manifest.directorySigner],
  )
  const out = new Map<string, { certified: boolean; fingerprint?: string[]; reason?: string }>()
  for (const [id, c] of found) {
    out.set(id, c.certified ? { certified: true, fingerprint: c.fingerprint } : c)
  }
  return out
}

/**
 * Checks that every user in `ids` has a certified key in `users` (the relay's list).
 * @throws NotCertified naming the others, before any key is opened or anything sent.
 */
export async function requireCertified(
  admin: AdminKeys,
  users: readonly AdminUser[],
  ids: readonly string[],
): Promise<void> {
  const found = await certificationOf(admin, users)
  const missing = ids.filter((id) => !found.get(id)?.certified)
  if (missing.length > 0) {
    throw new NotCertified(missing.map((id) => users.find((u) => u.id === id)?.username ?? id))
  }
}

/**
 * What the account page shows about the user's own key: its fingerprint (from the identity opened
 * in this browser, not from the relay) and when an admin last reset the password with escrow.
 * @throws RelayClientError from GET /me.
 */
export async function loadOwnKey(
  session: string,
  recipient: string | undefined,
): Promise<{ fingerprint?: string[]; escrowResetAt?: number }> {
  const me = await relay.call(accounts.getMe, { session })
  const fingerprint = recipient ? await crypto().account.accountFingerprint(recipient) : undefined
  return {
    ...(fingerprint ? { fingerprint } : {}),
    ...(me.escrowResetAt === undefined ? {} : { escrowResetAt: me.escrowResetAt }),
  }
}
