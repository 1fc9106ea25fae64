import { Type } from "@sinclair/typebox"
import { KdfParams, Key32, Obj, Ok, Recipient, Salt, SignedStatementOf } from "./common.js"
import { ManifestOprf } from "./oprf.js"
import { route } from "./route.js"

// The signed node manifest (crypto-core `SignedNodeManifest`, SPEC §14): the node's trust anchor.
// The relay stores and serves it and checks it verifies under the node key it stored, but
// clients verify it themselves and pin the node key and the highest version seen.

/** crypto-core `NodeManifest`, as signed by the node signing key. */
export const NodeManifestBody = Obj({
  v: Type.Literal(2),
  protocol: Type.Literal("2.0.0"),
  version: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
  issuedAt: Type.String({ minLength: 1, maxLength: 40, description: "ISO 8601 time" }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  escrow: Type.Union([Recipient, Type.Null()]),
  receipt: Obj({
    pattern: Type.String({ minLength: 1, maxLength: 200 }),
    salt: Salt,
    params: KdfParams,
  }),
  passwordKdf: Obj({ floor: KdfParams, ceiling: KdfParams }),
  pow: Obj({
    minDifficulty: Type.Integer({ minimum: 0, maximum: 32 }),
    maxDifficulty: Type.Integer({ minimum: 0, maximum: 32 }),
  }),
  directorySigner: Key32,
  // Optional: manifests signed before the OPRF (SPEC §16) have none.
  oprf: Type.Optional(ManifestOprf),
})

/** crypto-core `SignedNodeManifest`. */
export const SignedNodeManifest = SignedStatementOf(NodeManifestBody)

/**
 * An admin's browser re-signs the manifest (version + 1) after a manifest field changed. The
 * relay checks the signature under the stored node key, a version above the stored one, and that
 * the fields match the node's settings; 400 BAD_MANIFEST, 409 STALE_MANIFEST otherwise.
 */
export const putNodeManifest = route({
  id: "putNodeManifest",
  method: "PUT",
  path: "/api/v1/node/manifest",
  summary: "Store a re-signed node manifest (higher version, signed by the node key)",
  access: ["admin"],
  body: Obj({ manifest: SignedNodeManifest }),
  bodyLimit: 8 * 1024,
  response: Ok,
})
