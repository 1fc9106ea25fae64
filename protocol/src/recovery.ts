import { Type } from "@sinclair/typebox"
import { Kdf, LoginName, PersonName, SessionToken, Stage } from "./accountSchemas.js"
import {
  ArmoredAge,
  Id,
  Key32,
  Obj,
  RoleSchema,
  Sealed,
  SealedAccountIdentity,
  Username,
} from "./common.js"
import { route } from "./route.js"
import { ProofMethodSchema } from "./twoFactor.js"

// Route specs of the recovery-key login (SPEC §3 "Forgotten password"): the relay proves that the
// caller holds the recovery key by an age challenge to the account's recovery recipient, then
// opens a session that must set a new password. Handlers in routes/accountsRecovery.ts; part of
// the "accounts" group.

/**
 * Starts a recovery-key login: 32 random bytes sealed as an armored age file to the account's
 * recovery recipient, valid 5 minutes and once. Stateless (the id carries its expiry and the
 * account under the relay's MAC), so asking for more challenges never voids an earlier one.
 * An unknown, disabled or identity-less account gets a challenge of the same shape to a random
 * recipient, so this does not tell which accounts exist.
 */
export const recoveryChallenge = route({
  id: "recoveryChallenge",
  method: "POST",
  path: "/api/v1/auth/recovery/challenge",
  summary: "Start a recovery-key login: a nonce sealed to the account's recovery key (5 min, once)",
  access: "public",
  body: Obj({ username: LoginName }),
  bodyLimit: 1024,
  response: Obj({ challengeId: Id, sealed: ArmoredAge(2048) }),
  status: 201,
})

/**
 * Answers a recovery challenge with the decrypted nonce (base64url). Any answer spends the
 * challenge. A wrong nonce, or an unknown or expired challenge, is 401 WRONG_CREDENTIALS (field
 * `body.nonce`); wrong answers count in the login guard (per account, apart from passwords):
 * slowed, then 423 LOCKED. Success opens a session in stage `password-change` that may set a new
 * password without the old one, or in `second-factor` first when the account has one (the verify
 * step then leads to `password-change`). The response is shaped like the login's.
 */
export const recoveryVerify = route({
  id: "recoveryVerify",
  method: "POST",
  path: "/api/v1/auth/recovery/verify",
  summary:
    "Answer a recovery challenge; returns a session that must set a new password (after the second factor)",
  access: "public",
  body: Obj({ challengeId: Id, nonce: Key32 }),
  bodyLimit: 1024,
  response: Obj({
    session: SessionToken,
    stage: Stage,
    user: Obj({ id: Id, username: Username, name: PersonName, role: RoleSchema }),
    sealedIdentity: Type.Optional(SealedAccountIdentity),
    escrowWrap: Type.Optional(Sealed),
    signingKeyWrap: Type.Optional(Sealed),
    kdf: Kdf,
    /** At stage `second-factor`: the ways this account can prove it. */
    methods: Type.Optional(Type.Array(ProofMethodSchema)),
  }),
})
