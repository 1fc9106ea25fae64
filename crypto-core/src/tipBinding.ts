import { sha256 } from "@noble/hashes/sha2.js"
import canonicalize from "canonicalize"
import { expectString } from "./_validate.js"
import { type AgeIdentity, type AgeRecipient, expectRecipient } from "./age.js"
import { toBase64url, utf8 } from "./encoding.js"
import { CryptoError } from "./errors.js"
import { receiptSigningKey } from "./receipt.js"
import {
  type SignedStatement,
  signerOf,
  signStatement,
  verifyStatement,
} from "./signedStatement.js"
import { type Json, openTipPart, sealTipPart, type TipIdentity } from "./tip.js"
import type { TranscriptHead } from "./tipTranscript.js"

/** Statement label of a tip binding (SPEC §6.1). */
export const TIP_BINDING_LABEL = "sotto/v2/tip-binding"

/**
 * What the whistleblower signs at submission with the receipt-derived key: this tip key belongs
 * to the tip they made, in this context, at this time, with these questions.
 */
export interface TipBinding {
  readonly v: 2
  /** The tip's recipient (public key); it never leaves the sealed answers. */
  readonly tip: AgeRecipient
  /** The context's id. */
  readonly context: string
  /** ISO 8601 time of submission, as the whistleblower's device saw it. */
  readonly createdAt: string
  /** {@link questionnaireHash} of the questions the whistleblower saw. */
  readonly questionnaire: string
}

/** One question exactly as the whistleblower saw it (the context's questionnaire entry). */
export interface QuestionSnapshot {
  readonly id: string
  readonly type: string
  readonly label: string
  readonly help?: string
  readonly required?: boolean
  readonly options?: readonly string[]
}

/** The plaintext of the sealed answers in protocol v2 (part kind `answers`). */
export interface AnswersBody {
  readonly v: 2
  /** The questionnaire snapshot: ids, labels, types, options as shown. */
  readonly questions: readonly QuestionSnapshot[]
  /** Answers by question id. */
  readonly answers: { readonly [id: string]: Json }
  /** The whistleblower's signing public key (base64url), from {@link receiptSigningKey}. */
  readonly whistleblower: string
  readonly binding: SignedStatement<TipBinding>
}

/** Opened, verified answers and the hash the transcript's first entry chains to. */
export interface OpenedAnswers extends AnswersBody {
  /** {@link bindingHash} of `binding`. */
  readonly bindingHash: string
}

/** b64u(SHA-256(JCS(questions))): what the binding commits to. */
export function questionnaireHash(questions: readonly QuestionSnapshot[]): string {
  return hashJson("questions", questions)
}

/** b64u(SHA-256(JCS(signed binding))): the `prev` of the transcript's first entry. */
export function bindingHash(binding: SignedStatement<TipBinding>): string {
  return hashJson("binding", binding)
}

/**
 * Seals a tip's answers with the questionnaire snapshot, the whistleblower's public signing key
 * and the tip binding signed by the key derived from `receiptIdentity`.
 * @returns the armored answers and the transcript head the first comment or file chains to.
 * @throws CryptoError `BAD_INPUT` on a malformed question, recipient or value.
 */
export async function sealAnswers(request: {
  readonly tip: AgeRecipient
  readonly receiptIdentity: AgeIdentity
  readonly context: string
  readonly questions: readonly QuestionSnapshot[]
  readonly answers: { readonly [id: string]: Json }
  readonly createdAt?: Date
}): Promise<{ readonly sealed: string; readonly head: TranscriptHead }> {
  const tip = expectRecipient("tip", request.tip)
  const questions = request.questions.map((q, i) => snapshotOf(`questions[${i}]`, q))
  const key = receiptSigningKey(request.receiptIdentity)
  const binding = signStatement<TipBinding>(
    TIP_BINDING_LABEL,
    {
      v: 2,
      tip,
      context: expectString("context", request.context, 200),
      createdAt: (request.createdAt ?? new Date()).toISOString(),
      questionnaire: questionnaireHash(questions),
    },
    key,
  )
  const body: AnswersBody = {
    v: 2,
    questions,
    answers: request.answers,
    whistleblower: signerOf(key),
    binding,
  }
  const sealed = await sealTipPart(tip, "answers", body as unknown as Json)
  return { sealed, head: { seq: 0, hash: bindingHash(binding) } }
}

/**
 * Opens a tip's answers and checks its binding: signed under `sotto/v2/tip-binding` by the
 * whistleblower key named inside (or by `expected.whistleblower`, the key the whistleblower's
 * own device re-derived from the typed receipt), for exactly this tip key, this context (when
 * given) and the sealed questionnaire.
 * @throws CryptoError `KEY_MISMATCH` (signed by another key than expected), `BAD_SIGNATURE`,
 * `TAMPERED` (another tip key or context, a questionnaire that differs, a v1 tip without binding).
 */
export async function openAnswers(
  part: string,
  tip: TipIdentity,
  expected: { readonly whistleblower?: string; readonly context?: string } = {},
): Promise<OpenedAnswers> {
  const body = (await openTipPart(part, tip, "answers")) as unknown as AnswersBody
  if (typeof body !== "object" || body === null || body.v !== 2 || !Array.isArray(body.questions)) {
    throw new CryptoError("TAMPERED", "these answers carry no tip binding (not protocol v2)")
  }
  if (typeof body.whistleblower !== "string") {
    throw new CryptoError("TAMPERED", "these answers name no whistleblower key")
  }
  if (expected.whistleblower !== undefined && body.whistleblower !== expected.whistleblower) {
    throw new CryptoError(
      "KEY_MISMATCH",
      "this tip was not made with your receipt: its binding names another key",
    )
  }
  const binding = verifyStatement(TIP_BINDING_LABEL, body.binding, body.whistleblower)
  if (binding.v !== 2 || binding.tip !== tip.recipient) {
    throw new CryptoError("TAMPERED", "the tip binding names another tip key")
  }
  if (expected.context !== undefined && binding.context !== expected.context) {
    throw new CryptoError("TAMPERED", "the tip binding names another context")
  }
  if (binding.questionnaire !== questionnaireHash(body.questions)) {
    throw new CryptoError(
      "TAMPERED",
      "the sealed questions differ from the ones the tip was bound to",
    )
  }
  if (typeof body.answers !== "object" || body.answers === null || Array.isArray(body.answers)) {
    throw new CryptoError("TAMPERED", "the sealed answers are not an object")
  }
  return { ...body, bindingHash: bindingHash(body.binding) }
}

function snapshotOf(name: string, q: QuestionSnapshot): QuestionSnapshot {
  if (typeof q !== "object" || q === null) {
    throw new CryptoError("BAD_INPUT", `"${name}" expected a question`)
  }
  const options = q.options?.map((o, i) => expectString(`${name}.options[${i}]`, o, 1000))
  return {
    id: expectString(`${name}.id`, q.id, 200),
    type: expectString(`${name}.type`, q.type, 50),
    label: expectString(`${name}.label`, q.label, 2000),
    ...(q.help === undefined ? {} : { help: expectString(`${name}.help`, q.help, 4000) }),
    ...(q.required === undefined ? {} : { required: q.required === true }),
    ...(options === undefined ? {} : { options }),
  }
}

function hashJson(name: string, value: unknown): string {
  const json = canonicalize(value)
  if (json === undefined) throw new CryptoError("BAD_INPUT", `"${name}" is not JSON`)
  return toBase64url(sha256(utf8(json)))
}
