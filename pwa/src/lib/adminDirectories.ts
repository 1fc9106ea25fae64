import { isCryptoError } from "@sotto/crypto-core"
import { contexts } from "@sotto/protocol"
import type { AdminUser, ContextInfo } from "./adminApi.js"
import { type AdminKeys, saveContext } from "./adminKeys.js"
import { verifiedManifest } from "./adminManifest.js"
import { relay } from "./api.js"
import { crypto } from "./crypto.js"

// Signed directories expire (SPEC §14, 180 days after signing): after that every whistleblower's
// browser refuses the channel. The console checks each channel's directory under the node key of
// the manifest this browser pinned, warns while fewer than EXPIRY_WARNING_DAYS days are left and
// re-signs on request, from the directory's own (verified) recipient list.

/** How many days before expiry the console starts warning. */
export const EXPIRY_WARNING_DAYS = 30

const DAY = 86_400_000

/** A channel's directory as this browser verified it. */
export type DirectoryHealth =
  | {
      readonly state: "ok" | "soon" | "expired"
      readonly version: number
      readonly expiresAt: string
      /** Whole days left (negative: days since it expired). */
      readonly daysLeft: number
      /** The recipients it lists (ids), for re-signing. */
      readonly recipients: readonly string[]
    }
  | { readonly state: "invalid"; readonly reason: string }

/**
 * Checks each context's signed directory under the pinned node key: its signature (an expired
 * one still verifies here), then how many days it has left at `now`.
 * @throws TrustError when the served manifest does not verify against this browser's pin.
 */
export async function directoryHealth(
  list: readonly ContextInfo[],
  now = Date.now(),
): Promise<Map<string, DirectoryHealth>> {
  const { directorySigner } = await verifiedManifest()
  const out = new Map<string, DirectoryHealth>()
  for (const context of list) {
    try {
      const signed = await relay.call(contexts.getContextDirectory, {
        params: { contextId: context.id },
      })
      // now: 0 verifies the signature of an expired directory too; expiry is judged below.
      const { directory } = await crypto().tip.verifyDirectory(signed, directorySigner, { now: 0 })
      if (directory.context !== context.id) throw new Error("the directory names another channel")
      const left = (Date.parse(directory.expiresAt) - now) / DAY
      const daysLeft = left > 0 ? Math.ceil(left) : -Math.floor(-left)
      out.set(context.id, {
        state: left <= 0 ? "expired" : left <= EXPIRY_WARNING_DAYS ? "soon" : "ok",
        version: directory.version,
        expiresAt: directory.expiresAt,
        daysLeft,
        recipients: directory.recipients.map((r) => r.id),
      })
    } catch (e) {
      const reason = isCryptoError(e) || e instanceof Error ? e.message : String(e)
      out.set(context.id, { state: "invalid", reason })
    }
  }
  return out
}

/**
 * Re-signs a channel's directory (version + 1, a new expiry) for the recipients its verified
 * directory lists, keeping every other setting of the channel.
 * @throws as adminKeys `saveContext` (NotCertified, MissingNodeKey, RelayClientError).
 */
export async function resignDirectory(
  admin: AdminKeys,
  context: ContextInfo,
  recipients: readonly string[],
  users: readonly AdminUser[],
): Promise<void> {
  await saveContext(
    admin,
    context.id,
    {
      name: context.name,
      description: context.description,
      recipients: [...recipients],
      questionnaire: [...context.questionnaire],
      expiryDays: context.expiryDays,
      maxFiles: context.maxFiles,
      maxFileBytes: context.maxFileBytes,
    },
    users,
    false,
  )
}
