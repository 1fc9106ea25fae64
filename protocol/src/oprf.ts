import { Type } from "@sinclair/typebox"
import { Key32, Obj } from "./common.js"
import { route } from "./route.js"
import { PowSolution } from "./tipSchemas.js"

// The relay's OPRF (SPEC §16): clients blind the scrypt-stretched secret (password, one-time
// password, receipt), the relay evaluates it with a key kept outside its data dir and proves it
// (VOPRF, RFC 9497 ristretto255-SHA512), the client checks the proof against the key listed in
// the signed node manifest. The relay learns nothing about the secret.

/**
 * The manifest's OPRF part (crypto-core `ManifestOprf`): the suite, 1–2 public keys, and
 * `v1Receipts` on a node that had tips before the OPRF (receipt logins may then fall back to v1).
 */
export const ManifestOprf = Obj({
  suite: Type.Literal("ristretto255-SHA512"),
  keys: Type.Array(Key32, { minItems: 1, maxItems: 2 }),
  v1Receipts: Type.Optional(Type.Literal(true)),
})

/**
 * The relay's OPRF public keys, newest first. A hint only: clients accept evaluations under the
 * keys of the verified node manifest, and use this at setup, to put the keys in version 1.
 */
export const getOprfKeys = route({
  id: "getOprfKeys",
  method: "GET",
  path: "/api/v1/oprf",
  summary: "The relay's OPRF public keys (a hint; the signed manifest decides)",
  access: "public",
  response: ManifestOprf,
})

/**
 * Evaluates one blinded element with the OPRF key `key` (the newest when absent) and proves it
 * (DLEQ). Paid with a proof of work from `GET /pow?for=oprfEvaluate`, whose difficulty rises with
 * the node-wide evaluation rate (bounded, never a lock: a real user always gets through). 400
 * VALIDATION for an unknown key or an element that is not a point, 400 BAD_POW.
 */
export const oprfEvaluate = route({
  id: "oprfEvaluate",
  method: "POST",
  path: "/api/v1/oprf/evaluate",
  summary: "Evaluate a blinded element with the relay's OPRF key (VOPRF, gated by proof of work)",
  access: "public",
  body: Obj({ pow: PowSolution, blinded: Key32, key: Type.Optional(Key32) }),
  bodyLimit: 1024,
  response: Obj({
    evaluated: Key32,
    proof: Type.String({ pattern: "^[A-Za-z0-9_-]{86}$", description: "64 bytes, base64url" }),
    key: Key32,
  }),
})
