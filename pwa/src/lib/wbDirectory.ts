import { type AgeRecipient, isCryptoError, type NodeManifest } from "@sotto/crypto-core"
import { contexts } from "@sotto/protocol"
import { relay } from "./api.js"
import { crypto } from "./crypto.js"
import type { NodeInfo } from "./nodeInfo.js"
import { trustManifest } from "./nodeTrust.js"
import { readDirectoryVersion, readManifestPin, writeDirectoryVersion } from "./trustStore.js"

// Who a tip is wrapped to. The relay serves each context's key directory as the admin's browser
// signed it; this page checks the node manifest against this browser's pin (IndexedDB), then the
// directory's signature under the manifest's directory signer, its expiry and that its version is
// not below the highest this browser saw. A relay that swaps a key, rolls a directory back,
// serves an expired or another context's directory or a new node key is refused before anything
// is typed, let alone sent.

/** localStorage key of the node signing key kept by protocol 1 (read as a version-0 pin). */
export const PIN_KEY = "sotto.pin.v1"

/** A failure to trust a directory, with a stable code for lib/messages.ts. */
export class DirectoryError extends Error {
  override readonly name = "DirectoryError"
  constructor(
    readonly code:
      | "NODE_KEY_CHANGED"
      | "DIRECTORY_CONTEXT"
      | "NO_RECIPIENTS"
      | "DIRECTORY_STALE"
      | "DIRECTORY_EXPIRED",
    message: string,
  ) {
    super(message)
  }
}

/** A verified directory: who may read a tip of this context, and the manifest it verified under. */
export interface TrustedDirectory {
  readonly contextId: string
  readonly recipients: readonly {
    readonly id: string
    readonly name: string
    readonly recipient: AgeRecipient
    /** Their account signing key: their comments verify only under it. */
    readonly signer?: string
  }[]
  /** The identity custodians, signed apart: identity answers are sealed to them alone. */
  readonly custodians: readonly { readonly id: string; readonly recipient: AgeRecipient }[]
  /** The verified node manifest: the receipt salt and params come from here, not GET /node. */
  readonly manifest: NodeManifest
}

/**
 * A context's signed directory as the relay serves it, with what this browser trusts to check it:
 * the directory signer of the manifest verified against the pin, and the highest version seen.
 * Checking is left to the caller's worker call (a custodian's approval verifies it there).
 * @throws TrustError `NODE_KEY_CHANGED`, `MANIFEST_STALE`, `MANIFEST_FORGED`; RelayClientError.
 */
export async function signedDirectoryToCheck(contextId: string, node: Promise<NodeInfo>) {
  const [signed, info, seenVersion] = await Promise.all([
    relay.call(contexts.getContextDirectory, { params: { contextId } }),
    node,
    readDirectoryVersion(contextId),
  ])
  const manifest = await trustManifest(info.manifest)
  return {
    signed,
    pin: manifest.directorySigner,
    check: seenVersion === undefined ? {} : { seenVersion },
  }
}

/** The pinned node signing key, when this browser has one. */
export async function readPin(): Promise<string | undefined> {
  return (await readManifestPin())?.signer
}

/**
 * Fetches and verifies the directory of `contextId` under the manifest of `node` (GET /node, or
 * a promise of it: the directory is fetched meanwhile); pins on first use.
 * @throws TrustError `NODE_KEY_CHANGED`, `MANIFEST_STALE`, `MANIFEST_FORGED`; DirectoryError
 * `DIRECTORY_CONTEXT`, `NO_RECIPIENTS`, `DIRECTORY_STALE`, `DIRECTORY_EXPIRED`; CryptoError
 * `KEY_MISMATCH`, `BAD_SIGNATURE`; RelayClientError from the fetch.
 */
export async function loadTrustedDirectory(
  contextId: string,
  node: NodeInfo | Promise<NodeInfo>,
): Promise<TrustedDirectory> {
  // The directory travels while the node's facts do: one round trip less on a slow link.
  const [signed, info, seenVersion] = await Promise.all([
    relay.call(contexts.getContextDirectory, { params: { contextId } }),
    node,
    readDirectoryVersion(contextId),
  ])
  const manifest = await trustManifest(info.manifest)
  let directory: Awaited<
    ReturnType<ReturnType<typeof crypto>["tip"]["verifyDirectory"]>
  >["directory"]
  try {
    ;({ directory } = await crypto().trust.verifyDirectory(signed, manifest.directorySigner, {
      ...(seenVersion === undefined ? {} : { seenVersion }),
    }))
  } catch (e) {
    if (isCryptoError(e, "STALE")) throw new DirectoryError("DIRECTORY_STALE", e.message)
    if (isCryptoError(e, "EXPIRED")) throw new DirectoryError("DIRECTORY_EXPIRED", e.message)
    throw e
  }
  if (directory.context !== contextId) {
    throw new DirectoryError("DIRECTORY_CONTEXT", "the directory names another context")
  }
  if (directory.recipients.length === 0) {
    throw new DirectoryError("NO_RECIPIENTS", "the directory lists nobody")
  }
  await writeDirectoryVersion(contextId, directory.version)
  return {
    contextId,
    recipients: directory.recipients.map((r) => ({
      id: r.id,
      name: r.name,
      recipient: r.recipient,
      ...(r.signer === undefined ? {} : { signer: r.signer }),
    })),
    custodians: (directory.custodians ?? []).map((c) => ({ id: c.id, recipient: c.recipient })),
    manifest,
  }
}
