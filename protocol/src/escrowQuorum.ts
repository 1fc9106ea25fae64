import { Type } from "@sinclair/typebox"
import { EscrowResetBody } from "./accountsAdmin.js"
import {
  B64u,
  Id,
  Key32,
  Obj,
  Ok,
  Recipient,
  Sealed,
  SignedStatementOf,
  Time,
  Username,
} from "./common.js"
import { route } from "./route.js"

// k-of-n escrow (crypto-core SPEC §4.1): the node-key-signed escrow policy, each holder's sealed
// share, and reset requests that k holders approve in their own browsers. The relay stores and
// counts; it cannot make a policy, a share or a request.

/** crypto-core `EscrowPolicy` as signed by the node key. */
export const SignedEscrowPolicy = SignedStatementOf(
  Obj({
    v: Type.Literal(1),
    version: Type.Integer({ minimum: 1 }),
    issuedAt: Time,
    escrow: Recipient,
    threshold: Type.Integer({ minimum: 1, maximum: 255 }),
    holders: Type.Array(Obj({ userId: Id, recipient: Recipient, signer: Key32 }), {
      minItems: 1,
      maxItems: 255,
    }),
  }),
)

/** crypto-core `EscrowRequest` as signed by the initiating holder's account key. */
export const SignedEscrowRequest = SignedStatementOf(
  Obj({
    v: Type.Literal(1),
    id: B64u(16),
    purpose: Type.Union([Type.Literal("reset"), Type.Literal("policy")]),
    policy: Type.Integer({ minimum: 1 }),
    initiator: Id,
    userId: Id,
    username: Username,
    reason: Type.String({ minLength: 1, maxLength: 1000 }),
    ephemeral: Recipient,
    createdAt: Time,
    expiresAt: Time,
  }),
)

/** One request as admins see it. */
export const EscrowRequestView = Obj({
  request: SignedEscrowRequest,
  status: Type.Union([
    Type.Literal("open"),
    Type.Literal("refused"),
    Type.Literal("expired"),
    Type.Literal("completed"),
  ]),
  /** Holders who approved, once each, in order. */
  approvedBy: Type.Array(Id),
  refusedBy: Type.Optional(Id),
  /** The sealed approvals: only for the initiator (they open only with the ephemeral key). */
  approvals: Type.Optional(Type.Array(Obj({ userId: Id, sealed: Sealed }))),
})

/** The policy in force (null: 1-of-n wraps) and the caller's own sealed share. */
export const getEscrowPolicy = route({
  id: "getEscrowPolicy",
  method: "GET",
  path: "/api/v1/escrow/policy",
  summary: "The signed k-of-n escrow policy and the caller's sealed share",
  access: ["admin"],
  response: Obj({
    policy: Type.Union([SignedEscrowPolicy, Type.Null()]),
    share: Type.Optional(Sealed),
  }),
})

/**
 * Replaces the escrow policy (admin re-authenticates). k ≥ 2: one share per holder sealed to that
 * holder's key; every 1-of-n wrap is deleted in the same batch. k = 1: one `wraps` entry per holder
 * and every share is deleted. Replacing a k ≥ 2 policy needs `requestId`, a `policy` request
 * with k approvals (the escrow identity is rebuilt from them). 400
 * VALIDATION naming the field, 409 CONFLICT for a version that does not go up, 422 BAD_MANIFEST
 * for a policy the node key did not sign or for another escrow key.
 */
export const putEscrowPolicy = route({
  id: "putEscrowPolicy",
  method: "PUT",
  path: "/api/v1/escrow/policy",
  summary: "Switch between 1-of-n and k-of-n escrow (admin re-authenticates)",
  access: ["admin"],
  body: Obj({
    currentAuthKey: Key32,
    policy: SignedEscrowPolicy,
    shares: Type.Optional(Type.Array(Obj({ userId: Id, sealed: Sealed }), { maxItems: 64 })),
    wraps: Type.Optional(Type.Array(Obj({ userId: Id, sealed: Sealed }), { maxItems: 64 })),
    /** The `policy` request whose approvals rebuilt the key, when replacing a k-of-n policy. */
    requestId: Type.Optional(B64u(16)),
  }),
  bodyLimit: 512 * 1024,
  response: Ok,
})

/**
 * Opens a reset request signed by the caller (a holder of the policy in force; admin
 * re-authenticates). 403 FORBIDDEN for a non-holder, 409 CONFLICT without a k-of-n policy or for
 * a request of another policy version, 400 VALIDATION for a bad signature or lifetime.
 */
export const createEscrowRequest = route({
  id: "createEscrowRequest",
  method: "POST",
  path: "/api/v1/escrow/requests",
  summary: "Ask the other escrow holders to approve a reset",
  access: ["admin"],
  body: Obj({ currentAuthKey: Key32, request: SignedEscrowRequest }),
  bodyLimit: 8 * 1024,
  response: Obj({ id: B64u(16) }),
  status: 201,
})

/** Every request of the last 30 days, newest first. */
export const listEscrowRequests = route({
  id: "listEscrowRequests",
  method: "GET",
  path: "/api/v1/escrow/requests",
  summary: "Escrow reset requests, their approvals and refusals",
  access: ["admin"],
  response: Obj({ requests: Type.Array(EscrowRequestView) }),
})

const RequestParams = Obj({ requestId: B64u(16) })

/**
 * A holder's approval: their share sealed to the request's ephemeral key (admin re-authenticates).
 * Counted once per holder (409 CONFLICT for a second one); 403 FORBIDDEN for a non-holder; 409
 * CONFLICT when the request is no longer open.
 */
export const approveEscrowRequest = route({
  id: "approveEscrowRequest",
  method: "POST",
  path: "/api/v1/escrow/requests/:requestId/approve",
  summary: "Approve an escrow reset request with one's sealed share",
  access: ["admin"],
  params: RequestParams,
  body: Obj({ currentAuthKey: Key32, approval: Sealed }),
  bodyLimit: 16 * 1024,
  response: Obj({ approvals: Type.Integer(), threshold: Type.Integer() }),
})

/** A holder refuses: the request closes for everyone. 403 for a non-holder, 409 when not open. */
export const refuseEscrowRequest = route({
  id: "refuseEscrowRequest",
  method: "POST",
  path: "/api/v1/escrow/requests/:requestId/refuse",
  summary: "Refuse an escrow reset request",
  access: ["admin"],
  params: RequestParams,
  body: Obj({}),
  bodyLimit: 256,
  response: Ok,
})

/**
 * The initiator stores the reset its browser made with the rebuilt escrow key, as
 * `resetUserWithEscrow` does (admin re-authenticates). 409 CONFLICT with fewer than k approvals,
 * for a request that is not open or not a reset, 403 FORBIDDEN for anyone but the initiator.
 */
export const completeEscrowRequest = route({
  id: "completeEscrowRequest",
  method: "POST",
  path: "/api/v1/escrow/requests/:requestId/complete",
  summary: "Store the reset made after k approvals",
  access: ["admin"],
  params: RequestParams,
  body: EscrowResetBody,
  bodyLimit: 16 * 1024,
  response: Ok,
})
