import type { Json, TipIdentity } from "@sotto/crypto-core"
import { contexts, type ResponseOf, tips } from "@sotto/relay/protocol"
import { relay } from "./api.js"
import { crypto } from "./crypto.js"

// A recipient's tips, as test/relay/fullFlow.test.ts step 6 reads them with crypto-core: list,
// fetch one, open the caller's wrap with the account identity in the tip worker, then open the
// answers, comments and file metadata there. Only ciphertext crosses the network.

/** One line of the inbox. */
export type TipSummary = ResponseOf<typeof tips.listTips>["tips"][number]
/** The tip record as staff see it. */
export type TipRecord = ResponseOf<typeof tips.getTip>["tip"]
/** A context as the public list shows it (name, questionnaire, limits). */
export type ContextInfo = ResponseOf<typeof contexts.getContext>

/** A comment, opened. */
export interface OpenComment {
  readonly id: string
  /** A user id, or `wb` for the whistleblower. */
  readonly author: string
  readonly createdAt: number
  readonly text: string
}

/** File metadata as the whistleblower's browser sealed it (see lib/upload.ts). */
export interface OpenFileMeta {
  readonly name: string
  readonly type?: string
  readonly size?: number
  /** Lowercase hex SHA-256 of the plain file, as the sender's browser computed it. */
  readonly sha256?: string
}

/** A file of a tip: the relay's facts and the opened metadata. */
export interface OpenFile {
  readonly id: string
  readonly author: string
  readonly createdAt: number
  /** Size of the age file on the relay. */
  readonly sealedSize: number
  readonly complete: boolean
  readonly meta: OpenFileMeta
}

/** A tip opened in this browser. */
export interface OpenTip {
  readonly tip: TipRecord
  readonly key: TipIdentity
  readonly answers: Record<string, Json>
  readonly comments: readonly OpenComment[]
  readonly files: readonly OpenFile[]
  readonly holders: readonly { readonly userId: string; readonly grantedAt: number }[]
}

/** The inbox: tips newest first, with the names of their contexts. */
export async function loadInbox(
  session: string,
): Promise<{ tips: readonly TipSummary[]; contextNames: ReadonlyMap<string, string> }> {
  const [list, ctx] = await Promise.all([
    relay.call(tips.listTips, { session }),
    relay.call(contexts.listContexts).catch(() => ({ contexts: [] })),
  ])
  const sorted = [...list.tips].sort((a, b) => b.createdAt - a.createdAt)
  return { tips: sorted, contextNames: new Map(ctx.contexts.map((c) => [c.id, c.name])) }
}

/** A comment's words: the `text` of `{text}`, or a bare string. */
function textOf(body: Json): string {
  if (typeof body === "string") return body
  if (body && typeof body === "object" && !Array.isArray(body)) {
    const text = (body as Record<string, Json>).text
    if (typeof text === "string") return text
  }
  return JSON.stringify(body)
}

function metaOf(body: Json): OpenFileMeta {
  const m = (body && typeof body === "object" && !Array.isArray(body) ? body : {}) as Record<
    string,
    Json
  >
  return {
    name: typeof m.name === "string" ? m.name : "file",
    ...(typeof m.type === "string" ? { type: m.type } : {}),
    ...(typeof m.size === "number" ? { size: m.size } : {}),
    ...(typeof m.sha256 === "string" ? { sha256: m.sha256 } : {}),
  }
}

/**
 * Fetches a tip and opens it with the account `identity`.
 * @throws RelayClientError `NOT_FOUND` (no access, revoked, wiped); CryptoError `WRONG_KEY`,
 * `TAMPERED`.
 */
export async function openTip(session: string, tipId: string, identity: string): Promise<OpenTip> {
  const read = await relay.call(tips.getTip, { session, params: { tipId } })
  const worker = crypto().tip
  const key = await worker.unwrapTipKeyFrom([read.wrap], identity)
  const [answers, comments, files] = await Promise.all([
    worker.openTipPart(read.answers, key, "answers"),
    Promise.all(
      read.comments.map(async (c) => ({
        id: c.id,
        author: c.author,
        createdAt: c.createdAt,
        text: textOf(await worker.openTipPart(c.age, key, "comment")),
      })),
    ),
    Promise.all(
      read.files.map(async (f) => ({
        id: f.id,
        author: f.author,
        createdAt: f.createdAt,
        sealedSize: f.size,
        complete: f.complete,
        meta: metaOf(await worker.openTipPart(f.meta, key, "metadata")),
      })),
    ),
  ])
  return {
    tip: read.tip,
    key,
    answers: (answers && typeof answers === "object" && !Array.isArray(answers)
      ? answers
      : {}) as Record<string, Json>,
    comments,
    files,
    holders: read.holders,
  }
}

/** Seals a comment to the tip in the worker and posts it. @throws RelayClientError. */
export async function addComment(
  session: string,
  tip: OpenTip,
  text: string,
): Promise<OpenComment> {
  const age = await crypto().tip.sealTipPart(tip.key.recipient, "comment", { text })
  const view = await relay.call(tips.addTipComment, {
    session,
    params: { tipId: tip.tip.id },
    body: { age },
  })
  return { id: view.id, author: view.author, createdAt: view.createdAt, text }
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
