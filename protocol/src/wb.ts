import { Type } from "@sinclair/typebox"
import { Id, Key32, Obj, Sealed, Time } from "./common.js"
import { MAX_RECIPIENTS } from "./contexts.js"
import { SealedIdentity } from "./identity.js"
import { route } from "./route.js"
import {
  PowSolution,
  SealedAnswers,
  SealedComment,
  WbCommentView,
  WbFileView,
  WbTipView,
} from "./tipSchemas.js"

// Route specs of the whistleblower side: the proof of work that gates anonymous writes, the
// submission itself, receipt login, and what a receipt session may read and write.

/** A whistleblower session token for the `X-Session` header. */
const WbSession = Key32

/**
 * A fresh proof-of-work challenge, valid for 5 minutes and accepted once, for the request named by
 * `for` (the route id; default `submitTip`). The proof is bound to that route and the request's
 * body (SPEC §9). The difficulty is the node's base difficulty, raised while many anonymous writes
 * arrive, and for `wbLogin` while many receipt logins fail, for `oprfEvaluate` while many OPRF
 * evaluations arrive node-wide. 409 NOT_SET_UP before setup (except for `oprfEvaluate`).
 */
export const getPow = route({
  id: "getPow",
  method: "GET",
  path: "/api/v1/pow",
  summary: "A proof-of-work challenge for an anonymous write",
  access: "public",
  query: Obj({
    for: Type.Optional(
      Type.Union([
        Type.Literal("submitTip"),
        Type.Literal("wbLogin"),
        Type.Literal("oprfEvaluate"),
      ]),
    ),
  }),
  response: Obj({
    challenge: Type.String({ description: "32 bytes, base64url (stateless, MAC'd by the relay)" }),
    difficulty: Type.Integer({ minimum: 0, maximum: 32 }),
  }),
})

/**
 * Submits a tip: answers sealed to the tip key, one wrap of the tip key per recipient in the
 * context's directory (each to that user's public key), the whistleblower's own wrap (to the
 * receipt identity) and the verifier of the receipt auth key. Answers a whistleblower session.
 * 400 BAD_POW (unknown, used, expired or unsolved challenge), 404 NOT_FOUND (`body.contextId`),
 * 409 CONFLICT (wrap holders or keys differ from the directory, or the receipt is already used).
 */
export const submitTip = route({
  id: "submitTip",
  method: "POST",
  path: "/api/v1/tips",
  summary: "Submit a tip (anonymous, gated by proof of work)",
  access: "public",
  body: Obj({
    pow: PowSolution,
    contextId: Id,
    answers: SealedAnswers,
    wbAuthVerifier: Key32,
    wraps: Type.Array(Obj({ holder: Id, wrap: Sealed }), {
      minItems: 1,
      maxItems: MAX_RECIPIENTS,
    }),
    wbWrap: Sealed,
    /** Answers to identity fields, sealed apart to the custodians only (identity.ts). */
    identity: Type.Optional(SealedIdentity),
  }),
  // Answers (256 KiB) plus 33 wraps of at most about 8.5 KiB each, and an identity (32 KiB + 8 wraps).
  bodyLimit: 800 * 1024,
  response: Obj({ tipId: Id, session: WbSession, expiresAt: Time }),
  status: 201,
})

/**
 * Logs a whistleblower in with the auth key derived from the receipt, paid with a proof of work
 * from `GET /pow?for=wbLogin`. 401 WRONG_CREDENTIALS for an unknown receipt; failures node-wide
 * raise the proof-of-work difficulty of receipt logins (bounded), never lock anyone out: 400
 * BAD_POW when the difficulty rose since the challenge was fetched (fetch a new one).
 */
export const wbLogin = route({
  id: "wbLogin",
  method: "POST",
  path: "/api/v1/wb/login",
  summary: "Whistleblower receipt login (gated by proof of work)",
  access: "public",
  body: Obj({ pow: PowSolution, authKey: Key32 }),
  bodyLimit: 1024,
  response: Obj({ session: WbSession, tipId: Id }),
})

/**
 * The whistleblower's tip: times, sealed answers, their own wrap, comments (staff authors shown
 * only as `recipient`) and files. Records the whistleblower's last access.
 */
export const getWbTip = route({
  id: "getWbTip",
  method: "GET",
  path: "/api/v1/wb/tip",
  summary: "The whistleblower's own tip, as ciphertext",
  access: "wb",
  response: Obj({
    tip: WbTipView,
    answers: Type.String(),
    wbWrap: Sealed,
    comments: Type.Array(WbCommentView),
    files: Type.Array(WbFileView),
  }),
})

/** Adds a sealed comment from the whistleblower; notifies every recipient holding the tip. */
export const addWbComment = route({
  id: "addWbComment",
  method: "POST",
  path: "/api/v1/wb/comments",
  summary: "Add a sealed comment as the whistleblower",
  access: "wb",
  body: Obj({ age: SealedComment }),
  bodyLimit: 66 * 1024,
  response: WbCommentView,
  status: 201,
})
