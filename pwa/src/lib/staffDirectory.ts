import { type AgeRecipient, isCryptoError } from "@sotto/crypto-core"
import { accounts, type contexts, type ResponseOf, tips } from "@sotto/protocol"
import { relay } from "./api.js"
import { crypto } from "./crypto.js"
import type { OpenTip } from "./staffTips.js"
import { readDirectoryVersion, writeDirectoryVersion } from "./trustStore.js"
import { DirectoryError, loadTrustedDirectory, readPin } from "./wbDirectory.js"

// Colleagues a recipient may grant a tip to. A recipient has no route to look up other users'
// keys; the context's key directory lists its recipients with their keys, signed by the node's
// signing key. It is verified exactly as the whistleblower's page does (lib/wbDirectory.ts), so
// a relay cannot slip in a key of its own, roll the directory back or serve an expired one.

/** A recipient of the context, with the key a grant is wrapped to and the key they sign with. */
export interface Colleague {
  readonly id: string
  readonly name: string
  readonly recipient: AgeRecipient
  /** Their account signing key: comments verify as theirs only under it. */
  readonly signer?: string
}

/** A context's signed directory, as the relay serves it. */
export type SignedDirectory = ResponseOf<typeof contexts.getContextDirectory>

/**
 * Verifies a context's signed directory against `nodeKey` (the verified manifest's directory
 * signer; the pin, when there is one, must match it) and its expiry, and returns its recipients.
 * `fresh` (just fetched from the relay, not the copy kept for offline reading) also refuses a
 * version below the highest this browser saw, and keeps the new one.
 * @throws CryptoError `KEY_MISMATCH`, `BAD_SIGNATURE`, `BAD_INPUT`; DirectoryError
 * `DIRECTORY_STALE`, `DIRECTORY_EXPIRED`; Error with code `NODE_KEY_CHANGED` or
 * `DIRECTORY_CONTEXT`.
 */
export async function verifyColleagues(
  contextId: string,
  signed: SignedDirectory,
  nodeKey: string,
  fresh = false,
): Promise<readonly Colleague[]> {
  const pinned = await readPin()
  if (pinned !== undefined && pinned !== nodeKey) {
    throw Object.assign(new Error("the node signing key differs from the pin"), {
      code: "NODE_KEY_CHANGED",
    })
  }
  const seenVersion = fresh ? await readDirectoryVersion(contextId) : undefined
  let directory: Awaited<
    ReturnType<ReturnType<typeof crypto>["tip"]["verifyDirectory"]>
  >["directory"]
  try {
    ;({ directory } = await crypto().tip.verifyDirectory(signed, nodeKey, {
      ...(seenVersion === undefined ? {} : { seenVersion }),
    }))
  } catch (e) {
    if (isCryptoError(e, "STALE")) throw new DirectoryError("DIRECTORY_STALE", e.message)
    if (isCryptoError(e, "EXPIRED")) throw new DirectoryError("DIRECTORY_EXPIRED", e.message)
    throw e
  }
  if (directory.context !== contextId) {
    throw Object.assign(new Error("the directory names another context"), {
      code: "DIRECTORY_CONTEXT",
    })
  }
  if (fresh) await writeDirectoryVersion(contextId, directory.version)
  return directory.recipients.map((r) => ({
    id: r.id,
    name: r.name,
    recipient: r.recipient,
    ...(r.signer === undefined ? {} : { signer: r.signer }),
  }))
}

/**
 * The verified recipients of `contextId`: the manifest checked against this browser's pin, the
 * directory under its signer, not expired and not older than a version seen before.
 * @throws TrustError `NODE_KEY_CHANGED`, `MANIFEST_STALE`, `MANIFEST_FORGED`; DirectoryError
 * `DIRECTORY_CONTEXT`, `DIRECTORY_STALE`, `DIRECTORY_EXPIRED`; CryptoError `BAD_SIGNATURE`;
 * RelayClientError from the fetches.
 */
export async function loadColleagues(contextId: string): Promise<readonly Colleague[]> {
  const directory = await loadTrustedDirectory(contextId, relay.call(accounts.getNode))
  return directory.recipients
}

/** Wraps the tip key to `colleague` in the tip worker and stores the wrap. @throws RelayClientError. */
export async function grantAccess(session: string, tip: OpenTip, colleague: Colleague) {
  const wrap = await crypto().tip.wrapTipKey(tip.key, colleague.recipient)
  return relay.call(tips.grantAccess, {
    session,
    params: { tipId: tip.tip.id, userId: colleague.id },
    body: { wrap: { v: wrap.v, to: [...wrap.to], age: wrap.age } },
  })
}

/** Deletes a colleague's wrap. @throws RelayClientError `CONFLICT` for the last holder. */
export async function revokeAccess(session: string, tipId: string, userId: string): Promise<void> {
  await relay.call(tips.revokeAccess, { session, params: { tipId, userId } })
}
