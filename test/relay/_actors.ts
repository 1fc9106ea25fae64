import {
  type AgeIdentity,
  type AgeRecipient,
  accountSigner,
  authVerifier,
  type CertifiedKeys,
  certifyList,
  certifyUser,
  checkKdfWithin,
  createAccountIdentity,
  type DerivedKeys,
  drawOneTimePassword,
  drawRecoveryKey,
  fromBase64url,
  type ManifestPin,
  type NodeManifest,
  openAccountIdentity,
  openEscrowKey,
  openSigningKey,
  proveAccountKeys,
  type RecoveryKey,
  recipientOf,
  resealAccountIdentity,
  resetWithEscrow,
  type SealedAccountIdentity,
  type SigningKeyPair,
  sealAccountIdentity,
  toBase64url,
  verifyNodeManifest,
  wrapEscrowKey,
  wrapSigningKey,
} from "@sotto/crypto-core"
import type { ResponseOf, Role } from "@sotto/protocol"
import { accounts } from "@sotto/protocol"
import type { TestRelay } from "./_harness.js"
import { relayEvaluate } from "./_oprf.js"
import { newPassword, passwordKeys, rememberSecret, type TestOprf, wireWrap } from "./_secrets.js"

export * from "./_nodeSetup.js"
export * from "./_secrets.js"
export { refused as relayError } from "./_seed.js"

// What a browser does with crypto-core, for the relay integration tests. The usual flow:
//   const admin = await setupNode(t)                                  // node + first admin
//   const account = await createRecipient(t, admin, "alice")          // one-time password
//   const alice = await firstLogin(t, "alice", account.oneTimePassword) // identity + recovery key
//   const again = await login(t, "alice", alice.password)             // opens the identity
// Private keys stay here. Every secret made is remembered in `usedSecrets`, so a test can prove
// with `findSecrets(t, usedSecrets)` that none reached the data dir. Tests that fail many logins
// should set `t.relay.ctx.loginGuard.sleep = async () => {}` (the guard's waits are real).

// The manifest pin per node (by data dir, so a client through the evil relay shares it): the
// node key and the highest version seen, as a staff browser keeps it in IndexedDB.
const manifestPins = new Map<string, ManifestPin>()

/**
 * The node manifest as a browser trusts it: GET /node, verified against this node's pin (first
 * use pins it), never the unsigned fields beside it.
 * @throws CryptoError `KEY_MISMATCH`, `BAD_SIGNATURE`, `STALE`.
 */
export async function trustedManifest(t: TestRelay): Promise<NodeManifest> {
  const node = await t.client.call(accounts.getNode)
  const { manifest, pin } = verifyNodeManifest(node.manifest, manifestPins.get(t.dataDir))
  manifestPins.set(t.dataDir, pin)
  return manifest
}

/**
 * The params a browser would use for a new password on this node: the manifest's floor (the test
 * KDF on nodes the actors set up, the real default on nodes set up in the PWA), the cheapest
 * the node's own clients accept.
 */
async function nodeKdf(t: TestRelay) {
  return (await trustedManifest(t)).passwordKdf.floor
}

/**
 * How a browser reaches this node's OPRF for a new password (SPEC §16): under the manifest's
 * newest key when the manifest lists OPRF keys, else undefined (a node made before the OPRF).
 * An existing verifier's key is `kdfOprf`; it must be one the manifest lists.
 */
async function nodeOprf(t: TestRelay, kdfOprf?: string): Promise<TestOprf | undefined> {
  const keys = (await trustedManifest(t)).oprf?.keys
  const key = kdfOprf ?? keys?.[0]
  if (key === undefined) return undefined
  if (!keys?.includes(key)) throw new Error(`the manifest does not list OPRF key ${key}`)
  return { key, evaluate: (blinded) => relayEvaluate(t, blinded, key) }
}

/** A staff member with a finished first login: a full session and an open identity. */
export interface StaffActor {
  readonly userId: string
  readonly username: string
  readonly role: Role
  readonly password: string
  /** The `X-Session` token of a full session. */
  readonly session: string
  /** The account identity (private) and its public key. */
  readonly identity: AgeIdentity
  readonly recipient: AgeRecipient
  readonly recoveryKey: RecoveryKey
}

/** An account an admin just made, with the one-time password to hand over. */
export interface NewAccount {
  readonly userId: string
  readonly username: string
  readonly role: Role
  readonly oneTimePassword: string
}

/** A login as the browser sees it, with what it could open. */
export interface LoginResult {
  readonly session: string
  readonly stage: ResponseOf<typeof accounts.login>["stage"]
  readonly userId: string
  readonly username: string
  readonly role: Role
  readonly sealedIdentity?: SealedAccountIdentity
  /** Opened with the password identity, when the account has an identity. */
  readonly identity?: AgeIdentity
  /** Opened admin wraps, when present. */
  readonly escrow?: AgeIdentity
  readonly signing?: SigningKeyPair
  readonly keys: DerivedKeys
}

/**
 * An admin creates an account with a fresh one-time password (hashed in the admin's browser). An
 * admin with an open identity also certifies the password's key (protocol v2, SPEC §12).
 */
export async function createUser(
  t: TestRelay,
  admin: { readonly session: string; readonly identity?: AgeIdentity },
  username: string,
  options: { role?: Role; name?: string; email?: string } = {},
): Promise<NewAccount> {
  const oneTimePassword = rememberSecret(drawOneTimePassword())
  const { keys, kdf } = await passwordKeys(
    oneTimePassword,
    undefined,
    await nodeKdf(t),
    await nodeOprf(t),
  )
  const role = options.role ?? "recipient"
  const { id } = await t.client.call(accounts.createUser, {
    session: admin.session,
    body: {
      username,
      name: options.name ?? `Person ${username}`,
      ...(options.email === undefined ? {} : { email: options.email }),
      role,
      kdf,
      authVerifier: toBase64url(authVerifier(keys.authKey)),
      ...(admin.identity === undefined
        ? {}
        : { certification: certifyUser(username, keys.identity, admin.identity, Date.now()) }),
    },
  })
  return { userId: id, username, role, oneTimePassword }
}

/** {@link createUser} with the recipient role. */
export function createRecipient(
  t: TestRelay,
  admin: { readonly session: string },
  username: string,
): Promise<NewAccount> {
  return createUser(t, admin, username, { role: "recipient" })
}

/**
 * Logs in as the browser does: fetch the KDF params, derive, send the auth key, then open whatever
 * the response carries (sealed identity, admin wraps).
 * @throws RelayClientError from the relay (WRONG_CREDENTIALS, LOCKED…).
 */
export async function login(
  t: TestRelay,
  username: string,
  password: string,
): Promise<LoginResult> {
  const manifest = await trustedManifest(t)
  const params = await t.client.call(accounts.getAuthParams, { query: { username } })
  // Refused before any derivation: the relay does not choose how hard a password is to guess.
  const kdf = checkKdfWithin(params.params, manifest.passwordKdf)
  // The relay's `oprf` says which derivation this verifier used; its key must be the manifest's.
  const oprf = params.oprf === undefined ? undefined : await nodeOprf(t, params.oprf)
  const { keys } = await passwordKeys(password, fromBase64url("salt", params.salt), kdf, oprf)
  const res = await t.client.call(accounts.login, {
    body: { username, authKey: toBase64url(keys.authKey) },
  })
  const identity = res.sealedIdentity
    ? (await openAccountIdentity(res.sealedIdentity, keys.identity)).identity
    : undefined
  return {
    session: res.session,
    stage: res.stage,
    userId: res.user.id,
    username: res.user.username,
    role: res.user.role,
    ...(res.sealedIdentity ? { sealedIdentity: res.sealedIdentity } : {}),
    ...(identity ? { identity } : {}),
    ...(identity && res.escrowWrap
      ? { escrow: await openEscrowKey(res.escrowWrap, identity) }
      : {}),
    ...(identity && res.signingKeyWrap
      ? { signing: await openSigningKey(res.signingKeyWrap, identity) }
      : {}),
    keys,
  }
}

/**
 * First login with a one-time password: logs in (stage password-change), makes the account
 * identity and recovery key, seals it to the new password, recovery and the node's escrow key,
 * and sets the password. Returns the user with a full session.
 */
export async function firstLogin(
  t: TestRelay,
  username: string,
  oneTimePassword: string,
  password: string = newPassword(),
): Promise<StaffActor> {
  const first = await login(t, username, oneTimePassword)
  const manifest = await trustedManifest(t)
  const account = await createAccountIdentity()
  const recoveryKey = rememberSecret(drawRecoveryKey())
  rememberSecret(account.identity)
  const { keys, kdf } = await passwordKeys(
    password,
    undefined,
    manifest.passwordKdf.floor,
    await nodeOprf(t),
  )
  const sealed = await sealAccountIdentity(account, {
    password: keys.recipient,
    recovery: await recipientOf(recoveryKey),
    ...(manifest.escrow === null ? {} : { escrow: manifest.escrow }),
  })
  await t.client.call(accounts.changePassword, {
    session: first.session,
    body: {
      currentAuthKey: toBase64url(first.keys.authKey),
      kdf,
      authVerifier: toBase64url(authVerifier(keys.authKey)),
      sealedIdentity: sealed,
      publicKey: account.recipient,
      signer: accountSigner(account.identity),
      // Proves the new keys with the one-time password's certification key (SPEC §12).
      keyProof: proveAccountKeys(first.userId, first.keys.identity, account),
    },
  })
  return {
    userId: first.userId,
    username,
    role: first.role,
    password,
    session: first.session,
    identity: account.identity,
    recipient: account.recipient,
    recoveryKey,
  }
}

/**
 * Changes the password of a logged-in account that already has an identity (a normal change, or
 * the forced one after an escrow reset): reseals the identity to the new password.
 * @returns the new password.
 */
export async function changePassword(
  t: TestRelay,
  current: LoginResult,
  password: string = newPassword(),
): Promise<string> {
  if (!current.sealedIdentity) throw new Error("this account has no identity yet: use firstLogin")
  const manifest = await trustedManifest(t)
  const { keys, kdf } = await passwordKeys(
    password,
    undefined,
    manifest.passwordKdf.floor,
    await nodeOprf(t),
  )
  const sealed = await resealAccountIdentity(
    current.sealedIdentity,
    current.keys.identity,
    keys.recipient,
    manifest.escrow,
  )
  await t.client.call(accounts.changePassword, {
    session: current.session,
    body: {
      currentAuthKey: toBase64url(current.keys.authKey),
      kdf,
      authVerifier: toBase64url(authVerifier(keys.authKey)),
      sealedIdentity: sealed,
      publicKey: sealed.recipient,
      // After an escrow reset this re-certifies (the relay keeps it only then, SPEC §12).
      ...(current.identity
        ? {
            keyProof: proveAccountKeys(current.userId, current.keys.identity, {
              identity: current.identity,
              recipient: sealed.recipient,
            }),
          }
        : {}),
    },
  })
  return password
}

/**
 * The current auth key of `actor` (base64url), derived from their password as the browser does
 * for a re-authentication (escrow reset, deletion, second-factor reset).
 */
export async function reauthKey(
  t: TestRelay,
  actor: { readonly username: string; readonly password: string },
): Promise<string> {
  const params = await t.client.call(accounts.getAuthParams, {
    query: { username: actor.username },
  })
  const { keys } = await passwordKeys(
    actor.password,
    fromBase64url("salt", params.salt),
    params.params,
    params.oprf === undefined ? undefined : await nodeOprf(t, params.oprf),
  )
  return toBase64url(keys.authKey)
}

/**
 * An admin resets a user's password with escrow, as the admin's browser does: opens the admin's
 * escrow wrap (from GET /me), fetches the user's sealed identity, runs `resetWithEscrow`, and
 * re-authenticates with the admin's current auth key (`authKey` overrides it, for wrong-key tests).
 * @returns the one-time password to hand to the user.
 */
export async function escrowReset(
  t: TestRelay,
  admin: StaffActor,
  userId: string,
  authKey?: string,
): Promise<string> {
  const me = await t.client.call(accounts.getMe, { session: admin.session })
  if (!me.escrowWrap) throw new Error("this admin holds no escrow wrap")
  const escrow = await openEscrowKey(me.escrowWrap, admin.identity)
  const currentAuthKey = authKey ?? (await reauthKey(t, admin))
  const target = await t.client.call(accounts.getUserSealedIdentity, {
    session: admin.session,
    params: { userId },
    body: { currentAuthKey },
  })
  // On an OPRF node the one-time password goes through the relay's OPRF like any password.
  const oprf = await nodeOprf(t)
  let otpKeys: DerivedKeys | undefined
  const reset = await resetWithEscrow(
    target.sealedIdentity,
    escrow,
    target.params,
    async (otp, salt, params) => {
      otpKeys = (await passwordKeys(otp, salt, params, oprf)).keys
      return otpKeys
    },
  )
  rememberSecret(reset.oneTimePassword)
  const { users } = await t.client.call(accounts.listUsers, { session: admin.session })
  const username = users.find((u) => u.id === userId)?.username ?? ""
  // Re-certifies with the new one-time password (SPEC §12): the same keys the user re-derives.
  if (!otpKeys) throw new Error("the reset derived no keys")
  const certification = certifyUser(username, otpKeys.identity, admin.identity, Date.now())
  await t.client.call(accounts.resetUserWithEscrow, {
    session: admin.session,
    params: { userId },
    body: {
      kdf: {
        salt: toBase64url(reset.salt),
        params: { ...reset.params },
        ...(oprf ? { oprf: oprf.key } : {}),
      },
      authVerifier: toBase64url(reset.authVerifier),
      sealedIdentity: reset.sealed,
      currentAuthKey,
      certification,
    },
  })
  return reset.oneTimePassword
}

/** An admin deletes an account, re-authenticating with their current auth key (or `authKey`). */
export async function deleteAccount(
  t: TestRelay,
  admin: StaffActor,
  userId: string,
  authKey?: string,
): Promise<void> {
  await t.client.call(accounts.deleteUser, {
    session: admin.session,
    params: { userId },
    body: { currentAuthKey: authKey ?? (await reauthKey(t, admin)) },
  })
}

/**
 * An existing admin's browser hands the node keys to another admin (made or promoted after
 * setup): opens its own escrow and signing wraps (from GET /me) and wraps both to `to.recipient`.
 */
export async function grantAdminWraps(
  t: TestRelay,
  admin: StaffActor,
  to: { readonly userId: string; readonly recipient: AgeRecipient },
): Promise<void> {
  const me = await t.client.call(accounts.getMe, { session: admin.session })
  if (!me.signingKeyWrap) throw new Error("this admin holds no signing key wrap")
  const signing = await openSigningKey(me.signingKeyWrap, admin.identity)
  const escrow = me.escrowWrap ? await openEscrowKey(me.escrowWrap, admin.identity) : undefined
  await t.client.call(accounts.setAdminWraps, {
    session: admin.session,
    params: { userId: to.userId },
    body: {
      signingKeyWrap: wireWrap(await wrapSigningKey(signing, to.recipient)),
      ...(escrow ? { escrowWrap: wireWrap(await wrapEscrowKey(escrow, to.recipient)) } : {}),
    },
  })
}

/**
 * What an admin's browser may rely on for each listed user (crypto-core `certifyList` over
 * `GET /users`, through `client`, which may be an evil relay's), trusting the node keys in
 * `roots` (the pinned manifest's) as certifiers of the first admin.
 */
export async function certifiedUsers(
  client: TestRelay["client"],
  admin: StaffActor,
  roots: readonly string[] = [],
): Promise<Map<string, CertifiedKeys>> {
  const { users } = await client.call(accounts.listUsers, { session: admin.session })
  return certifyList(users, { userId: admin.userId, identity: admin.identity }, roots)
}

/**
 * The public key of `userId` as an admin's browser may use it (to sign a directory or wrap node
 * keys): only when its certification chain verifies.
 * @throws Error naming the reason otherwise.
 */
export async function certifiedRecipient(
  client: TestRelay["client"],
  admin: StaffActor,
  userId: string,
): Promise<AgeRecipient> {
  const found = (await certifiedUsers(client, admin)).get(userId)
  if (!found?.certified) throw new Error(`not certified: ${found?.reason ?? "not listed"}`)
  return found.publicKey
}

/**
 * "Give node keys" as an admin's browser does it in protocol v2: looks the user up in the relay's
 * list (through `client`), wraps the signing and escrow keys to their key only when it is
 * certified, and sends the wraps.
 * @throws Error `not certified: …` before anything is sent otherwise.
 */
export async function giveNodeKeys(
  client: TestRelay["client"],
  admin: StaffActor,
  userId: string,
): Promise<void> {
  const recipient = await certifiedRecipient(client, admin, userId)
  const me = await client.call(accounts.getMe, { session: admin.session })
  if (!me.signingKeyWrap) throw new Error("this admin holds no signing key wrap")
  const signing = await openSigningKey(me.signingKeyWrap, admin.identity)
  const escrow = me.escrowWrap ? await openEscrowKey(me.escrowWrap, admin.identity) : undefined
  await client.call(accounts.setAdminWraps, {
    session: admin.session,
    params: { userId },
    body: {
      signingKeyWrap: wireWrap(await wrapSigningKey(signing, recipient)),
      ...(escrow ? { escrowWrap: wireWrap(await wrapEscrowKey(escrow, recipient)) } : {}),
    },
  })
}

/** Sends a raw auth key for a username (no derivation): for wrong-key and brute-force tests. */
export async function loginWithKey(t: TestRelay, username: string, authKey: Uint8Array) {
  return t.client.call(accounts.login, { body: { username, authKey: toBase64url(authKey) } })
}
