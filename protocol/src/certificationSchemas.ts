import { Type } from "@sinclair/typebox"
import { Id, Key32, Obj, Recipient, Time, Username } from "./common.js"

// Key certification statements (crypto-core SPEC §12, keyCertification.ts): the relay stores and
// lists them but cannot make or change them; admins' browsers verify them.

/** A detached Ed25519 signature, base64url (64 bytes). */
const Signature64 = Type.String({ pattern: "^[A-Za-z0-9_-]{86}$", description: "64 bytes" })

/** The admin's statement naming the certification key of a new user's one-time password. */
export const CertificationStatement = Obj({
  body: Obj({ username: Username, certificationKey: Key32, issuedAt: Time }),
  signer: Key32,
  signature: Signature64,
})

/** The user's proof, signed with the certification key, of their account keys. */
export const KeyProofStatement = Obj({
  body: Obj({ userId: Id, publicKey: Recipient, signer: Key32 }),
  signer: Key32,
  signature: Signature64,
})
