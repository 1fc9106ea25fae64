import type { AgeRecipient } from "@sotto/crypto-core"
import { contexts } from "@sotto/protocol"
import { relay } from "./api.js"
import { crypto } from "./crypto.js"

// Who a tip is wrapped to. The relay serves each context's key directory as the admin's browser
// signed it; this page checks the signature in the tip worker against the node signing key,
// which it pins on first use. A relay that swaps a recipient's key, serves another context's
// directory or a new node key is refused before anything is typed, let alone sent.

/** localStorage key of the pinned node signing key (public, the only thing this app stores). */
export const PIN_KEY = "sotto.pin.v1"

/** A failure to trust a directory, with a stable code for lib/messages.ts. */
export class DirectoryError extends Error {
  override readonly name = "DirectoryError"
  constructor(
    readonly code: "NODE_KEY_CHANGED" | "DIRECTORY_CONTEXT" | "NO_RECIPIENTS",
    message: string,
  ) {
    super(message)
  }
}

/** A verified directory: who may read a tip of this context. */
export interface TrustedDirectory {
  readonly contextId: string
  readonly recipients: readonly {
    readonly id: string
    readonly name: string
    readonly recipient: AgeRecipient
    /** Their account signing key: their comments verify only under it. */
    readonly signer?: string
  }[]
}

/** The pinned node signing key, when this browser has one (and storage is allowed). */
export function readPin(): string | undefined {
  try {
    return localStorage.getItem(PIN_KEY) ?? undefined
  } catch {
    return undefined
  }
}

function writePin(pin: string): void {
  try {
    localStorage.setItem(PIN_KEY, pin)
  } catch {
    // Private modes may refuse storage: the check against the node's published key still ran.
  }
}

/**
 * Fetches and verifies the directory of `contextId` against `signingKey` (the key the node
 * publishes, or a promise of it: the directory is fetched meanwhile) and the pin from an earlier
 * visit; pins the key on first use.
 * @throws DirectoryError `NODE_KEY_CHANGED` (node key ≠ pin), `DIRECTORY_CONTEXT` (directory of
 * another context), `NO_RECIPIENTS`; CryptoError `KEY_MISMATCH` (signed by another key),
 * `BAD_SIGNATURE`, `BAD_INPUT`; RelayClientError from the fetch.
 */
export async function loadTrustedDirectory(
  contextId: string,
  signingKey: string | Promise<string>,
): Promise<TrustedDirectory> {
  // The directory travels while the node's key does: one round trip less on a slow link.
  const [signed, nodeSigningKey] = await Promise.all([
    relay.call(contexts.getContextDirectory, { params: { contextId } }),
    signingKey,
  ])
  const pinned = readPin()
  if (pinned !== undefined && pinned !== nodeSigningKey) {
    throw new DirectoryError("NODE_KEY_CHANGED", "the node signing key differs from the pin")
  }
  const { directory, pin } = await crypto().tip.verifyDirectory(signed, nodeSigningKey)
  if (directory.context !== contextId) {
    throw new DirectoryError("DIRECTORY_CONTEXT", "the directory names another context")
  }
  if (directory.recipients.length === 0) {
    throw new DirectoryError("NO_RECIPIENTS", "the directory lists nobody")
  }
  if (pinned === undefined) writePin(pin)
  return {
    contextId,
    recipients: directory.recipients.map((r) => ({
      id: r.id,
      name: r.name,
      recipient: r.recipient,
      ...(r.signer === undefined ? {} : { signer: r.signer }),
    })),
  }
}
