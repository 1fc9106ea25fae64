import type { DerivedKeys, Json, TranscriptHead } from "@sotto/crypto-core"
import { accounts, type ResponseOf, wb } from "@sotto/protocol"
import { relay } from "./api.js"
import { crypto } from "./crypto.js"
import { errorCode } from "./errors.js"
import { trustManifest } from "./nodeTrust.js"
import { type OpenedParts, openTipParts } from "./tipParts.js"
import { toBase64url } from "./wbBytes.js"
import { loadTrustedDirectory } from "./wbDirectory.js"
import { type NodeView, type ReceiptDerivation, receiptKeys, withPow } from "./wbSubmit.js"

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
  /** The receipt identity: the whistleblower's signing key is derived from it (memory only). */
  readonly receiptIdentity: string
}

/** What reading and writing the tip needs: the session and the keys (memory only). */
export interface WbKeys {
  readonly session: string
  readonly tipIdentity: string
  readonly tipRecipient: string
  readonly receiptIdentity: string
}

/**
 * Logs in with a typed receipt (spaces and dashes forgiven), opens the tip key and checks the
 * tip's binding under the signing key re-derived from the typed receipt: a tip key the relay
 * made itself is refused here, before anything is shown or sent.
 * @throws CryptoError `BAD_RECEIPT_FORMAT` (before any slow work), `KEY_MISMATCH`,
 * `BAD_SIGNATURE` or `TAMPERED` (the binding fails: not the tip this receipt made), `WRONG_KEY`;
 * RelayClientError `WRONG_CREDENTIALS` (no tip with this receipt), `RATE_LIMITED`, `BAD_POW`;
 * TrustError from the manifest (checked first); CryptoError `POW_OUT_OF_BOUNDS` (a challenge the manifest forbids).
 */
export async function loginWithReceipt(
  node: NodeView,
  typed: string,
  onProgress: (stage: ReturnStage, fraction: number) => void,
  signal?: AbortSignal,
): Promise<WbLogin> {
  // Pattern, salt and cost from the manifest verified against the pin: GET /node's unsigned
  // copy would let the relay pick the keys this receipt stretches into.
  const manifest = await trustManifest(node.manifest)
  const receipt = await crypto().kdf.normaliseReceipt(typed, manifest.receipt.pattern)
  // OPRF first; v1 only where the manifest says v1 receipts may exist (SPEC §16), so a relay
  // refusing the OPRF login cannot make this browser send a v1 receipt key elsewhere.
  const derivations: ReceiptDerivation[] =
    manifest.oprf === undefined ? ["v1"] : manifest.oprf.v1Receipts ? ["oprf", "v1"] : ["oprf"]
  let keys: DerivedKeys | undefined
  let login: ResponseOf<typeof wb.wbLogin> | undefined
  for (const [i, derivation] of derivations.entries()) {
    keys = await receiptKeys(manifest, receipt, derivation, (f) => onProgress("keys", f), signal)
    const authKey = toBase64url(keys.authKey)
    try {
      login = await withPow(
        "wbLogin",
        { authKey },
        manifest.pow,
        (pow) => relay.call(wb.wbLogin, { body: { pow, authKey } }),
        (f) => onProgress("pow", f),
        signal,
      )
      break
    } catch (e) {
      if (i === derivations.length - 1 || errorCode(e) !== "WRONG_CREDENTIALS") throw e
    }
  }
  if (!keys || !login) throw new Error("no receipt derivation was tried")
  const mine = await relay.call(wb.getWbTip, { session: login.session })
  const tip = await crypto().tip.unwrapTipKey(mine.wbWrap, keys.identity)
  const opened: WbLogin = {
    session: login.session,
    tipId: login.tipId,
    tipIdentity: tip.identity,
    tipRecipient: tip.recipient,
    receiptIdentity: keys.identity,
  }
  await checkTip(opened, mine, node)
  return opened
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
  /** When staff acknowledged the report (a comment or a status change), once they have. */
  readonly acknowledgedAt?: number
  /** Present when the report has an identity: whether a custodian disclosed it to a recipient. */
  readonly identityDisclosed?: boolean
  readonly answers: Readonly<Record<string, Json>>
  /** The questions as the whistleblower saw them (sealed snapshot). */
  readonly questions: OpenedParts<WbRead["comments"][number], WbRead["files"][number]>["questions"]
  readonly comments: readonly OpenComment[]
  readonly files: readonly OpenFile[]
  /** Where the next comment or file goes in the transcript. */
  readonly head: TranscriptHead
}

/**
 * Fetches the tip, checks its binding under the receipt's key and opens its answers (with the
 * questions as the whistleblower saw them), comments and file metadata, each checked as a
 * transcript entry.
 * @throws RelayClientError (`UNAUTHENTICATED`/`SESSION_EXPIRED` when the session ended,
 * `NOT_FOUND` when the tip was deleted), CryptoError `KEY_MISMATCH`, `BAD_SIGNATURE`, `TAMPERED`.
 */
export async function loadOpenTip(keys: WbKeys): Promise<OpenTip> {
  const [mine, node] = await Promise.all([
    relay.call(wb.getWbTip, { session: keys.session }),
    relay.call(accounts.getNode),
  ])
  const opened = await checkTip(keys, mine, node)
  return { ...mine.tip, ...opened }
}

type NodeFacts = ResponseOf<typeof accounts.getNode>

async function checkTip(keys: WbKeys, mine: WbRead, node: NodeFacts) {
  try {
    return await checkTipOnce(keys, mine, node)
  } catch (error) {
    const code = errorCode(error)
    if (code === "KEY_MISMATCH" || code === "BAD_SIGNATURE" || code === "TAMPERED") {
      // Said in the whistleblower's words: this is not the report the receipt made.
      throw Object.assign(new Error("the tip binding does not verify under the receipt's key"), {
        code: "TIP_NOT_BOUND",
        cause: error,
      })
    }
    throw error
  }
}

async function checkTipOnce(keys: WbKeys, mine: WbRead, node: NodeFacts) {
  const worker = crypto().tip
  // The directory tells whose signatures are staff's; without one, staff messages stay unverified.
  const directory = await loadTrustedDirectory(mine.tip.contextId, node).catch(() => undefined)
  return openTipParts({ identity: keys.tipIdentity, recipient: keys.tipRecipient }, mine, {
    view: "whistleblower",
    whistleblower: await worker.receiptSigner(keys.receiptIdentity),
    context: mine.tip.contextId,
    directory: (directory?.recipients ?? []).map((r) => ({
      id: r.id,
      ...(r.signer === undefined ? {} : { signer: r.signer }),
    })),
  })
}

/**
 * Seals a comment as the whistleblower's next transcript entry (signed with the receipt's key,
 * chained after `head`, the tip's checked head) in the worker and sends it.
 * @throws RelayClientError (`PAYLOAD_TOO_LARGE`, `CONFLICT` when the tip has too many comments).
 */
export async function addComment(keys: WbKeys, head: TranscriptHead, text: string): Promise<void> {
  const { sealed } = await crypto().tip.sealTranscriptEntry({
    tip: keys.tipRecipient,
    head,
    author: { role: "whistleblower" },
    identity: keys.receiptIdentity,
    kind: "comment",
    content: { text },
  })
  await relay.call(wb.addWbComment, { session: keys.session, body: { age: sealed } })
}

/**
 * A file-metadata sealer for the whistleblower's uploads: each file record is the next
 * transcript entry after the previous one, starting at `head`.
 */
export function wbMetaSealer(
  keys: Pick<WbKeys, "tipRecipient" | "receiptIdentity">,
  head: TranscriptHead,
): (meta: Json) => Promise<string> {
  let next = head
  return async (meta) => {
    const entry = await crypto().tip.sealTranscriptEntry({
      tip: keys.tipRecipient,
      head: next,
      author: { role: "whistleblower" },
      identity: keys.receiptIdentity,
      kind: "file",
      content: meta,
    })
    next = entry.head
    return entry.sealed
  }
}
