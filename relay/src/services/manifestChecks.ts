import {
  isCryptoError,
  type NodeManifest,
  type SignedNodeManifest,
  verifyNodeManifest,
} from "@sotto/crypto-core"
import { RelayError } from "../errors.js"

// The relay stores the node manifest and refuses one that does not verify under the node key it
// stored, goes backwards, or contradicts the settings it is sent with. Clients never rely on this
// check (they verify and pin themselves); it keeps an honest relay from serving a broken anchor.

/** What the manifest must agree with. */
export interface ManifestExpectations {
  /** The stored node signing key (base64url). */
  readonly signer: string
  /** The version stored so far (absent at setup, where the version must be 1). */
  readonly storedVersion?: number
  readonly escrow?: string | null
  readonly receipt?: {
    readonly pattern: string
    readonly salt: string
    readonly params: { readonly N: number; readonly r: number; readonly p: number }
  }
  /** The node's name. */
  readonly name?: string
  /** The node's base PoW difficulty: the manifest's bounds must contain it. */
  readonly powDifficulty?: number
  /**
   * The relay's OPRF public keys, newest first (SPEC §16). A manifest that lists OPRF keys must
   * list exactly these; with `oprfRequired` (the stored manifest had them) it must list them.
   */
  readonly oprf?: readonly string[]
  readonly oprfRequired?: boolean
}

/**
 * Checks a signed manifest the admin's browser sent.
 * @returns the manifest body.
 * @throws RelayError `BAD_MANIFEST` (does not verify, wrong key or fields that contradict the
 * node), `STALE_MANIFEST` (version not above the stored one; at setup not 1).
 */
export function checkManifestFor(
  field: string,
  signed: SignedNodeManifest,
  expected: ManifestExpectations,
): NodeManifest {
  let manifest: NodeManifest
  try {
    manifest = verifyNodeManifest(signed, { signer: expected.signer, version: 0 }).manifest
  } catch (e) {
    const why = isCryptoError(e) ? e.message : "does not verify"
    throw new RelayError("BAD_MANIFEST", `"${field}": ${why}`, field)
  }
  const wanted = expected.storedVersion === undefined ? 1 : expected.storedVersion + 1
  if (expected.storedVersion === undefined ? manifest.version !== 1 : manifest.version < wanted) {
    throw new RelayError(
      "STALE_MANIFEST",
      `"${field}.body.version" must be ${expected.storedVersion === undefined ? "1" : `at least ${wanted}`}`,
      `${field}.body.version`,
    )
  }
  if (expected.escrow !== undefined && manifest.escrow !== expected.escrow) {
    throw new RelayError("BAD_MANIFEST", `"${field}.body.escrow" must be the node's escrow`, field)
  }
  const r = expected.receipt
  if (
    r !== undefined &&
    (manifest.receipt.pattern !== r.pattern ||
      manifest.receipt.salt !== r.salt ||
      manifest.receipt.params.N !== r.params.N ||
      manifest.receipt.params.r !== r.params.r ||
      manifest.receipt.params.p !== r.params.p)
  ) {
    throw new RelayError(
      "BAD_MANIFEST",
      `"${field}.body.receipt" must be the node's receipt settings`,
      field,
    )
  }
  if (expected.name !== undefined && manifest.name !== expected.name) {
    throw new RelayError("BAD_MANIFEST", `"${field}.body.name" must be the node's name`, field)
  }
  const bits = expected.powDifficulty
  if (
    bits !== undefined &&
    (bits < manifest.pow.minDifficulty || bits > manifest.pow.maxDifficulty)
  ) {
    throw new RelayError(
      "BAD_MANIFEST",
      `"${field}.body.pow" must contain the node's PoW difficulty (${bits} bits)`,
      field,
    )
  }
  if (expected.oprf !== undefined) {
    const listed = manifest.oprf?.keys
    if (listed === undefined && expected.oprfRequired) {
      throw new RelayError(
        "BAD_MANIFEST",
        `"${field}.body.oprf" is required: this node's manifest already lists OPRF keys`,
        field,
      )
    }
    if (listed !== undefined && listed.join(",") !== expected.oprf.join(",")) {
      throw new RelayError(
        "BAD_MANIFEST",
        `"${field}.body.oprf.keys" must be this relay's OPRF keys, newest first`,
        field,
      )
    }
  }
  return manifest
}

/**
 * The manifest fields that no longer agree with `next` (name, receipt, PoW difficulty outside the
 * bounds): what a settings change without a re-signed manifest would leave out of step.
 * @returns the settings fields (`body.name`, `body.receiptPattern`, `body.powDifficulty`).
 */
export function outOfStep(
  manifest: NodeManifest,
  next: {
    readonly name: string
    readonly receipt: { readonly pattern: string }
    readonly powDifficulty: number
  },
): string[] {
  const fields: string[] = []
  if (manifest.name !== next.name) fields.push("body.name")
  if (manifest.receipt.pattern !== next.receipt.pattern) fields.push("body.receiptPattern")
  const { minDifficulty, maxDifficulty } = manifest.pow
  if (next.powDifficulty < minDifficulty || next.powDifficulty > maxDifficulty) {
    fields.push("body.powDifficulty")
  }
  return fields
}
