import { type TSchema, Type } from "@sinclair/typebox"

// Wire building blocks shared by every route group. Every object rejects unknown fields.

/** An object schema that refuses unknown fields. */
export function Obj<T extends Record<string, TSchema>>(properties: T, description?: string) {
  return Type.Object(properties, {
    additionalProperties: false,
    ...(description ? { description } : {}),
  })
}

/** A record id: 22 base64url characters (128 random bits), or a short admin-chosen slug. */
export const Id = Type.String({ pattern: "^[A-Za-z0-9_-]{1,64}$", description: "record id" })
/** base64url without padding, bounded. */
export const B64u = (maxBytes: number) =>
  Type.String({
    pattern: "^[A-Za-z0-9_-]*$",
    maxLength: Math.ceil((maxBytes * 4) / 3),
    description: "base64url",
  })
/** Exactly 32 bytes as base64url (auth keys, verifiers). */
export const Key32 = Type.String({
  pattern: "^[A-Za-z0-9_-]{43}$",
  description: "32 bytes, base64url",
})
/** Salts: 16 bytes as base64url. */
export const Salt = Type.String({
  pattern: "^[A-Za-z0-9_-]{22}$",
  description: "16 bytes, base64url",
})
/** An age X25519 recipient. */
export const Recipient = Type.String({
  pattern: "^age1[02-9ac-hj-np-z]{58}$",
  description: "age X25519 recipient",
})
/**
 * The `format` of sealed fields: a well-formed armored age v1 file (armour, version line,
 * stanzas, MAC line, a payload of STREAM size), checked by crypto-core's `isAgeFileShape` once
 * `@sotto/protocol/ageFormat` is imported.
 */
export const AGE_FILE_FORMAT = "age-armored-v1"
/** An ASCII-armored age file, checked for its structure (it cannot be decrypted here). */
export const ArmoredAge = (maxLength: number) =>
  Type.String({
    pattern: "^-----BEGIN AGE ENCRYPTED FILE-----",
    format: AGE_FILE_FORMAT,
    maxLength,
    description: "armored age v1 file",
  })
/** scrypt parameters, per account. */
export const KdfParams = Obj({
  N: Type.Integer({ minimum: 2 ** 15, maximum: 2 ** 20 }),
  r: Type.Integer({ minimum: 8, maximum: 16 }),
  p: Type.Integer({ minimum: 1, maximum: 4 }),
})
/** A sealed secret (crypto-core `Sealed`): recipients and an armored age file. */
export const Sealed = Obj({
  v: Type.Literal(1),
  to: Type.Array(Recipient, { minItems: 1, maxItems: 8 }),
  age: ArmoredAge(8192),
})
/** An Ed25519 signature: 64 bytes as base64url. */
export const Signature64 = Type.String({
  pattern: "^[A-Za-z0-9_-]{86}$",
  description: "64 bytes, base64url",
})
/** crypto-core `SignedStatement<T>`: a body, its Ed25519 signer and signature. */
export const SignedStatementOf = <T extends TSchema>(body: T) =>
  Obj({ body, signer: Key32, signature: Signature64 })
/** A sealed account identity v2 (crypto-core `SealedAccountIdentity`) with its signed holders. */
export const SealedAccountIdentity = Obj({
  v: Type.Literal(2),
  recipient: Recipient,
  to: Obj({ password: Recipient, recovery: Recipient, escrow: Type.Optional(Recipient) }),
  holders: SignedStatementOf(
    Obj({
      account: Recipient,
      password: Recipient,
      recovery: Recipient,
      escrow: Type.Union([Recipient, Type.Null()]),
    }),
  ),
  age: ArmoredAge(8192),
})
export const Username = Type.String({
  pattern: "^[a-z0-9][a-z0-9._-]{1,63}$",
  description: "lower-case account name",
})
export const RoleSchema = Type.Union([
  Type.Literal("admin"),
  Type.Literal("recipient"),
  Type.Literal("custodian"),
])
/** Milliseconds since the epoch. */
export const Time = Type.Integer({ minimum: 0, description: "ms since epoch" })
export const Ok = Obj({ ok: Type.Literal(true) })
