import { Type } from "@sinclair/typebox"
import { ArmoredAge, Id, Obj, Time } from "./common.js"
import { FileId } from "./files.js"

// Schemas shared by the whistleblower routes (wb.ts) and the staff tip routes (tips.ts).

/** The largest sealed answers (armored age characters). */
export const MAX_ANSWERS_CHARS = 256 * 1024
/** The largest sealed comment (armored age characters). */
export const MAX_COMMENT_CHARS = 64 * 1024
/**
 * Most comments one tip may hold, whoever wrote them (below 10 000: comment ids start with a
 * 4-digit sequence number).
 */
export const MAX_COMMENTS = 1000
/** Most plaintext labels on one tip. */
export const MAX_LABELS = 20

const Count = Type.Integer({ minimum: 0 })

/**
 * A solved proof of work: the challenge from `GET /pow` and the nonce that solves it bound to the
 * request it comes with (crypto-core `powBinding(route id, body without pow)`, SPEC §9).
 */
export const PowSolution = Obj({
  challenge: Type.String({ pattern: "^[A-Za-z0-9_-]{43}$", description: "32 bytes, base64url" }),
  nonce: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
})

/** The questionnaire answers, sealed to the tip key (crypto-core `sealTipPart`). */
export const SealedAnswers = ArmoredAge(MAX_ANSWERS_CHARS)
/** A comment, sealed to the tip key. */
export const SealedComment = ArmoredAge(MAX_COMMENT_CHARS)

export const TipStatusSchema = Type.Union([
  Type.Literal("new"),
  Type.Literal("open"),
  Type.Literal("closed"),
])

/** A plaintext label chosen by staff: short, no control characters. */
export const Label = Type.String({
  minLength: 1,
  maxLength: 32,
  pattern: "^[^\\u0000-\\u001f\\u007f]+$",
  description: "label",
})
export const Labels = Type.Array(Label, { maxItems: MAX_LABELS, uniqueItems: true })

/** A comment as staff see it: the author is a user id or `wb`. */
export const CommentView = Obj({
  id: Id,
  author: Type.String(),
  createdAt: Time,
  age: Type.String(),
})

/** A comment as the whistleblower sees it: staff authors are only ever `recipient`. */
export const WbCommentView = Obj({
  id: Id,
  author: Type.Union([Type.Literal("wb"), Type.Literal("recipient")]),
  createdAt: Time,
  age: Type.String(),
})

const fileFields = {
  id: FileId,
  createdAt: Time,
  size: Count,
  meta: Type.String({ description: "sealed file metadata, armored age" }),
  complete: Type.Boolean(),
}
/** A file as staff see it, with its author (a user id or `wb`). */
export const FileView = Obj({ ...fileFields, author: Type.String() })
/** A file as the whistleblower sees it, without an author. */
export const WbFileView = Obj(fileFields)

// The tip record's identity and times: all the whistleblower sees, and where staff views start.
const tipTimes = {
  id: Id,
  contextId: Id,
  createdAt: Time,
  updatedAt: Time,
  expiresAt: Time,
}
// What every staff view of a tip shows first.
const staffTipFields = {
  ...tipTimes,
  status: TipStatusSchema,
  labels: Type.Array(Type.String()),
}

/** The next open EU Directive deadline of a tip; `overdue` by the relay's clock. */
export const TipDeadline = Obj({
  kind: Type.Union([Type.Literal("ack"), Type.Literal("feedback")]),
  dueAt: Time,
  overdue: Type.Boolean(),
})

// Deadline fields of staff views: the next one still open, and when each was met.
const deadlineFields = {
  deadline: Type.Optional(TipDeadline),
  acknowledgedAt: Type.Optional(Time),
  feedbackAt: Type.Optional(Time),
}

/**
 * What the whistleblower sees of the tip record: times, status (never the staff's labels) and
 * when staff acknowledged the report, once they have.
 */
export const WbTipView = Obj({
  ...tipTimes,
  status: TipStatusSchema,
  acknowledgedAt: Type.Optional(Time),
  /** Present when the report has an identity: whether a custodian disclosed it to a recipient. */
  identityDisclosed: Type.Optional(Type.Boolean()),
})

/** What staff see of the tip record. */
export const TipView = Obj({
  ...staffTipFields,
  accessCount: Count,
  wbLastAccessAt: Type.Optional(Time),
  ...deadlineFields,
})

/** One line of a staff member's tip list. */
export const TipSummary = Obj({
  ...staffTipFields,
  comments: Count,
  files: Count,
  wbLastAccessAt: Type.Optional(Time),
  ...deadlineFields,
})
