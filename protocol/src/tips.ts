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

/** The tips the caller holds a wrap of, newest first. */
export const listTips = route({
  id: "listTips",
  method: "GET",
  path: "/api/v1/tips",
  summary: "Tips the caller can read, newest first",
  access: "staff",
  response: Obj({ tips: Type.Array(TipSummary) }),
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
