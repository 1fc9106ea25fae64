import type { Json, TipIdentity } from "@sotto/crypto-core"
import { contexts, type ResponseOf, tips } from "@sotto/protocol"
import { relay } from "./api.js"
import { crypto } from "./crypto.js"
import { errorCode } from "./errors.js"
import { type Colleague, loadColleagues } from "./staffDirectory.js"
import { type OpenedParts, openTipParts } from "./tipParts.js"

type TipRead = ResponseOf<typeof tips.getTip>
type CommentView = TipRead["comments"][number]
type FileView = TipRead["files"][number]

// A recipient's tips, as test/relay/fullFlow.test.ts step 6 reads them with crypto-core: list,
// fetch one, open the caller's wrap with the account identity in the tip worker, then open the
// answers, comments and file metadata there. Only ciphertext crosses the network.

/** One line of the inbox. */
export type TipSummary = ResponseOf<typeof tips.listTips>["tips"][number]
/** The tip record as staff see it. */
export type TipRecord = ResponseOf<typeof tips.getTip>["tip"]
/** A context as the public list shows it (name, questionnaire, limits). */
export type ContextInfo = ResponseOf<typeof contexts.getContext>

/** A comment, opened: `author` is a user id, or `wb` for the whistleblower. */
export type OpenComment = OpenedParts<CommentView, FileView>["comments"][number]

/** A file of a tip: the relay's facts (`size` of the age file) and the opened metadata. */
export type OpenFile = OpenedParts<CommentView, FileView>["files"][number]

/** A tip opened in this browser. */
export interface OpenTip {
  readonly tip: TipRecord
  readonly key: TipIdentity
  readonly answers: Readonly<Record<string, Json>>
  readonly comments: readonly OpenComment[]
  readonly files: readonly OpenFile[]
  /** The questions as the whistleblower saw them (sealed snapshot). */
  readonly questions: OpenedParts<CommentView, FileView>["questions"]
  /** Where this reader's next comment goes in the transcript. */
  readonly head: OpenedParts<CommentView, FileView>["head"]
  readonly holders: readonly { readonly userId: string; readonly grantedAt: number }[]
}

/** One page of the inbox, newest first; `next` is the cursor of the page after it, if any. */
export interface InboxPage {
  readonly tips: readonly TipSummary[]
  readonly next?: string
}

/** How many inbox lines one request asks for. */
export const INBOX_PAGE = 50

/** One page of the inbox after `cursor` (the first page without one). */
export async function loadInboxPage(session: string, cursor?: string): Promise<InboxPage> {
  const res = await relay.call(tips.listTips, {
    session,
    query: { limit: INBOX_PAGE, ...(cursor === undefined ? {} : { cursor }) },
  })
  return { tips: res.tips, ...(res.next === undefined ? {} : { next: res.next }) }
}

/** The names of the node's contexts, by id (empty when the list cannot be loaded). */
export async function loadContextNames(): Promise<ReadonlyMap<string, string>> {
  const ctx = await relay.call(contexts.listContexts).catch(() => ({ contexts: [] }))
  return new Map(ctx.contexts.map((c) => [c.id, c.name]))
}

/** The inbox's first page with the names of the contexts. */
export async function loadInbox(session: string): Promise<{
  tips: readonly TipSummary[]
  next?: string
  contextNames: ReadonlyMap<string, string>
}> {
  const [page, contextNames] = await Promise.all([loadInboxPage(session), loadContextNames()])
  return { ...page, contextNames }
}

/**
 * Fetches a tip and opens it with the account `identity`.
 * @throws RelayClientError `NOT_FOUND` (no access, revoked, wiped); CryptoError `WRONG_KEY`,
 * `TAMPERED`.
 */
export async function openTip(session: string, tipId: string, identity: string): Promise<OpenTip> {
  const read = await relay.call(tips.getTip, { session, params: { tipId } })
  return openRead(read, identity, await loadColleagues(read.tip.contextId))
}

/**
 * Opens a fetched tip with the account `identity`, checking its binding and transcript against
 * the verified recipients of its context (`directory`).
 * @throws CryptoError `WRONG_KEY`, `TAMPERED`, `KEY_MISMATCH`, `BAD_SIGNATURE`.
 */
export async function openRead(
  read: TipRead,
  identity: string,
  directory: readonly Colleague[],
): Promise<OpenTip> {
  const key = await crypto().tip.unwrapTipKeyFrom([read.wrap], identity)
  const opened = await openTipParts(key, read, {
    view: "staff",
    context: read.tip.contextId,
    directory: directory.map((c) => ({
      id: c.id,
      ...(c.signer === undefined ? {} : { signer: c.signer }),
    })),
  }).catch((error: unknown) => {
    const code = errorCode(error)
    if (code === "KEY_MISMATCH" || code === "BAD_SIGNATURE" || code === "TAMPERED") {
      throw Object.assign(new Error("the tip binding does not verify"), {
        code: "TIP_BINDING_FAILED",
        cause: error,
      })
    }
    throw error
  })
  return { tip: read.tip, key, ...opened, holders: read.holders }
}

/**
 * Seals a comment as the next transcript entry (signed with the account signing key derived
 * from `author.identity`, chained after the tip's checked head) in the worker and posts it.
 * @throws RelayClientError.
 */
export async function addComment(
  session: string,
  tip: OpenTip,
  author: { readonly userId: string; readonly identity: string },
  text: string,
): Promise<void> {
  const { sealed } = await crypto().tip.sealTranscriptEntry({
    tip: tip.key.recipient,
    head: tip.head,
    author: { role: "staff", id: author.userId },
    identity: author.identity,
    kind: "comment",
    content: { text },
  })
  await relay.call(tips.addTipComment, {
    session,
    params: { tipId: tip.tip.id },
    body: { age: sealed },
  })
}

/** Sets status and/or labels. @throws RelayClientError `VALIDATION` (`body.labels`…). */
export function updateTip(
  session: string,
  tipId: string,
  change: { status?: TipRecord["status"]; labels?: string[] },
): Promise<TipRecord> {
  return relay.call(tips.updateTip, { session, params: { tipId }, body: change })
}

/** Moves the expiry `days` later. @returns the new expiry (ms). */
export async function postponeTip(session: string, tipId: string, days: number): Promise<number> {
  return (await relay.call(tips.postponeTip, { session, params: { tipId }, body: { days } }))
    .expiresAt
}

/** Wipes the tip for everyone. @throws RelayClientError. */
export async function deleteTip(session: string, tipId: string): Promise<void> {
  await relay.call(tips.deleteTip, { session, params: { tipId } })
}

/** The context of a tip (questionnaire labels, name); undefined when it is gone. */
export function loadContextInfo(contextId: string): Promise<ContextInfo | undefined> {
  return relay.call(contexts.getContext, { params: { contextId } }).catch(() => undefined)
}
