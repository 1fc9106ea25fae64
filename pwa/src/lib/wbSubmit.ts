import {
  checkPowBounds,
  type DerivedKeys,
  type Json,
  type NodeManifest,
  type PowBounds,
  type QuestionSnapshot,
  type TranscriptHead,
} from "@sotto/crypto-core"
import { type accounts, type BodyOf, RelayClientError, type ResponseOf, wb } from "@sotto/protocol"
import { proxy, withAbort } from "@sotto/workers"
import { relay } from "./api.js"
import { crypto } from "./crypto.js"
import { fromBase64url, toBase64url } from "./wbBytes.js"
import type { TrustedDirectory } from "./wbDirectory.js"

// The whistleblower's submission, as test/relay/fullFlow.test.ts step 3 does it with crypto-core,
// but every step in a worker: draw the receipt, stretch it into keys, make the tip key, seal the
// answers, wrap the tip key to each recipient of the verified directory and to the receipt,
// solve the proof of work and send. Only ciphertext, wraps and the receipt's verifier leave.

/** The node's public facts (GET /node). */
export type NodeView = ResponseOf<typeof accounts.getNode>

/** The long steps, for progress bars. */
export type SubmitStage = "keys" | "pow" | "send"

/** A stage and how far it is, in [0, 1]. */
export type StageProgress = (stage: SubmitStage, fraction: number) => void

/** What the whistleblower's tab keeps after submitting. */
export interface Submitted {
  readonly tipId: string
  readonly session: string
  readonly expiresAt: number
  readonly receipt: string
  readonly tipIdentity: string
  readonly tipRecipient: string
  /** The receipt identity (memory only): the whistleblower's signing key comes from it. */
  readonly receiptIdentity: string
  /** Where the first file or comment goes in the transcript (right after the binding). */
  readonly head: TranscriptHead
}

/**
 * The receipt's keys, stretched in the KDF worker with `settings`: the salt, cost and pattern of
 * a manifest verified against the pin, never GET /node's unsigned copy (the relay would choose
 * the salt and cost that decide who can read the tip).
 * @throws CryptoError `BAD_RECEIPT_FORMAT`, `WEAK_PARAMS`, `ABORTED`.
 */
export function receiptKeys(
  settings: NodeManifest["receipt"],
  receipt: string,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<DerivedKeys> {
  const kdf = crypto().kdf
  const { salt, params, pattern } = settings
  return withAbort(signal, kdf, (jobId) =>
    kdf.deriveReceiptKeys(receipt, fromBase64url(salt), params, pattern, proxy(onProgress), jobId),
  )
}

/**
 * Fetches a proof-of-work challenge for `route`, solves it in the PoW worker bound to `body` (the
 * request body without `pow`, SPEC §9) and runs `send` with it; a challenge that expired while
 * solving, or whose difficulty rose meanwhile (BAD_POW), is replaced once. A challenge outside
 * `bounds` (the verified manifest's) is refused before any work: a relay asking 40 bits would
 * freeze a phone for days.
 * @throws RelayClientError from `send` or the challenge fetch; CryptoError `ABORTED`,
 * `POW_OUT_OF_BOUNDS`.
 */
export async function withPow<T>(
  route: "submitTip" | "wbLogin",
  body: Json,
  bounds: PowBounds,
  send: (pow: { challenge: string; nonce: number }) => Promise<T>,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<T> {
  const workers = crypto()
  const binding = await workers.pow.powBinding(route, body)
  for (let attempt = 0; ; attempt++) {
    const challenge = await relay.call(wb.getPow, { query: { for: route } })
    onProgress(0)
    // Refused before any work: the bounds come from the manifest verified against the pin.
    checkPowBounds(challenge, bounds)
    const nonce = await workers.solvePow(
      { ...challenge, binding },
      { onProgress, ...(signal ? { signal } : {}) },
    )
    try {
      return await send({ challenge: challenge.challenge, nonce })
    } catch (error) {
      if (attempt > 0 || !(error instanceof RelayClientError) || error.code !== "BAD_POW") {
        throw error
      }
    }
  }
}

/** The submitTip body without its proof of work: only ciphertext, wraps and the verifier. */
export type SealedTipBody = Omit<BodyOf<typeof wb.submitTip>, "pow">

/** A tip sealed in the workers, not yet sent: what the outbox keeps (minus `receipt`, `tip`). */
export interface SealedTip {
  readonly body: SealedTipBody
  /** Shown to the person at once; never stored. */
  readonly receipt: string
  /** The tip's keys: memory only (the outbox seals files to `recipient` before storing them). */
  readonly tipIdentity: string
  readonly tipRecipient: string
  /** The receipt identity (memory only): signs the binding and the whistleblower's entries. */
  readonly receiptIdentity: string
  /** Where the first file goes in the transcript (right after the binding). */
  readonly head: TranscriptHead
}

/**
 * Seals a tip for the recipients of `directory` (verified by the caller) without the network:
 * draws the receipt and stretches it with the receipt settings of the manifest the directory
 * verified under (never GET /node's unsigned copy), makes the tip key, seals the answers with the questions as
 * shown and the tip binding signed with the receipt's key, and wraps the tip key to every reader
 * and to the receipt.
 * @throws CryptoError (`ABORTED`, `WEAK_PARAMS` for unsafe node params).
 */
export async function sealTip(request: {
  readonly directory: TrustedDirectory
  /** The questionnaire exactly as shown: sealed with the answers. */
  readonly questions: readonly (QuestionSnapshot & { readonly identity?: boolean })[]
  readonly answers: { readonly [id: string]: Json }
  readonly onProgress: StageProgress
  readonly signal?: AbortSignal
}): Promise<SealedTip> {
  const { directory, onProgress, signal } = request
  const { kdf, tip: tipWorker } = crypto()
  const settings = directory.manifest.receipt
  const receipt = await kdf.drawReceipt(settings.pattern)
  const keys = await receiptKeys(settings, receipt, (f) => onProgress("keys", f), signal)
  const tip = await tipWorker.createTipIdentity()
  const split = splitIdentity(request.questions, request.answers)
  const { sealed: answers, head } = await tipWorker.sealAnswers({
    tip: tip.recipient,
    receiptIdentity: keys.identity,
    context: directory.contextId,
    questions: split.questions,
    answers: split.answers,
  })
  // Identity answers go apart, to the custodians of the verified directory only (SPEC §6.3).
  const identity =
    split.identity && directory.custodians.length > 0
      ? await tipWorker.sealIdentityFor({
          tip: tip.recipient,
          answers: split.identity,
          labels: Object.fromEntries(
            request.questions.filter((q) => q.identity).map((q) => [q.id, q.label]),
          ),
          custodians: directory.custodians.map((c) => c.recipient),
        })
      : undefined
  const readers = [...directory.recipients.map((r) => r.recipient), keys.recipient]
  const wrapped = await tipWorker.wrapTipKeyFor(tip, readers)
  const wire = (w: (typeof wrapped)[number]) => ({ v: w.v, to: [...w.to], age: w.age })
  const wraps = directory.recipients.map((r, i) => {
    const w = wrapped[i]
    if (!w) throw new Error("a recipient's wrap is missing")
    return { holder: r.id, wrap: wire(w) }
  })
  const wbWrap = wrapped[directory.recipients.length]
  if (!wbWrap) throw new Error("the receipt's wrap is missing")
  const wbAuthVerifier = toBase64url(await kdf.authVerifier(keys.authKey))
  return {
    body: {
      contextId: directory.contextId,
      answers,
      wbAuthVerifier,
      wraps,
      wbWrap: wire(wbWrap),
      ...(identity
        ? {
            identity: {
              age: identity.age,
              wraps: directory.custodians.map((c, i) => {
                const w = identity.wraps[i]
                if (!w) throw new Error("a custodian's wrap is missing")
                return { holder: c.id, wrap: wire(w) }
              }),
            },
          }
        : {}),
    },
    receipt,
    tipIdentity: tip.identity,
    tipRecipient: tip.recipient,
    receiptIdentity: keys.identity,
    head,
  }
}

/**
 * Sends a sealed tip: proof of work within `bounds` (the verified manifest's), then submitTip.
 * @throws RelayClientError (BAD_POW, NOT_FOUND for a deleted context, CONFLICT when the
 * directory changed meanwhile), TypeError when the network fails, CryptoError `ABORTED`,
 * `POW_OUT_OF_BOUNDS`.
 */
export async function sendSealedTip(
  body: SealedTipBody,
  bounds: PowBounds,
  onProgress: StageProgress,
  signal?: AbortSignal,
): Promise<ResponseOf<typeof wb.submitTip>> {
  const res = await withPow(
    "submitTip",
    body as unknown as Json,
    bounds,
    (pow) => {
      onProgress("send", 0)
      return relay.call(wb.submitTip, { body: { pow, ...body } })
    },
    (f) => onProgress("pow", f),
    signal,
  )
  onProgress("send", 1)
  return res
}

/**
 * Seals and submits a tip to the recipients of `directory` (verified by the caller).
 * @throws as {@link sealTip} and {@link sendSealedTip}.
 */
export async function submitTip(request: {
  readonly directory: TrustedDirectory
  readonly questions: readonly QuestionSnapshot[]
  readonly answers: { readonly [id: string]: Json }
  readonly onProgress: StageProgress
  readonly signal?: AbortSignal
}): Promise<Submitted> {
  const sealed = await sealTip(request)
  const res = await sendSealedTip(
    sealed.body,
    request.directory.manifest.pow,
    request.onProgress,
    request.signal,
  )
  return {
    tipId: res.tipId,
    session: res.session,
    expiresAt: res.expiresAt,
    receipt: sealed.receipt,
    tipIdentity: sealed.tipIdentity,
    tipRecipient: sealed.tipRecipient,
    receiptIdentity: sealed.receiptIdentity,
    head: sealed.head,
  }
}

/**
 * Splits the form: questions and answers sealed with the tip, and the answers to identity fields
 * (absent when the whistleblower left them all empty), which never go into the tip's answers.
 */
export function splitIdentity(
  questions: readonly (QuestionSnapshot & { readonly identity?: boolean })[],
  answers: { readonly [id: string]: Json },
): {
  questions: QuestionSnapshot[]
  answers: { [id: string]: Json }
  identity?: { [id: string]: Json }
} {
  const identityIds = new Set(questions.filter((q) => q.identity).map((q) => q.id))
  const kept: { [id: string]: Json } = {}
  const identity: { [id: string]: Json } = {}
  for (const [id, value] of Object.entries(answers)) {
    if (!identityIds.has(id)) kept[id] = value
    else if (value !== null && value !== "" && !(Array.isArray(value) && value.length === 0)) {
      identity[id] = value
    }
  }
  return {
    questions: questions.filter((q) => !q.identity).map(({ identity: _, ...q }) => q),
    answers: kept,
    ...(Object.keys(identity).length > 0 ? { identity } : {}),
  }
}
