import { createHash, randomBytes } from "node:crypto"
import {
  authVerifier,
  createTipIdentity,
  type DerivedKeys,
  deriveReceiptKeys,
  directoryExpiry,
  drawReceipt,
  fromBase64url,
  readTip,
  receiptSigningKey,
  type SigningKeyPair,
  sealAnswers,
  sealTranscriptEntry,
  signDirectory,
  signerOf,
  type TipIdentity,
  type TranscriptHead,
  toBase64url,
  unwrapTipKey,
  verifyDirectory,
  wrapTipKey,
} from "@sotto/crypto-core"
import { accounts, type BodyOf, contexts, files, wb } from "@sotto/protocol"
import { wireWrap } from "../relay/_actors.js"
import { encryptTo, pow } from "../relay/_flow.js"
import type { TestRelay } from "../relay/_harness.js"
import { wire } from "../relay/_seed.js"
import { chunkHash, chunksOf } from "../relay/_seedFiles.js"

// The Node side of the recipient e2e test: the admin's context changes and a whistleblower who
// submits a tip with a file and talks in its comments, all with crypto-core as the browsers do
// (test/relay/fullFlow.test.ts steps 2–6).

/** A person listed in a context's signed directory. */
export interface Listed {
  readonly userId: string
  readonly name: string
  readonly recipient: string
  /** The account signing key, when the test knows it (the directory then lists it). */
  readonly signer?: string
}

/** The questionnaire of the test context. */
export const QUESTIONS: BodyOf<typeof contexts.createContext>["questionnaire"] = [
  { id: "what", type: "textarea", label: "What happened?", required: true },
  { id: "where", type: "select", label: "Where?", required: false, options: ["HQ", "Branch"] },
]

/** A context body for `people`, its directory signed with the admin's signing key. */
export function contextBody(
  admin: { readonly signing: SigningKeyPair },
  contextId: string,
  people: readonly Listed[],
  issuedAt: Date,
): BodyOf<typeof contexts.updateContext> {
  const directory = signDirectory(
    {
      v: 2,
      context: contextId,
      // Each re-sign is later: its time in seconds is a strictly increasing version.
      version: Math.floor(issuedAt.getTime() / 1000),
      issuedAt: issuedAt.toISOString(),
      // Tests pass fixed past times: the expiry still counts from now, so it is not expired.
      expiresAt: directoryExpiry(new Date(Math.max(Date.now(), issuedAt.getTime()))),
      recipients: people.map((p) => ({
        id: p.userId,
        name: p.name,
        recipient: p.recipient,
        ...(p.signer === undefined ? {} : { signer: p.signer }),
      })),
    },
    admin.signing,
  )
  return {
    name: "Financial misconduct",
    description: "Fraud and cooked books",
    recipients: people.map((p) => p.userId),
    questionnaire: QUESTIONS,
    expiryDays: 30,
    maxFiles: 3,
    maxFileBytes: 16 * 1024 * 1024,
    directory: wire(directory),
  }
}

/** A whistleblower with a submitted tip: what only their browser knows. */
export interface Whistleblower {
  readonly tipId: string
  readonly session: string
  readonly tip: TipIdentity
  readonly keys: DerivedKeys
  /** The receipt as drawn (what the person would type). */
  readonly receipt: string
}

/** Submits `answers` to `people` (the context's directory) as the whistleblower's browser does. */
export async function submitTip(
  t: TestRelay,
  contextId: string,
  people: readonly Listed[],
  answers: Record<string, string>,
): Promise<Whistleblower> {
  const node = await t.client.call(accounts.getNode)
  const receipt = drawReceipt(node.receipt.pattern)
  const keys = await deriveReceiptKeys(
    receipt,
    fromBase64url("salt", node.receipt.salt),
    node.receipt.params,
    node.receipt.pattern,
  )
  const tip = await createTipIdentity()
  const context = await t.client.call(contexts.getContext, { params: { contextId } })
  const sealed = await sealAnswers({
    tip: tip.recipient,
    receiptIdentity: keys.identity,
    context: contextId,
    questions: context.questionnaire,
    answers,
  })
  const unpaid = {
    contextId,
    answers: sealed.sealed,
    wbAuthVerifier: toBase64url(authVerifier(keys.authKey)),
    wraps: await Promise.all(
      people.map(async (p) => ({
        holder: p.userId,
        wrap: wireWrap(await wrapTipKey(tip, p.recipient)),
      })),
    ),
    wbWrap: wireWrap(await wrapTipKey(tip, keys.recipient)),
  }
  const res = await t.client.call(wb.submitTip, {
    body: { pow: await pow(t, "submitTip", unpaid), ...unpaid },
  })
  return { tipId: res.tipId, session: res.session, tip, keys, receipt }
}

/** Uploads `size` random bytes as `name`; returns the plain file's SHA-256 (hex). */
export async function uploadFile(
  t: TestRelay,
  who: Whistleblower,
  name: string,
  size: number,
): Promise<string> {
  const plain = new Uint8Array(randomBytes(size))
  const sha256 = createHash("sha256").update(plain).digest("hex")
  const age = await encryptTo(who.tip.recipient, plain)
  const { sealed: meta } = await sealTranscriptEntry({
    tip: who.tip.recipient,
    head: await wbHead(t, who),
    author: { role: "whistleblower" },
    identity: who.keys.identity,
    kind: "file",
    content: { name, type: "application/octet-stream", size, sha256 },
  })
  const chunkSize = 1024 * 1024
  const { fileId } = await t.client.call(files.createFile, {
    session: who.session,
    params: { tipId: who.tipId },
    body: { meta, size: age.byteLength, chunkSize },
  })
  for (const [index, chunk] of chunksOf(age, chunkSize).entries()) {
    await t.client.call(files.putFileChunk, {
      session: who.session,
      params: { fileId, index: String(index) },
      body: chunk,
      headers: { [files.CHUNK_HASH_HEADER]: chunkHash(chunk) },
    })
  }
  await t.client.call(files.finalizeFile, { session: who.session, params: { fileId } })
  return sha256
}

/** The whistleblower's tip read and checked as their page does (binding under the receipt key). */
export async function wbRead(t: TestRelay, who: Whistleblower) {
  const mine = await t.client.call(wb.getWbTip, { session: who.session })
  const key = await unwrapTipKey(mine.wbWrap, who.keys.identity)
  const node = await t.client.call(accounts.getNode)
  const signed = await t.client.call(contexts.getContextDirectory, {
    params: { contextId: mine.tip.contextId },
  })
  const { directory } = verifyDirectory(signed, node.signingPublicKey)
  return readTip(key, mine, {
    view: "whistleblower",
    whistleblower: signerOf(receiptSigningKey(who.keys.identity)),
    context: mine.tip.contextId,
    directory: directory.recipients,
  })
}

/** Where the whistleblower's next comment or file goes in the transcript. */
export async function wbHead(t: TestRelay, who: Whistleblower): Promise<TranscriptHead> {
  return (await wbRead(t, who)).transcript.head
}

/** The comments of the tip as the whistleblower reads them, opened and checked. */
export async function wbComments(t: TestRelay, who: Whistleblower): Promise<string[]> {
  const { transcript } = await wbRead(t, who)
  return transcript.entries
    .filter((e) => e.list === "comment" && e.authentic)
    .map((e) => String((e.entry?.content as { text?: string } | null)?.text ?? ""))
}

/** Adds a comment as the whistleblower, chained after the checked transcript. */
export async function wbComment(t: TestRelay, who: Whistleblower, text: string): Promise<void> {
  const { sealed } = await sealTranscriptEntry({
    tip: who.tip.recipient,
    head: await wbHead(t, who),
    author: { role: "whistleblower" },
    identity: who.keys.identity,
    kind: "comment",
    content: { text },
  })
  await t.client.call(wb.addWbComment, { session: who.session, body: { age: sealed } })
}
