import { isCryptoError, type NodeManifest, type SignedNodeManifest } from "@sotto/crypto-core"
import { crypto } from "./crypto.js"
import { readManifestPin, writeManifestPin } from "./trustStore.js"

// The node manifest is the one place a browser learns the node key, the escrow recipient, the
// receipt salt and KDF bounds. Verified in a worker against this browser's pin (first use pins
// it; the landing page shows its fingerprint for a person to compare), then pinned at the
// highest version seen. A changed key, a rollback or a forgery stops the flow with a code that
// lib/messages.ts explains.

/** Why a manifest is refused, for lib/messages.ts. */
export type TrustCode = "NODE_KEY_CHANGED" | "MANIFEST_STALE" | "MANIFEST_FORGED"

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
 * older version than seen), `MANIFEST_FORGED` (the signature or a field does not verify).
 */
export async function trustManifest(signed: SignedNodeManifest): Promise<NodeManifest> {
  const pinned = await readManifestPin()
  try {
    const { manifest, pin } = await crypto().trust.verifyNodeManifest(signed, pinned)
    await writeManifestPin(pin)
    return manifest
  } catch (e) {
    if (isCryptoError(e, "KEY_MISMATCH")) throw new TrustError("NODE_KEY_CHANGED", e.message)
    if (isCryptoError(e, "STALE")) throw new TrustError("MANIFEST_STALE", e.message)
    if (isCryptoError(e)) throw new TrustError("MANIFEST_FORGED", e.message)
    throw e
  }
}
