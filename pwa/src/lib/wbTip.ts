import type { Json } from "@sotto/crypto-core"
import { type ResponseOf, wb } from "@sotto/protocol"
import { relay } from "./api.js"
import { crypto } from "./crypto.js"
import { type OpenedParts, openTipParts } from "./tipParts.js"
import { toBase64url } from "./wbBytes.js"
import { type NodeView, receiptKeys, withPow } from "./wbSubmit.js"

// The whistleblower coming back: the receipt (checked for typos first, then stretched), a login
// gated by proof of work, the tip key opened from the whistleblower's own wrap; then the tip read
// and opened in the tip worker, and new comments sealed there.

/** Progress of the return's long steps. */
export type ReturnStage = "keys" | "pow"

/** A session opened with a receipt, with the tip key. */
export interface WbLogin {
  readonly session: string
  readonly tipId: string
  readonly tipIdentity: string
  readonly tipRecipient: string
}

/**
 * Logs in with a typed receipt (spaces and dashes forgiven) and opens the tip key.
 * @throws CryptoError `BAD_RECEIPT_FORMAT` (before any slow work), `WRONG_KEY`/`TAMPERED`;
 * RelayClientError `WRONG_CREDENTIALS` (no tip with this receipt), `RATE_LIMITED`, `BAD_POW`.
 */
export async function loginWithReceipt(
  node: NodeView,
  typed: string,
  onProgress: (stage: ReturnStage, fraction: number) => void,
  signal?: AbortSignal,
): Promise<WbLogin> {
  const receipt = await crypto().kdf.normaliseReceipt(typed, node.receipt.pattern)
  const keys = await receiptKeys(node, receipt, (f) => onProgress("keys", f), signal)
  const authKey = toBase64url(keys.authKey)
  const login = await withPow(
    "wbLogin",
    { authKey },
    (pow) => relay.call(wb.wbLogin, { body: { pow, authKey } }),
    (f) => onProgress("pow", f),
    signal,
  )
  const mine = await relay.call(wb.getWbTip, { session: login.session })
  const tip = await crypto().tip.unwrapTipKey(mine.wbWrap, keys.identity)
  return {
    session: login.session,
    tipId: login.tipId,
    tipIdentity: tip.identity,
    tipRecipient: tip.recipient,
  }
}

type WbRead = ResponseOf<typeof wb.getWbTip>

/** A comment, opened: `author` is `wb` or `recipient` (staff names are never shown). */
export type OpenComment = OpenedParts<
  WbRead["comments"][number],
  WbRead["files"][number]
>["comments"][number]

/** A file of the tip, its metadata opened; `size` is the age file's. */
export type OpenFile = OpenedParts<
  WbRead["comments"][number],
  WbRead["files"][number]
>["files"][number]

/** The whistleblower's tip, opened. */
export interface OpenTip {
  readonly id: string
  readonly contextId: string
  readonly createdAt: number
  readonly updatedAt: number
  readonly expiresAt: number
  /** `new`, `open` or `closed`, as the recipients set it. */
  readonly status: WbRead["tip"]["status"]
  readonly answers: Readonly<Record<string, Json>>
  readonly comments: readonly OpenComment[]
  readonly files: readonly OpenFile[]
}

/**
 * Fetches the tip and opens its answers, comments and file metadata in the tip worker.
 * @throws RelayClientError (`UNAUTHENTICATED`/`SESSION_EXPIRED` when the session ended,
 * `NOT_FOUND` when the tip was deleted), CryptoError `TAMPERED`.
 */
export async function loadOpenTip(
  session: string,
  tipIdentity: string,
  tipRecipient: string,
): Promise<OpenTip> {
  const mine = await relay.call(wb.getWbTip, { session })
  const opened = await openTipParts({ identity: tipIdentity, recipient: tipRecipient }, mine)
  return { ...mine.tip, ...opened }
}

/**
 * Seals a comment to the tip in the worker and sends it.
 * @throws RelayClientError (`PAYLOAD_TOO_LARGE`, `CONFLICT` when the tip has too many comments).
 */
export async function addComment(
  session: string,
  tipRecipient: string,
  text: string,
): Promise<void> {
  const age = await crypto().tip.sealTipPart(tipRecipient, "comment", { text })
  await relay.call(wb.addWbComment, { session, body: { age } })
}
