import type { Json, TipIdentity } from "@sotto/crypto-core"
import { wb } from "@sotto/relay/protocol"
import { relay } from "./api.js"
import { crypto } from "./crypto.js"
import type { FileMeta } from "./upload.js"
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

/** A comment, opened. */
export interface OpenComment {
  readonly id: string
  readonly author: "wb" | "recipient"
  readonly createdAt: number
  readonly text: string
}

/** A file of the tip, its metadata opened. */
export interface OpenFile {
  readonly id: string
  readonly createdAt: number
  readonly size: number
  readonly complete: boolean
  readonly meta: Partial<FileMeta>
}

/** The whistleblower's tip, opened. */
export interface OpenTip {
  readonly id: string
  readonly contextId: string
  readonly createdAt: number
  readonly updatedAt: number
  readonly expiresAt: number
  readonly answers: Readonly<Record<string, Json>>
  readonly comments: readonly OpenComment[]
  readonly files: readonly OpenFile[]
}

function tipOf(identity: string, recipient: string): TipIdentity {
  return { identity, recipient }
}

function recordOf(body: Json): Readonly<Record<string, Json>> {
  return body !== null && typeof body === "object" && !Array.isArray(body)
    ? (body as Readonly<Record<string, Json>>)
    : {}
}

/** A comment's words: the `text` of `{text}`, or a bare string. */
function textOf(body: Json): string {
  if (typeof body === "string") return body
  const text = recordOf(body).text
  return typeof text === "string" ? text : ""
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
  const worker = crypto().tip
  const tip = tipOf(tipIdentity, tipRecipient)
  const mine = await relay.call(wb.getWbTip, { session })
  const [answers, comments, files] = await Promise.all([
    worker.openTipPart(mine.answers, tip, "answers"),
    Promise.all(
      mine.comments.map(async (c) => ({
        id: c.id,
        author: c.author,
        createdAt: c.createdAt,
        text: textOf(await worker.openTipPart(c.age, tip, "comment")),
      })),
    ),
    Promise.all(
      mine.files.map(async (f) => ({
        id: f.id,
        createdAt: f.createdAt,
        size: f.size,
        complete: f.complete,
        meta: (await worker.openTipPart(f.meta, tip, "metadata")) as Partial<FileMeta>,
      })),
    ),
  ])
  return {
    ...mine.tip,
    answers: recordOf(answers),
    comments,
    files,
  }
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
