import type { NodeManifest, SignedNodeManifest } from "@sotto/crypto-core"
import { accounts, oprf } from "@sotto/protocol"
import type { AdminKeys } from "./adminKeys.js"
import { MissingNodeKey } from "./adminKeys.js"
import { relay } from "./api.js"
import { crypto } from "./crypto.js"
import { trustManifest } from "./nodeTrust.js"

// The node manifest (SPEC §14) covers the node's name, receipt settings, KDF bounds, PoW bounds,
// escrow recipient and directory signer. When the console changes one of them, this browser
// re-signs it (version + 1) with the node signing key opened from its wrap, and the relay takes
// the settings and the manifest in one request or neither (MANIFEST_REQUIRED otherwise). What it
// re-signs starts from the manifest this browser verified against its own pin, never from
// unsigned fields the relay serves beside it.

/** The settings the console edits that the manifest covers. */
export interface CoveredSettings {
  readonly name: string
  readonly receiptPattern: string
  readonly powDifficulty: number
  /** The most proof-of-work bits a client accepts (the manifest's `pow.maxDifficulty`). */
  readonly powMax: number
}

/** The manifest served now, verified against (and pinned in) this browser. @throws TrustError. */
export async function verifiedManifest(): Promise<NodeManifest> {
  return trustManifest((await relay.call(accounts.getNode)).manifest)
}

/**
 * The covered fields `next` changes in `manifest` (empty: no re-signing needed). `relayOprf` is
 * the relay's OPRF keys (GET /oprf), newest first: a manifest that lists others (none on a node
 * made before the OPRF, or the old key alone after a rotation) is re-signed with them.
 */
export function manifestChanges(
  manifest: NodeManifest,
  next: CoveredSettings,
  relayOprf: readonly string[] = [],
): string[] {
  const changed: string[] = []
  const listed = manifest.oprf?.keys ?? []
  if (relayOprf.length > 0 && listed.join(",") !== relayOprf.join(",")) changed.push("oprf")
  if (manifest.name !== next.name) changed.push("name")
  if (manifest.receipt.pattern !== next.receiptPattern) changed.push("receiptPattern")
  if (manifest.pow.maxDifficulty !== next.powMax) changed.push("powMax")
  if (next.powDifficulty < manifest.pow.minDifficulty || next.powDifficulty > next.powMax) {
    changed.push("powDifficulty")
  }
  return changed
}

/**
 * The manifest re-signed for `next`, or undefined when `next` leaves every covered field as the
 * verified manifest has it. The lower PoW bound follows the base difficulty down, never up. The
 * OPRF part follows the relay's keys (checked by the relay: its own, newest first); on a node
 * first moved onto the OPRF it says `v1Receipts`, since tips made before keep v1 receipts.
 * @throws TrustError (the served manifest does not verify against this browser's pin);
 * MissingNodeKey (this admin holds no signing wrap); CryptoError `BAD_INPUT`.
 */
export async function resignFor(
  admin: AdminKeys,
  next: CoveredSettings,
): Promise<SignedNodeManifest | undefined> {
  const [manifest, relayOprf] = await Promise.all([
    verifiedManifest(),
    relay.call(oprf.getOprfKeys).then(
      (r) => r.keys,
      // A relay without the OPRF route (older) or offline: leave the manifest's part as it is.
      () => [] as string[],
    ),
  ])
  if (manifestChanges(manifest, next, relayOprf).length === 0) return undefined
  const me = await relay.call(accounts.getMe, { session: admin.session })
  if (!me.signingKeyWrap) throw new MissingNodeKey("signing")
  const account = crypto().account
  const signing = await account.openSigningKey(me.signingKeyWrap, admin.identity)
  const { v: _v, protocol: _p, directorySigner: _d, ...fields } = manifest
  return account.signNodeManifest(
    {
      ...fields,
      version: manifest.version + 1,
      issuedAt: new Date().toISOString(),
      name: next.name,
      receipt: { ...manifest.receipt, pattern: next.receiptPattern },
      pow: {
        minDifficulty: Math.min(manifest.pow.minDifficulty, next.powDifficulty),
        maxDifficulty: next.powMax,
      },
      ...(relayOprf.length > 0
        ? {
            oprf: {
              suite: "ristretto255-SHA512" as const,
              keys: [...relayOprf],
              // A node upgraded onto the OPRF has v1 receipts until its old tips expire (SPEC §16).
              ...(manifest.oprf === undefined || manifest.oprf.v1Receipts
                ? { v1Receipts: true as const }
                : {}),
            },
          }
        : {}),
    },
    signing,
  )
}
