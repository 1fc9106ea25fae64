import { Type } from "@sinclair/typebox"
import { Id, Obj, Ok, Sealed, Time } from "./common.js"
import { route } from "./route.js"
import {
  CommentView,
  FileView,
  Labels,
  SealedComment,
  TipStatusSchema,
  TipSummary,
  TipView,
} from "./tipSchemas.js"

// Route specs of the staff side of tips. Every route but the list answers 404 NOT_FOUND unless the
// caller holds a wrap of the tip, so a tip's existence does not leak to other staff.

const TipParams = Obj({ tipId: Id })
const HolderParams = Obj({ tipId: Id, userId: Id })

/** Default and largest page of `GET /tips`. */
export const TIPS_PAGE = 50
export const MAX_TIPS_PAGE = 200

/** Where a page of `GET /tips` ends: the last tip's `createdAt` and id (opaque to clients). */
export const TipsCursor = Type.String({
  pattern: "^[0-9]{1,15}\\.[A-Za-z0-9_-]{1,64}$",
  description: "the `next` of the previous page",
})

/**
 * The tips the caller holds a wrap of, newest first (by `createdAt`, then id), one page at a
 * time: `limit` lines (default 50, at most 200) after `cursor`. `next` is present when more
 * follow; pass it as `cursor`. The order is stable: tips arriving meanwhile go before the first
 * page, never into a later one. The work is proportional to the caller's inbox, never to the
 * node's other tips or anyone's comments.
 */
export const listTips = route({
  id: "listTips",
  method: "GET",
  path: "/api/v1/tips",
  summary: "Tips the caller can read, newest first, paginated",
  access: "staff",
  query: Obj({
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_TIPS_PAGE })),
    cursor: Type.Optional(TipsCursor),
  }),
  response: Obj({ tips: Type.Array(TipSummary), next: Type.Optional(TipsCursor) }),
})

/** One tip with the caller's wrap, sealed answers, comments, files and holders; counts the access. */
export const getTip = route({
  id: "getTip",
  method: "GET",
  path: "/api/v1/tips/:tipId",
  summary: "One tip as ciphertext, with the caller's wrap of its key",
  access: "staff",
  params: TipParams,
  response: Obj({
    tip: TipView,
    wrap: Sealed,
    answers: Type.String(),
    comments: Type.Array(CommentView),
    files: Type.Array(FileView),
    holders: Type.Array(Obj({ userId: Id, grantedAt: Time })),
  }),
})

/** Adds a sealed comment; notifies the other holders and the whistleblower. */
export const addTipComment = route({
  id: "addTipComment",
  method: "POST",
  path: "/api/v1/tips/:tipId/comments",
  summary: "Add a sealed comment as staff",
  access: "staff",
  params: TipParams,
  body: Obj({ age: SealedComment }),
  bodyLimit: 66 * 1024,
  response: CommentView,
  status: 201,
})

/** Sets the status and/or the plaintext labels (at least one of them). */
export const updateTip = route({
  id: "updateTip",
  method: "PATCH",
  path: "/api/v1/tips/:tipId",
  summary: "Change a tip's status or labels",
  access: "staff",
  params: TipParams,
  body: Obj({ status: Type.Optional(TipStatusSchema), labels: Type.Optional(Labels) }),
  bodyLimit: 2048,
  response: TipView,
})

/**
 * Grants another staff member access: a wrap of the tip key made in the caller's browser, sealed to
 * exactly that user's public key. 404 NOT_FOUND (`params.userId`) for an unknown or disabled user,
 * 409 CONFLICT when they already hold a wrap, 400 VALIDATION (`body.wrap.to`) for another key.
 */
export const grantAccess = route({
  id: "grantAccess",
  method: "PUT",
  path: "/api/v1/tips/:tipId/wraps/:userId",
  summary: "Grant a staff member access to a tip (add their wrap)",
  access: "staff",
  params: HolderParams,
  body: Obj({ wrap: Sealed }),
  bodyLimit: 10 * 1024,
  response: Obj({ userId: Id, grantedAt: Time }),
})

/**
 * Revokes a staff member's access by deleting their wrap. 409 CONFLICT for the whistleblower's wrap
 * and for the last staff holder; 404 NOT_FOUND when the user holds none.
 */
export const revokeAccess = route({
  id: "revokeAccess",
  method: "DELETE",
  path: "/api/v1/tips/:tipId/wraps/:userId",
  summary: "Revoke a staff member's access to a tip (delete their wrap)",
  access: "staff",
  params: HolderParams,
  response: Ok,
})

/** Moves the expiry (and its reminder) `days` later, counted from the later of expiry and now. */
export const postponeTip = route({
  id: "postponeTip",
  method: "POST",
  path: "/api/v1/tips/:tipId/postpone",
  summary: "Postpone a tip's expiry",
  access: "staff",
  params: TipParams,
  body: Obj({ days: Type.Integer({ minimum: 1, maximum: 365 }) }),
  bodyLimit: 256,
  response: Obj({ expiresAt: Time }),
})

/** Wipes the tip now: record, wraps, comments, files and timers. */
export const deleteTip = route({
  id: "deleteTip",
  method: "DELETE",
  path: "/api/v1/tips/:tipId",
  summary: "Delete a tip and everything it holds",
  access: "staff",
  params: TipParams,
  response: Ok,
})
