import { type Static, Type } from "@sinclair/typebox"
import { Id, Obj } from "./common.js"
import { TipSummary } from "./tipSchemas.js"

// The push channel `/api/v1/ws` (not an HTTP route, so not in ALL_SPECS): what the relay sends.
// An event says what changed so that an inbox applies it in place instead of refetching the list:
// staff get the tip's new summary line (the same fields `GET /tips` lists: times, status, labels,
// counts; never anything sealed), or `removed` when the tip left their inbox (wiped, or their
// access revoked); a whistleblower gets the new counts of their own tip. Nothing sealed or
// plaintext from a tip ever travels on it.

/** What kind of change an event reports. */
export const PushEventType = Type.Union([
  Type.Literal("tip.created"),
  Type.Literal("tip.updated"),
  Type.Literal("comment.created"),
  Type.Literal("file.added"),
  Type.Literal("access.changed"),
  Type.Literal("tip.deleted"),
])

/** A tip's comment and complete-file counts. */
export const PushCounts = Obj({
  comments: Type.Integer({ minimum: 0 }),
  files: Type.Integer({ minimum: 0 }),
})

/** One change, as a session entitled to the tip receives it. */
export const PushEvent = Obj({
  type: PushEventType,
  tipId: Id,
  /** Staff: the tip's line as `GET /tips` would list it now (absent when removed). */
  tip: Type.Optional(TipSummary),
  /** Whistleblower: the tip's counts now. */
  counts: Type.Optional(PushCounts),
  /** Staff: the tip is no longer in this person's inbox (wiped or access revoked). */
  removed: Type.Optional(Type.Literal(true)),
})
export type PushEvent = Static<typeof PushEvent>

/** Every message the relay sends on the push channel. */
export const PushMessage = Type.Union([
  Obj({ type: Type.Literal("ready") }),
  Obj({ type: Type.Literal("pong") }),
  Obj({ type: Type.Literal("event"), event: PushEvent }),
  Obj({
    type: Type.Literal("error"),
    code: Type.String(),
    message: Type.String(),
    field: Type.Optional(Type.String()),
  }),
])
export type PushMessage = Static<typeof PushMessage>
