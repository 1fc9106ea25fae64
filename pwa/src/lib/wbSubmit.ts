import type {
  DerivedKeys,
  Json,
  NodeManifest,
  PowBounds,
  QuestionSnapshot,
  TranscriptHead,
} from "@sotto/crypto-core"
import { type accounts, type BodyOf, type ResponseOf, wb } from "@sotto/protocol"
import { proxy, withAbort } from "@sotto/workers"
import { relay } from "./api.js"
import { crypto } from "./crypto.js"
import { errorCode } from "./errors.js"
import { deriveWithOprf, manifestKeys, OprfRefused } from "./oprfDerive.js"
import { fromBase64url, toBase64url } from "./wbBytes.js"
import type { TrustedDirectory } from "./wbDirectory.js"
import { withPow } from "./withPow.js"

export { withPow } from "./withPow.js"

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

/** Which derivation a receipt's keys come from: the OPRF (SPEC §16) or v1 (SPEC §5). */
export type ReceiptDerivation = "oprf" | "v1"

/**
 * The receipt's keys, stretched in the KDF worker with the receipt settings of `manifest` (verified
 * against the pin; never GET /node's unsigned copy, which would let the relay choose the salt and
 * cost that decide who can read the tip). `oprf`: through the relay's OPRF under the manifest's
 * newest key, checked against the manifest's keys (SPEC §16); `v1`: the v1 derivation.
 * @throws CryptoError `BAD_RECEIPT_FORMAT`, `WEAK_PARAMS`, `ABORTED`; OprfRefused
 * `OPRF_KEY_MISMATCH`, `OPRF_BAD_PROOF`, `OPRF_OFFLINE` (no connection for the OPRF step);
 * RelayClientError from the evaluation.
 */
export async function receiptKeys(
  manifest: NodeManifest,
  receipt: string,
  derivation: ReceiptDerivation,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<DerivedKeys> {
  const kdf = crypto().kdf
  const { salt, params, pattern } = manifest.receipt
  if (derivation === "v1") {
    return withAbort(signal, kdf, (jobId) =>
      kdf.deriveReceiptKeys(
        receipt,
        fromBase64url(salt),
        params,
        pattern,
        proxy(onProgress),
        jobId,
      ),
    )
  }
  if (!navigator.onLine) throw new OprfRefused("OPRF_OFFLINE", "the OPRF step needs the network")
  try {
    return await deriveWithOprf(
      (progress) =>
        withAbort(signal, kdf, (jobId) =>
          kdf.beginReceiptOprf(
            receipt,
            fromBase64url(salt),
            params,
            pattern,
            proxy(progress),
            jobId,
          ),
        ),
      onProgress,
      { trusted: manifestKeys(manifest), bounds: manifest.pow, ...(signal ? { signal } : {}) },
    )
  } catch (e) {
    if (errorCode(e) === "NETWORK") throw new OprfRefused("OPRF_OFFLINE", String(e))
    throw e
  }
}

/** A receipt drawn and stretched ahead of sealing (SPEC §16: the OPRF step needs the network). */
export interface PreparedReceipt {
  readonly receipt: string
  readonly keys: DerivedKeys
}

/**
 * Draws a receipt in the manifest's pattern and derives its keys (through the OPRF when the
 * manifest lists keys). The report page calls it while online, so that sealing needs no network.
 * @throws as {@link receiptKeys}.
 */
export async function prepareReceipt(
  manifest: NodeManifest,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<PreparedReceipt> {
  const receipt = await crypto().kdf.drawReceipt(manifest.receipt.pattern)
  const derivation = manifest.oprf === undefined ? "v1" : "oprf"
  return { receipt, keys: await receiptKeys(manifest, receipt, derivation, onProgress, signal) }
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
 * Seals a tip for the recipients of `directory` (verified by the caller): takes the prepared
 * receipt or draws one and stretches it with the receipt settings of the manifest the directory
 * verified under (never GET /node's unsigned copy; through the OPRF when it lists keys, which
 * needs the network), makes the tip key, seals the answers with the questions as shown and the
 * tip binding signed with the receipt's key, and wraps the tip key to every reader and to the
 * receipt. With a prepared receipt nothing here needs the network.
 * @throws CryptoError (`ABORTED`, `WEAK_PARAMS` for unsafe node params); as {@link receiptKeys}.
 */
export async function sealTip(request: {
  readonly directory: TrustedDirectory
  /** The questionnaire exactly as shown: sealed with the answers. */
  readonly questions: readonly (QuestionSnapshot & { readonly identity?: boolean })[]
  readonly answers: { readonly [id: string]: Json }
  readonly onProgress: StageProgress
  readonly signal?: AbortSignal
  /** A receipt prepared while online (required offline on an OPRF node); used once. */
  readonly prepared?: PreparedReceipt
}): Promise<SealedTip> {
  const { directory, onProgress, signal } = request
  const { kdf, tip: tipWorker } = crypto()
  const { receipt, keys } =
    request.prepared ??
    (await prepareReceipt(directory.manifest, (f) => onProgress("keys", f), signal))
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
  readonly prepared?: PreparedReceipt
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
