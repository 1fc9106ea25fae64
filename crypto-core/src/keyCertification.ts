import { hkdf } from "@noble/hashes/hkdf.js"
import { sha256 } from "@noble/hashes/sha2.js"
import { bech32 } from "@scure/base"
import nacl from "tweetnacl"
import { accountSigner, accountSigningKey } from "./accountSigning.js"
import {
  type AgeIdentity,
  type AgeRecipient,
  expectRecipient,
  recipientOf,
  secretFromIdentity,
} from "./age.js"
import { utf8 } from "./encoding.js"
import { CryptoError, isCryptoError } from "./errors.js"
import { fingerprintWords } from "./fingerprint.js"
import type { SigningKeyPair } from "./keyDirectory.js"
import {
  type SignedStatement,
  signerOf,
  signStatement,
  verifyStatement,
} from "./signedStatement.js"

// Key certification bound to the out-of-band one-time password (SPEC §12, issue 10 attack 3).
// The admin's browser derives a certification key from the one-time password it hands over in
// person and signs its public half with the admin's account signing key; at first login the
// user's browser derives the same key and signs its new account keys with it. The relay knows
// neither the one-time password nor anything derived from it but the auth key, so it can neither
// make the proof nor swap the certification key under the admin's signature.

/** Label of the admin's statement naming a user's certification key. */
export const CERTIFICATION_LABEL = "sotto/v2/user-certification"
/** Label of the user's proof, signed with the certification key, of their account keys. */
export const KEY_PROOF_LABEL = "sotto/v2/account-key-proof"
const KEY_LABEL = "sotto/v2/certification-key"

/** What an admin signs when creating (or re-certifying) a user. */
export interface CertificationBody {
  /** The login name the one-time password was made for (the id is not known before creation). */
  readonly username: string
  /** The certification key's Ed25519 public key, base64url. */
  readonly certificationKey: string
  /** When it was signed (ms since the epoch). */
  readonly issuedAt: number
}

/** What the user's browser signs with the certification key at first login. */
export interface KeyProofBody {
  readonly userId: string
  /** The account's X25519 recipient (age1…), what tips and node keys are sealed to. */
  readonly publicKey: AgeRecipient
  /** The account signing key (`accountSigner`), base64url. */
  readonly signer: string
}

/** A user's whole chain, as the relay stores and lists it. */
export interface UserCertification {
  readonly certification: SignedStatement<CertificationBody>
  readonly proof: SignedStatement<KeyProofBody>
}

/**
 * The certification key of a one-time password: Ed25519 from seed = HKDF-SHA-256(ikm = the
 * password identity's 32 secret bytes (itself HKDF of the scrypt output, SPEC §1), salt = empty,
 * info = "sotto/v2/certification-key", 32). Pass `derivePasswordKeys(otp, salt, params).identity`.
 * @throws CryptoError `BAD_INPUT` when `passwordIdentity` is not an X25519 identity.
 */
export function certificationKey(passwordIdentity: AgeIdentity): SigningKeyPair {
  const secret = secretFromIdentity("passwordIdentity", passwordIdentity)
  return nacl.sign.keyPair.fromSeed(hkdf(sha256, secret, new Uint8Array(0), utf8(KEY_LABEL), 32))
}

/** The admin's statement for a new (or re-certified) user, signed with the admin's account key. */
export function certifyUser(
  username: string,
  passwordIdentity: AgeIdentity,
  adminIdentity: AgeIdentity,
  now: number,
): SignedStatement<CertificationBody> {
  const body: CertificationBody = {
    username,
    certificationKey: signerOf(certificationKey(passwordIdentity)),
    issuedAt: now,
  }
  return signStatement(CERTIFICATION_LABEL, body, accountSigningKey(adminIdentity))
}

/**
 * The first admin's statement, made by the setup wizard (SPEC §12): nobody can vouch for the
 * first admin, so the node signing key (the root every client pins through the manifest) signs
 * the certification key of the admin's own password identity. Its proof is made at once.
 */
export function certifyFirstAdmin(
  username: string,
  passwordIdentity: AgeIdentity,
  nodeKey: SigningKeyPair,
  now: number,
): SignedStatement<CertificationBody> {
  const body: CertificationBody = {
    username,
    certificationKey: signerOf(certificationKey(passwordIdentity)),
    issuedAt: now,
  }
  return signStatement(CERTIFICATION_LABEL, body, nodeKey)
}

/** The user's proof of their new account keys, signed with the one-time password's key. */
export function proveAccountKeys(
  userId: string,
  passwordIdentity: AgeIdentity,
  account: { readonly identity: AgeIdentity; readonly recipient: AgeRecipient },
): SignedStatement<KeyProofBody> {
  const body: KeyProofBody = {
    userId,
    publicKey: expectRecipient("account.recipient", account.recipient),
    signer: accountSigner(account.identity),
  }
  return signStatement(KEY_PROOF_LABEL, body, certificationKey(passwordIdentity))
}

/**
 * Checks a user's chain before an admin's browser signs a directory listing them or wraps node
 * keys to them: the certification is signed by one of `trustedSigners` (admin account signers the
 * caller trusts: itself, or admins it verified) for this login name; the proof is signed by the
 * certified key and names exactly `publicKey` (and `signer`, when given).
 * @returns the certification and proof bodies.
 * @throws CryptoError `NOT_CERTIFIED` naming what failed (missing chain, unknown certifier,
 *   another user, other keys, a bad signature).
 */
export function verifyUserKeys(
  user: {
    readonly userId: string
    readonly username: string
    readonly publicKey: string
    readonly signer?: string
  },
  chain: UserCertification | undefined,
  trustedSigners: readonly string[],
): { certification: CertificationBody; proof: KeyProofBody } {
  if (!chain) throw notCertified("has no key certification (created before protocol v2?)")
  const signer = chain.certification?.signer
  if (typeof signer !== "string" || !trustedSigners.includes(signer)) {
    throw notCertified("was certified by a key this browser does not trust")
  }
  const certification = checked(() => verifyStatement(CERTIFICATION_LABEL, chain.certification))
  if (certification.username !== user.username)
    throw notCertified("carries another user's certificate")
  const proof = checked(() =>
    verifyStatement(KEY_PROOF_LABEL, chain.proof, certification.certificationKey),
  )
  if (proof.userId !== user.userId || proof.publicKey !== user.publicKey) {
    throw notCertified("has a public key that its one-time password never proved")
  }
  if (user.signer !== undefined && proof.signer !== user.signer) {
    throw notCertified("has a signing key that its one-time password never proved")
  }
  return { certification, proof }
}

/**
 * Fingerprint words of an account's public key (age recipient), for a spoken or printed check.
 * @throws CryptoError `BAD_INPUT` when `recipient` is not an age X25519 recipient.
 */
export function accountFingerprint(recipient: AgeRecipient): string[] {
  const r = expectRecipient("recipient", recipient)
  return fingerprintWords(bech32.fromWords(bech32.decode(r as `${string}1${string}`, false).words))
}

function checked<T>(verify: () => T): T {
  try {
    return verify()
  } catch (cause) {
    if (isCryptoError(cause))
      throw notCertified(`has a certificate that does not verify (${cause.code})`)
    throw cause
  }
}

function notCertified(what: string): CryptoError {
  return new CryptoError("NOT_CERTIFIED", `this user ${what}`)
}

/** A user as an admin's browser gets them from the relay's user list. */
export interface ListedUser {
  readonly id: string
  readonly username: string
  readonly role: string
  readonly publicKey?: string
  readonly certification?: SignedStatement<CertificationBody>
  readonly keyProof?: SignedStatement<KeyProofBody>
}

/** What an admin's browser may rely on for one listed user, or why not. */
export type CertifiedKeys =
  | {
      readonly certified: true
      readonly publicKey: AgeRecipient
      readonly signer: string
      readonly fingerprint: string[]
    }
  | { readonly certified: false; readonly reason: string }

/**
 * Decides, for every user of the relay's list, whether an admin's browser may seal or sign to their
 * public key. Trusted certifiers start with this admin (`self`) and `roots` (the node key of the
 * manifest this browser verified against its pin: it certifies the first admin at setup); an
 * admin whose own chain verifies under a trusted certifier becomes one (repeated until nothing
 * changes). `self` is certified by its own identity, whatever the list says about it. Nothing
 * here trusts the relay.
 */
export async function certifyList(
  users: readonly ListedUser[],
  self: { readonly userId: string; readonly identity: AgeIdentity },
  roots: readonly string[] = [],
): Promise<Map<string, CertifiedKeys>> {
  const ownRecipient = await recipientOf(self.identity)
  const result = new Map<string, CertifiedKeys>()
  const trusted = [accountSigner(self.identity), ...roots]
  result.set(self.userId, {
    certified: true,
    publicKey: ownRecipient,
    signer: trusted[0] ?? "",
    fingerprint: accountFingerprint(ownRecipient),
  })
  let grew = true
  while (grew) {
    grew = false
    for (const user of users) {
      if (result.get(user.id)?.certified) continue
      result.set(user.id, checkOne(user, trusted))
      const now = result.get(user.id)
      if (now?.certified && user.role === "admin" && !trusted.includes(now.signer)) {
        trusted.push(now.signer)
        grew = true
      }
    }
  }
  return result
}

function checkOne(user: ListedUser, trusted: readonly string[]): CertifiedKeys {
  if (user.publicKey === undefined) return { certified: false, reason: "has not logged in yet" }
  const chain =
    user.certification && user.keyProof
      ? { certification: user.certification, proof: user.keyProof }
      : undefined
  try {
    const { proof } = verifyUserKeys(
      { userId: user.id, username: user.username, publicKey: user.publicKey },
      chain,
      trusted,
    )
    return {
      certified: true,
      publicKey: proof.publicKey,
      signer: proof.signer,
      fingerprint: accountFingerprint(proof.publicKey),
    }
  } catch (e) {
    if (isCryptoError(e, "NOT_CERTIFIED")) return { certified: false, reason: e.message }
    throw e
  }
}
