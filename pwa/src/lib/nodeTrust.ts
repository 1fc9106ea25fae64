import {
  isCryptoError,
  type ManifestPin,
  type NodeManifest,
  type SignedNodeManifest,
} from "@sotto/crypto-core"
import { crypto } from "./crypto.js"
import { markNodeOprf, nodeOnOprf, readManifestPin, writeManifestPin } from "./trustStore.js"

// The node manifest is the one place a browser learns the node key, the escrow recipient, the
// receipt salt and KDF bounds. Verified in a worker against this browser's pin (first use pins
// it; the landing page shows its fingerprint for a person to compare), then pinned at the
// highest version seen. A changed key, a rollback or a forgery stops the flow with a code that
// lib/messages.ts explains.

/** Why a manifest is refused, for lib/messages.ts. */
export type TrustCode = "NODE_KEY_CHANGED" | "MANIFEST_STALE" | "MANIFEST_FORGED" | "OPRF_DOWNGRADE"

/** A manifest this browser must not trust. */
export class TrustError extends Error {
  override readonly name = "TrustError"
  constructor(
    readonly code: TrustCode,
    message: string,
  ) {
    super(message)
  }
}

/**
 * Verifies `signed` (from GET /node) against the pin and keeps the new pin.
 * @throws TrustError `NODE_KEY_CHANGED` (another node key than pinned), `MANIFEST_STALE` (an
 * older version than seen), `MANIFEST_FORGED` (the signature or a field does not verify),
 * `OPRF_DOWNGRADE` (no OPRF keys where this browser saw the node's manifest list them).
 */
export async function trustManifest(signed: SignedNodeManifest): Promise<NodeManifest> {
  const pinned = await readManifestPin()
  let verified: { manifest: NodeManifest; pin: ManifestPin }
  try {
    verified = await crypto().trust.verifyNodeManifest(signed, pinned)
  } catch (e) {
    if (isCryptoError(e, "KEY_MISMATCH")) throw new TrustError("NODE_KEY_CHANGED", e.message)
    if (isCryptoError(e, "STALE")) throw new TrustError("MANIFEST_STALE", e.message)
    if (isCryptoError(e)) throw new TrustError("MANIFEST_FORGED", e.message)
    throw e
  }
  const { manifest, pin } = verified
  // Once OPRF-hardened, never back (SPEC §16): the relay refuses such a manifest too.
  if (manifest.oprf === undefined && (await nodeOnOprf())) {
    throw new TrustError("OPRF_DOWNGRADE", "the node manifest no longer lists OPRF keys")
  }
  await writeManifestPin(pin)
  if (manifest.oprf !== undefined) await markNodeOprf()
  return manifest
}
