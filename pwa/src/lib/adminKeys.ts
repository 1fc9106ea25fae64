import { accounts, type BodyOf, contexts, type Role, twoFactor } from "@sotto/protocol"
import type { AdminUser } from "./adminApi.js"
import { relay } from "./api.js"
import { crypto } from "./crypto.js"
import { requireCertified } from "./keyCertification.js"
import { manifestKeys } from "./oprfDerive.js"
import { deriveFor, derivePassword, newPasswordKeys, signedManifest } from "./staffAuth.js"
import { readDirectoryVersion, writeDirectoryVersion } from "./trustStore.js"
import { toBase64url } from "./wbBytes.js"

/** crypto-core `DIRECTORY_LIFETIME_DAYS` (kept here so the console chunk needs no crypto code). */
export const DIRECTORY_LIFETIME_DAYS = 180

// What the admin's browser does with keys, as test/relay/_actors.ts does it with crypto-core:
// one-time passwords for new accounts, escrow resets, handing node keys to another admin, and
// signing a context's key directory. Every key operation runs in a worker; the opened escrow and
// signing keys live only for the duration of one call.

/** The admin's full session and opened account identity (from the staff store). */
export interface AdminKeys {
  readonly userId: string
  readonly session: string
  readonly identity: string
  readonly username: string
}

/** A progress callback: fraction in [0, 1] of the key derivation. */
export type Progress = (fraction: number) => void

/**
 * Creates an account with a fresh one-time password drawn in the account worker and stretched
 * in the KDF worker (`createUser` in _actors.ts). Show the password once; it is never stored.
 * @throws RelayClientError `CONFLICT` (name taken), `VALIDATION` (field named).
 */
export async function createAccount(
  admin: AdminKeys,
  fields: { username: string; name: string; email?: string; role: Role },
  onProgress: Progress,
): Promise<{ userId: string; oneTimePassword: string }> {
  const { account } = crypto()
  const oneTimePassword = await account.drawOneTimePassword()
  const fresh = await newPasswordKeys(oneTimePassword, onProgress)
  // The one-time password's certification key, vouched for by this admin (SPEC §12): the relay
  // never sees the password, so only its holder can later prove the user's keys with it.
  const certification = await account.certifyUser(
    fields.username,
    fresh.keys.identity,
    admin.identity,
    Date.now(),
  )
  const { id } = await relay.call(accounts.createUser, {
    session: admin.session,
    body: { ...fields, kdf: fresh.kdf, authVerifier: fresh.verifier, certification },
  })
  return { userId: id, oneTimePassword }
}

/** The admin's own wraps of the escrow and signing keys (GET /me). */
async function myWraps(admin: AdminKeys) {
  const me = await relay.call(accounts.getMe, { session: admin.session })
  return { escrowWrap: me.escrowWrap, signingKeyWrap: me.signingKeyWrap }
}

/** Thrown when this admin holds no wrap of a node key (another admin must grant it first). */
export class MissingNodeKey extends Error {
  readonly code = "NO_NODE_KEY"
  constructor(which: "escrow" | "signing") {
    super(`this admin holds no ${which} key wrap`)
  }
}

/**
 * Resets a user's forgotten password with escrow (`escrowReset` in _actors.ts): opens the
 * admin's escrow wrap, fetches the user's sealed identity, reseals it to a new one-time password
 * (scrypt included) in the account worker and sends the result with `authKey`, the admin's
 * current auth key (ReauthDialog).
 * @returns the one-time password to hand over.
 * @throws MissingNodeKey; RelayClientError `WRONG_CREDENTIALS` (wrong admin password),
 *   `CONFLICT` (escrow off, no identity yet).
 */
export async function escrowResetAccount(
  admin: AdminKeys,
  user: { readonly id: string; readonly username: string },
  authKey: string,
): Promise<string> {
  const { id: userId, username } = user
  const { escrowWrap } = await myWraps(admin)
  if (!escrowWrap) throw new MissingNodeKey("escrow")
  const account = crypto().account
  const escrow = await account.openEscrowKey(escrowWrap, admin.identity)
  // The read is the escrow's use: the relay re-checks the admin's password, audits and mails.
  const target = await relay.call(accounts.getUserSealedIdentity, {
    session: admin.session,
    params: { userId },
    body: { currentAuthKey: authKey },
  })
  // crypto-core `resetWithEscrow`, step by step: the one-time password is derived like any
  // password, through the relay's OPRF when the pinned manifest lists keys (SPEC §16).
  const manifest = await signedManifest()
  const params = await account.checkKdfWithin(target.params, manifest.passwordKdf)
  const oprfKey = manifestKeys(manifest)[0]
  const [oneTimePassword, salt] = await Promise.all([
    account.drawOneTimePassword(),
    crypto().kdf.drawSalt(),
  ])
  const keys = await derivePassword(oneTimePassword, salt, params, manifest, oprfKey, () => {})
  // The escrow recipient is the key that opened it, not whatever the relay's record names.
  const sealed = await account.resealAccountIdentity(
    target.sealedIdentity,
    escrow,
    keys.recipient,
    await account.recipientOf(escrow),
  )
  // Re-certifies the account (SPEC §12): the user proves their keys with this password next.
  const certification = await account.certifyUser(
    username,
    keys.identity,
    admin.identity,
    Date.now(),
  )
  await relay.call(accounts.resetUserWithEscrow, {
    session: admin.session,
    params: { userId },
    body: {
      kdf: {
        salt: toBase64url(salt),
        params: { ...params },
        ...(oprfKey === undefined ? {} : { oprf: oprfKey }),
      },
      authVerifier: toBase64url(await crypto().kdf.authVerifier(keys.authKey)),
      sealedIdentity: sealed,
      currentAuthKey: authKey,
      certification,
    },
  })
  return oneTimePassword
}

/**
 * Hands the node keys to another admin who has logged in once (`grantAdminWraps` in _actors.ts):
 * opens this admin's signing (and escrow) wraps and wraps them to the other admin's public key,
 * once its certification chain verifies (lib/keyCertification.ts).
 * @throws NotCertified before anything is opened or sent; MissingNodeKey; RelayClientError.
 */
export async function grantNodeKeys(admin: AdminKeys, to: AdminUser): Promise<void> {
  if (!to.publicKey) throw new Error("this admin has not logged in yet")
  await requireCertified(admin, [to], [to.id])
  const { escrowWrap, signingKeyWrap } = await myWraps(admin)
  if (!signingKeyWrap) throw new MissingNodeKey("signing")
  const account = crypto().account
  const signing = await account.openSigningKey(signingKeyWrap, admin.identity)
  const signingWrap = await account.wrapSigningKey(signing, to.publicKey)
  const escrow = escrowWrap ? await account.openEscrowKey(escrowWrap, admin.identity) : undefined
  const escrowWrapFor = escrow ? await account.wrapEscrowKey(escrow, to.publicKey) : undefined
  await relay.call(accounts.setAdminWraps, {
    session: admin.session,
    params: { userId: to.id },
    body: {
      signingKeyWrap: { v: 1, to: [...signingWrap.to], age: signingWrap.age },
      ...(escrowWrapFor
        ? { escrowWrap: { v: 1, to: [...escrowWrapFor.to], age: escrowWrapFor.age } }
        : {}),
    },
  })
}

/**
 * The admin's current auth key, derived from the password they type again (re-authentication
 * for sensitive actions). @throws CryptoError from the worker; RelayClientError.
 */
export async function reauthKey(
  admin: AdminKeys,
  password: string,
  onProgress: Progress,
): Promise<string> {
  // The login's derivation: the manifest's KDF bounds, the OPRF step, the downgrade check.
  const keys = await deriveFor(admin.username, password, onProgress)
  return toBase64url(keys.authKey)
}

/** Removes a user's second factors; the relay checks `authKey` (the admin's). */
export async function resetSecondFactors(
  admin: AdminKeys,
  userId: string,
  authKey: string,
): Promise<void> {
  await relay.call(twoFactor.resetSecondFactors, {
    session: admin.session,
    params: { userId },
    body: { currentAuthKey: authKey },
  })
}

/** A context's settings as the console edits them (the directory is added on save). */
export type ContextDraft = Omit<BodyOf<typeof contexts.updateContext>, "directory">

/** A fresh context id: 16 random bytes, base64url (the directory names it, so the browser draws it). */
export function drawContextId(): string {
  return toBase64url(globalThis.crypto.getRandomValues(new Uint8Array(16)))
}

/**
 * Builds the key directory of a context from the chosen recipients (ids, names, public keys;
 * accounts without a key are left out of both the directory and the recipient list),
 * signs it with the node signing key opened from this admin's wrap (account worker), and sends
 * create (`isNew`) or update. @throws NotCertified (a listed key not proved); MissingNodeKey; RelayClientError `VALIDATION` (field),
 * `BAD_DIRECTORY`, `CONFLICT`.
 */
export async function saveContext(
  admin: AdminKeys,
  contextId: string,
  draft: ContextDraft,
  users: readonly AdminUser[],
  isNew: boolean,
): Promise<void> {
  // Only keys proved with their one-time password are signed into a directory (SPEC §12).
  const custodianIds = (draft.custodians ?? []).filter((id) =>
    users.some((u) => u.id === id && u.publicKey && u.role === "custodian"),
  )
  await requireCertified(admin, users, [
    ...draft.recipients.filter((id) => users.some((u) => u.id === id && u.publicKey)),
    ...custodianIds,
  ])
  const { signingKeyWrap } = await myWraps(admin)
  if (!signingKeyWrap) throw new MissingNodeKey("signing")
  const byId = new Map(users.map((u) => [u.id, u]))
  const recipients = draft.recipients.flatMap((id) => {
    const u = byId.get(id)
    // The signing key, when the user published one, lets readers verify their comments.
    return u?.publicKey
      ? [
          {
            id,
            name: u.name,
            recipient: u.publicKey,
            ...(u.signer === undefined ? {} : { signer: u.signer }),
          },
        ]
      : []
  })
  recipients.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  // Custodians are signed apart from recipients: identity answers are sealed to them alone.
  const custodians = custodianIds
    .flatMap((id) => {
      const u = byId.get(id)
      return u?.publicKey ? [{ id, name: u.name, recipient: u.publicKey }] : []
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const account = crypto().account
  const signing = await account.openSigningKey(signingKeyWrap, admin.identity)
  const version = (await currentDirectoryVersion(contextId, isNew)) + 1
  const now = new Date()
  const signed = await account.signDirectory(
    {
      v: 2,
      context: contextId,
      version,
      issuedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + DIRECTORY_LIFETIME_DAYS * 86_400_000).toISOString(),
      recipients,
      ...(custodians.length > 0 ? { custodians } : {}),
    },
    signing,
  )
  await writeDirectoryVersion(contextId, version)
  const directory = {
    directory: {
      v: 2 as const,
      context: signed.directory.context,
      version: signed.directory.version,
      issuedAt: signed.directory.issuedAt,
      expiresAt: signed.directory.expiresAt,
      recipients: signed.directory.recipients.map((r) => ({ ...r })),
      ...(signed.directory.custodians
        ? { custodians: signed.directory.custodians.map((c) => ({ ...c })) }
        : {}),
    },
    signer: signed.signer,
    signature: signed.signature,
  }
  // Only accounts with a key can be listed; the relay wants the same ids in both places.
  const body = {
    ...draft,
    recipients: recipients.map((r) => r.id),
    custodians: custodians.map((c) => c.id),
    directory,
  }
  if (isNew) {
    await relay.call(contexts.createContext, {
      session: admin.session,
      body: { id: contextId, ...body },
    })
  } else {
    await relay.call(contexts.updateContext, {
      session: admin.session,
      params: { contextId },
      body,
    })
  }
}

/**
 * The highest version of this context's directory known here: the one this browser signed or
 * saw, or the one the relay serves (a relay that serves a lower one only makes us skip ahead).
 */
async function currentDirectoryVersion(contextId: string, isNew: boolean): Promise<number> {
  const seen = (await readDirectoryVersion(contextId)) ?? 0
  if (isNew) return seen
  try {
    const served = await relay.call(contexts.getContextDirectory, { params: { contextId } })
    const v = served.directory.version
    return Number.isSafeInteger(v) && v > seen ? v : seen
  } catch {
    return seen
  }
}
