import { Type } from "@sinclair/typebox"
import { ArmoredAge, Id, Obj, Sealed, Time } from "./common.js"
import { MAX_CUSTODIANS } from "./contexts.js"
import { route } from "./route.js"

// Route specs of a whistleblower's identity behind a custodian (issue 17, SPEC §6.3). The identity
// answers are sealed to an identity key wrapped to the context's custodians only; a recipient asks
// with a reason sealed to the custodians; a custodian's browser approves by wrapping the identity
// key to that recipient's key from the signed directory. The relay only stores and checks shapes.

/** The largest sealed identity part (armored age characters). */
export const MAX_IDENTITY_CHARS = 32 * 1024

/** The sealed identity of a submission: the part and one identity-key wrap per custodian. */
export const SealedIdentity = Obj({
  age: ArmoredAge(MAX_IDENTITY_CHARS),
  wraps: Type.Array(Obj({ holder: Id, wrap: Sealed }), { minItems: 1, maxItems: MAX_CUSTODIANS }),
})

export const IdentityRequestState = Type.Union([
  Type.Literal("pending"),
  Type.Literal("approved"),
  Type.Literal("refused"),
])

/** One request as staff see it; the reason stays sealed to the custodians. */
export const IdentityRequestView = Obj({
  id: Id,
  tipId: Id,
  requester: Id,
  reason: Sealed,
  createdAt: Time,
  state: IdentityRequestState,
  decidedBy: Type.Optional(Id),
  decidedAt: Type.Optional(Time),
})

const TipParams = Obj({ tipId: Id })

/**
 * A tip's sealed identity for one of its staff holders: the part, the caller's wrap of the
 * identity key once a custodian approved (never before), and every request with its decision.
 * 404 NOT_FOUND unless the caller holds the tip, or when the tip has no identity.
 */
export const getTipIdentity = route({
  id: "getTipIdentity",
  method: "GET",
  path: "/api/v1/tips/:tipId/identity",
  summary: "A tip's sealed identity, the caller's wrap if approved, and the requests",
  access: "staff",
  params: TipParams,
  response: Obj({
    age: Type.String(),
    wrap: Type.Optional(Sealed),
    requests: Type.Array(IdentityRequestView),
  }),
})

/**
 * A recipient holding the tip asks the custodians for its identity, with a reason sealed to them.
 * 404 NOT_FOUND (no tip or no identity), 409 CONFLICT when the caller already reads the identity or
 * has a request pending, 400 VALIDATION (`body.reason.to`) unless sealed to exactly the custodians.
 */
export const requestIdentity = route({
  id: "requestIdentity",
  method: "POST",
  path: "/api/v1/tips/:tipId/identity/requests",
  summary: "Ask the custodians for a tip's identity, with a sealed reason",
  access: "staff",
  params: TipParams,
  body: Obj({ reason: Sealed }),
  bodyLimit: 12 * 1024,
  response: IdentityRequestView,
  status: 201,
})

/** The requests on the tips whose identity the calling custodian holds, newest first. */
export const listIdentityRequests = route({
  id: "listIdentityRequests",
  method: "GET",
  path: "/api/v1/identity/requests",
  summary: "Identity requests for a custodian, with their own identity-key wraps",
  access: ["custodian"],
  response: Obj({
    requests: Type.Array(
      Obj({ ...IdentityRequestView.properties, contextId: Id, custodianWrap: Sealed }),
    ),
  }),
})

/**
 * A custodian decides a request. Approving carries the identity-key wrap made in the custodian's
 * browser for the requester's key from the signed directory. 404 NOT_FOUND unless the caller is a
 * custodian of the tip, 409 CONFLICT when already decided, 400 VALIDATION (`body.wrap`) when an
 * approval has no wrap or a wrap not sealed to exactly the requester's key, or a refusal has one.
 */
export const decideIdentityRequest = route({
  id: "decideIdentityRequest",
  method: "POST",
  path: "/api/v1/tips/:tipId/identity/requests/:requestId",
  summary: "Approve (with a wrap for the requester) or refuse an identity request",
  access: ["custodian"],
  params: Obj({ tipId: Id, requestId: Id }),
  body: Obj({ approve: Type.Boolean(), wrap: Type.Optional(Sealed) }),
  bodyLimit: 12 * 1024,
  response: IdentityRequestView,
})
