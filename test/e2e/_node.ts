import { createHash, randomBytes } from "node:crypto"
import { createWriteStream } from "node:fs"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import {
  accountSigner,
  type CheckedTip,
  decryptFile,
  directoryExpiry,
  type Json,
  readTip,
  sealTranscriptEntry,
  signDirectory,
  type TipIdentity,
  unwrapTipKey,
  verifyDirectory,
} from "@sotto/crypto-core"
import { accounts, type BodyOf, contexts, files, tips } from "@sotto/protocol"
import {
  createRecipient,
  firstLogin,
  type NodeAdmin,
  type StaffActor,
  setupNode,
} from "../relay/_actors.js"
import type { TestRelay } from "../relay/_harness.js"
import { wire } from "../relay/_seed.js"

// A node ready for browser tests, set up from Node with the relay test actors (real crypto, the
// public HTTP API): the first admin, `n` recipients who finished their first login, and one
// context whose directory the admin signed. Plus what a recipient's browser does to read a tip,
// so a test can check what the page sent.

/** A questionnaire, as the createContext route takes it. */
export type Questionnaire = BodyOf<typeof contexts.createContext>["questionnaire"]

/** Options of {@link prepareNode}. */
export interface PrepareOptions {
  /** How many recipients the context lists (default 1). */
  readonly recipients?: number
  readonly questionnaire?: Questionnaire
  readonly contextName?: string
  readonly description?: string
  readonly maxFiles?: number
  readonly maxFileBytes?: number
  readonly nodeName?: string
  /** Sign the relay's OPRF keys into the manifest (SPEC §16): accounts and receipts use them. */
  readonly oprf?: boolean
}

/** What {@link prepareNode} made. */
export interface PreparedNode {
  readonly admin: NodeAdmin
  readonly recipients: readonly StaffActor[]
  readonly contextId: string
  readonly contextName: string
}

/** Sets up the node, its recipients and one context (see the file comment). */
export async function prepareNode(
  t: TestRelay,
  options: PrepareOptions = {},
): Promise<PreparedNode> {
  const admin = await setupNode(t, {
    escrow: false,
    ...(options.nodeName ? { nodeName: options.nodeName } : {}),
    ...(options.oprf ? { oprf: true } : {}),
  })
  const recipients: StaffActor[] = []
  for (let i = 0; i < (options.recipients ?? 1); i++) {
    const account = await createRecipient(t, admin, `recipient${i + 1}`)
    recipients.push(await firstLogin(t, account.username, account.oneTimePassword))
  }
  const contextId = `ctx-${Date.now().toString(36)}`
  const contextName = options.contextName ?? "Financial misconduct"
  const directory = signDirectory(
    {
      v: 2,
      context: contextId,
      version: 1,
      issuedAt: new Date().toISOString(),
      expiresAt: directoryExpiry(new Date()),
      recipients: recipients.map((r, i) => ({
        id: r.userId,
        name: `Recipient ${i + 1}`,
        recipient: r.recipient,
        signer: accountSigner(r.identity),
      })),
    },
    admin.signing,
  )
  await t.client.call(contexts.createContext, {
    session: admin.session,
    body: {
      id: contextId,
      name: contextName,
      description: options.description ?? "Fraud, bribery and cooked books",
      recipients: recipients.map((r) => r.userId),
      questionnaire: options.questionnaire ?? [
        { id: "what", type: "textarea", label: "What happened?", required: true },
      ],
      expiryDays: 30,
      maxFiles: options.maxFiles ?? 5,
      maxFileBytes: options.maxFileBytes ?? 32 * 1024 * 1024,
      directory: wire(directory),
    },
  })
  return { admin, recipients, contextId, contextName }
}

/** A tip as its recipient opens it: the tip key, answers, comments and file metadata. */
export interface RecipientView {
  readonly tipKey: TipIdentity
  /** The answers by question id (the sealed v2 answers' `answers`). */
  readonly answers: Json
  /** Everything the check found: binding, questionnaire snapshot, transcript with problems. */
  readonly checked: CheckedTip
  readonly comments: readonly { readonly author: string; readonly body: Json }[]
  readonly files: readonly { readonly id: string; readonly size: number; readonly meta: Json }[]
}

/** The tips `recipient` holds, newest last. */
export async function tipIdsOf(t: TestRelay, recipient: StaffActor): Promise<string[]> {
  const { tips: list } = await t.client.call(tips.listTips, { session: recipient.session })
  return list.map((x) => x.id)
}

/**
 * Opens a tip as `recipient`'s browser does: fetch, unwrap the tip key, verify the context's
 * directory against the node key, then open and check answers, binding and transcript
 * (crypto-core `readTip`). Comments and files list the entries in written order.
 */
export async function openAsRecipient(
  t: TestRelay,
  recipient: StaffActor,
  tipId: string,
): Promise<RecipientView> {
  const read = await t.client.call(tips.getTip, { session: recipient.session, params: { tipId } })
  const tipKey = await unwrapTipKey(read.wrap, recipient.identity)
  const node = await t.client.call(accounts.getNode)
  const signed = await t.client.call(contexts.getContextDirectory, {
    params: { contextId: read.tip.contextId },
  })
  const { directory } = verifyDirectory(signed, node.signingPublicKey)
  const checked = await readTip(tipKey, read, {
    view: "staff",
    context: read.tip.contextId,
    directory: directory.recipients,
  })
  const entries = checked.transcript.entries
  return {
    tipKey,
    checked,
    answers: checked.answers.answers,
    comments: entries
      .filter((e) => e.list === "comment")
      .map((e) => ({
        author: read.comments.find((c) => c.id === e.ref)?.author ?? "",
        body: e.entry?.content ?? null,
      })),
    files: entries
      .filter((e) => e.list === "file")
      .flatMap((e) => {
        const f = read.files.find((x) => x.id === e.ref)
        return f ? [{ id: f.id, size: f.size, meta: e.entry?.content ?? null }] : []
      }),
  }
}

/**
 * Adds a comment as `actor` the way a recipient's browser does: read and check the tip, then
 * seal the next transcript entry signed with the account key, chained after the checked head.
 */
export async function staffComment(
  t: TestRelay,
  actor: StaffActor,
  tipId: string,
  text: string,
): Promise<void> {
  const view = await openAsRecipient(t, actor, tipId)
  const { sealed } = await sealTranscriptEntry({
    tip: view.tipKey.recipient,
    head: view.checked.transcript.head,
    author: { role: "staff", id: actor.userId },
    identity: actor.identity,
    kind: "comment",
    content: { text },
  })
  await t.client.call(tips.addTipComment, {
    session: actor.session,
    params: { tipId },
    body: { age: sealed },
  })
}

/**
 * Downloads a file as `recipient` and decrypts it as a stream.
 * @returns the plain file's SHA-256 (hex) and size.
 */
export async function downloadSha256(
  t: TestRelay,
  recipient: StaffActor,
  fileId: string,
  tipKey: TipIdentity,
): Promise<{ sha256: string; size: number }> {
  const res = await t.client.raw(files.downloadFile, {
    session: recipient.session,
    params: { fileId },
  })
  const hash = createHash("sha256")
  let size = 0
  const plain = decryptFile(res.body as ReadableStream<Uint8Array>, tipKey.identity)
  for await (const piece of plain as unknown as AsyncIterable<Uint8Array>) {
    hash.update(piece)
    size += piece.length
  }
  return { sha256: hash.digest("hex"), size }
}

const tempDirs: string[] = []

/** Deletes every file {@link randomFile} made in this test file (call it in afterAll). */
export async function removeRandomFiles(): Promise<void> {
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
}

/** A temp file of `size` random bytes named `name`, with its SHA-256 (hex). */
export async function randomFile(
  name: string,
  size: number,
): Promise<{ path: string; sha256: string; size: number }> {
  const dir = await mkdtemp(join(tmpdir(), "sotto-e2e-"))
  tempDirs.push(dir)
  const path = join(dir, name)
  const hash = createHash("sha256")
  const out = createWriteStream(path)
  for (let done = 0; done < size; ) {
    const piece = randomBytes(Math.min(1024 * 1024, size - done))
    hash.update(piece)
    if (!out.write(piece)) await new Promise<void>((resolve) => out.once("drain", () => resolve()))
    done += piece.length
  }
  await new Promise<void>((resolve, reject) =>
    out.end((e?: Error | null) => (e ? reject(e) : resolve())),
  )
  return { path, sha256: hash.digest("hex"), size }
}
