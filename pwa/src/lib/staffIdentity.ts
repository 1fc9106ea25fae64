import type { Json } from "@sotto/crypto-core"
import { accounts, identity, RelayClientError, type ResponseOf } from "@sotto/protocol"
import { relay } from "./api.js"
import { crypto } from "./crypto.js"
import { loadTrustedDirectory, signedDirectoryToCheck } from "./wbDirectory.js"

// A whistleblower's identity behind a custodian (SPEC §6.3), on the staff side. Recipients ask
// with a reason sealed to the custodians of the verified directory; a custodian's browser reads
// it and approves by wrapping the identity key to the requester's key from that same verified
// directory (never a key the relay names); an approved recipient opens the identity.

/** A tip's identity as the relay serves it to one holder. */
export type TipIdentityView = ResponseOf<typeof identity.getTipIdentity>
/** One request as a custodian sees it. */
export type CustodianRequest = ResponseOf<typeof identity.listIdentityRequests>["requests"][number]

const wire = (w: { v: 1; to: readonly string[]; age: string }) => ({
  v: w.v,
  to: [...w.to],
  age: w.age,
})

/** The tip's identity for the caller, or undefined when the tip has none. @throws RelayClientError. */
export async function loadTipIdentity(
  session: string,
  tipId: string,
): Promise<TipIdentityView | undefined> {
  try {
    return await relay.call(identity.getTipIdentity, { session, params: { tipId } })
  } catch (error) {
    if (error instanceof RelayClientError && error.status === 404) return undefined
    throw error
  }
}

/**
 * Opens the identity with the caller's approved wrap; it must belong to the tip of `tipRecipient`.
 * @throws CryptoError `WRONG_KEY`, `TAMPERED`.
 */
export async function openTipIdentity(
  view: TipIdentityView,
  reader: string,
  tipRecipient: string,
): Promise<{ answers: Readonly<Record<string, Json>>; labels: Readonly<Record<string, string>> }> {
  if (!view.wrap) throw new Error("no approved wrap")
  const content = await crypto().tip.openIdentityWith({
    sealed: view.age,
    wrap: view.wrap,
    reader,
    tip: tipRecipient,
  })
  return { answers: content.answers, labels: content.labels ?? {} }
}

/**
 * Asks the custodians of `contextId` (from its verified directory) for the identity, with `reason`
 * sealed to them. @throws TrustError/DirectoryError/CryptoError from the directory, RelayClientError.
 */
export async function requestTipIdentity(
  session: string,
  tipId: string,
  contextId: string,
  reason: string,
) {
  const directory = await loadTrustedDirectory(contextId, relay.call(accounts.getNode))
  const sealed = await crypto().tip.sealIdentityReason(
    reason,
    directory.custodians.map((c) => c.recipient),
  )
  return relay.call(identity.requestIdentity, {
    session,
    params: { tipId },
    body: { reason: wire(sealed) },
  })
}

/** The requests on the tips this custodian keeps the identity of. @throws RelayClientError. */
export async function loadCustodianRequests(session: string): Promise<readonly CustodianRequest[]> {
  return (await relay.call(identity.listIdentityRequests, { session })).requests
}

/** Opens a request's reason with the custodian's identity. @throws CryptoError. */
export function openReason(request: CustodianRequest, custodian: string): Promise<string> {
  return crypto().tip.openIdentityReason(request.reason, custodian)
}

/**
 * Approves in this browser: the directory is verified against the pin in the tip worker and the
 * identity key is wrapped to the requester's key from it; only then is the wrap sent.
 * @throws CryptoError `KEY_MISMATCH`, `BAD_SIGNATURE`, `EXPIRED`, `STALE`, `NOT_CERTIFIED` (nothing
 * is sent); TrustError; RelayClientError.
 */
export async function approveRequest(
  session: string,
  request: CustodianRequest,
  custodian: string,
) {
  const { signed, pin, check } = await signedDirectoryToCheck(
    request.contextId,
    relay.call(accounts.getNode),
  )
  const wrap = await crypto().tip.approveIdentityRequest({
    signed,
    pin,
    check,
    contextId: request.contextId,
    requesterId: request.requester,
    custodianWrap: request.custodianWrap,
    custodian,
  })
  return relay.call(identity.decideIdentityRequest, {
    session,
    params: { tipId: request.tipId, requestId: request.id },
    body: { approve: true, wrap: wire(wrap) },
  })
}

/** Refuses a request. @throws RelayClientError. */
export function refuseRequest(session: string, request: CustodianRequest) {
  return relay.call(identity.decideIdentityRequest, {
    session,
    params: { tipId: request.tipId, requestId: request.id },
    body: { approve: false },
  })
}
