import type { NodeManifest, SealedAccountIdentity } from "@sotto/crypto-core"
import {
  type AnyRoute,
  accounts,
  type CallOptions,
  RelayClient,
  RelayClientError,
  type ResponseOf,
} from "@sotto/protocol"
import { proxy } from "@sotto/workers"
import type { StaffSessionState } from "../store/createStaffSession.js"
import { relay } from "./api.js"
import { crypto } from "./crypto.js"
import { trustManifest } from "./nodeTrust.js"
import { deriveWithOprf, manifestKeys, OprfRefused, type OprfTrust } from "./oprfDerive.js"
import { rememberAccount } from "./staffCache.js"
import { normaliseUsername } from "./staffSetup.js"
import { accountOnOprf, markAccountOprf } from "./trustStore.js"
import { fromBase64url, toBase64url } from "./wbBytes.js"

// Staff login as test/relay/_actors.ts `login` does it with crypto-core: fetch the account's KDF
// inputs, stretch the password in the KDF worker, send only the auth key, then open the sealed
// identity in the account worker. The password never leaves this tab.

/** A second-factor code sent with the password (the lock bypass). */
export interface LoginFactor {
  readonly method: "totp" | "backup"
  readonly code: string
}

/** A refused login, with the relay's Retry-After (seconds) when it sent one. */
export class LoginRefused extends RelayClientError {
  constructor(
    error: RelayClientError,
    readonly retryAfter: number | undefined,
  ) {
    super(error.status, error.code, error.message, error.field)
  }
}

/**
 * Calls `spec` through a client that keeps the Retry-After header (the typed client drops it),
 * for refusals that say when to try again (LOCKED, RATE_LIMITED).
 * @throws LoginRefused (a RelayClientError with `retryAfter`) for any refusal.
 */
export async function callKeepingRetryAfter<S extends AnyRoute>(
  spec: S,
  options: CallOptions<S>,
): Promise<ResponseOf<S>> {
  let retryAfter: number | undefined
  const client = new RelayClient(location.origin, async (input, init) => {
    const res = await fetch(input, init)
    const header = res.headers.get("Retry-After")
    retryAfter = header === null ? undefined : Number(header)
    return res
  })
  try {
    return await client.call(spec, options)
  } catch (e) {
    if (e instanceof RelayClientError) throw new LoginRefused(e, retryAfter)
    throw e
  }
}

/**
 * The node manifest from GET /node, verified against this browser's pin (first login pins it).
 * @throws TrustError `NODE_KEY_CHANGED`, `MANIFEST_STALE`, `MANIFEST_FORGED`.
 */
export async function signedManifest(): Promise<NodeManifest> {
  return trustManifest((await relay.call(accounts.getNode)).manifest)
}

/** The password-derived keys of a login (memory only). */
interface PasswordKeys {
  readonly authKey: Uint8Array
  readonly identity: string
  readonly recipient: string
}

/** A login's keys and what they were derived under. */
interface LoginKeys extends PasswordKeys {
  /** The OPRF key the account's verifier is under (SPEC §16); absent for a v1 account. */
  readonly oprf?: string
  /** The manifest verified for this derivation. */
  readonly manifest: NodeManifest
}

/**
 * Stretches `password` with `salt` and `params`: through the relay's OPRF under `oprfKey` (which
 * the verified manifest must list) when given, else the v1 derivation (SPEC §1).
 * @throws OprfRefused `OPRF_KEY_MISMATCH`, `OPRF_BAD_PROOF`; CryptoError from the worker.
 */
export function derivePassword(
  password: string,
  salt: Uint8Array,
  params: { N: number; r: number; p: number },
  manifest: OprfTrust,
  oprfKey: string | undefined,
  onProgress: (fraction: number) => void,
): Promise<PasswordKeys> {
  const kdf = crypto().kdf
  if (oprfKey === undefined) {
    return kdf.derivePasswordKeys(password, salt, params, proxy(onProgress))
  }
  return deriveWithOprf(
    (progress) => kdf.beginPasswordOprf(password, salt, params, proxy(progress)),
    onProgress,
    { trusted: manifestKeys(manifest), key: oprfKey, bounds: manifest.pow },
  )
}

/**
 * Stretches `password` with the account's stored params in the KDF worker; progress is a fraction
 * in [0, 1]. Login and re-authentication (lib/staffFactors.ts) derive the auth key this one way:
 * through the OPRF when the account's params name a key (checked against the pinned manifest).
 * A v1 answer for an account this browser saw on the OPRF is a downgrade and refused before any
 * key is derived or sent.
 * @throws RelayClientError from the params lookup; CryptoError WEAK_PARAMS from the worker;
 * OprfRefused `OPRF_DOWNGRADE`, `OPRF_KEY_MISMATCH`, `OPRF_BAD_PROOF`.
 */
export async function deriveFor(
  username: string,
  password: string,
  onProgress: (fraction: number) => void,
): Promise<LoginKeys> {
  const [manifest, kdf] = await Promise.all([
    signedManifest(),
    relay.call(accounts.getAuthParams, { query: { username } }),
  ])
  // Refused before deriving: the relay must not weaken (or blow up) the password's scrypt.
  const params = await crypto().account.checkKdfWithin(kdf.params, manifest.passwordKdf)
  if (kdf.oprf === undefined && (await accountOnOprf(normaliseUsername(username)))) {
    throw new OprfRefused("OPRF_DOWNGRADE", "a v1 answer for an account seen on the OPRF")
  }
  const keys = await derivePassword(
    password,
    fromBase64url(kdf.salt),
    params,
    manifest,
    kdf.oprf,
    onProgress,
  )
  return { ...keys, manifest, ...(kdf.oprf === undefined ? {} : { oprf: kdf.oprf }) }
}

/**
 * Logs in and opens what the response carries. The state it returns is what the staff store
 * keeps: `full` with the opened identity; `password-change` with what the change needs;
 * `second-factor` with the password's keys for lib/staffFactors.ts `verifyFactor`.
 * With `factor` (an authenticator or backup code) the code goes with the password in one request:
 * the way in while the account is locked after wrong passwords (relay/README.md "Account
 * lockout"); the session then starts past the second-factor step.
 * @throws LoginRefused `WRONG_CREDENTIALS`, `LOCKED`, `RATE_LIMITED` (with `retryAfter`), and with
 * a factor `WRONG_CODE`, `CODE_REUSED`; CryptoError `WRONG_KEY`/`TAMPERED` when the sealed
 * identity does not open.
 */
export async function staffLogin(
  username: string,
  password: string,
  onProgress: (fraction: number) => void,
  factor?: LoginFactor,
): Promise<StaffSessionState> {
  const keys = await deriveFor(username, password, onProgress)
  const res = await callKeepingRetryAfter(accounts.login, {
    body: {
      username,
      authKey: toBase64url(keys.authKey),
      ...(factor ? { secondFactor: { method: factor.method, code: factor.code } } : {}),
    },
  })
  const opened = res.sealedIdentity
    ? await crypto().account.openAccountIdentity(res.sealedIdentity, keys.identity)
    : undefined
  if (keys.oprf !== undefined) await markAccountOprf(res.user.username)
  let sealedIdentity = res.sealedIdentity
  // A v1 account on an OPRF node moves at this login (SPEC §16): same password, new derivation.
  if (
    keys.oprf === undefined &&
    keys.manifest.oprf !== undefined &&
    res.stage === "full" &&
    sealedIdentity
  ) {
    sealedIdentity = await moveToOprf(res.session, password, keys, sealedIdentity, onProgress)
    await markAccountOprf(res.user.username)
  }
  const state: StaffSessionState = {
    session: res.session,
    stage: res.stage,
    userId: res.user.id,
    username: res.user.username,
    name: res.user.name,
    role: res.user.role,
    ...(opened ? { identity: opened.identity, recipient: opened.recipient } : {}),
    // The second-factor step hands out the sealed identity later: keep the password's keys.
    ...(res.stage === "password-change" || res.stage === "second-factor"
      ? {
          pending: {
            authKey: keys.authKey,
            passwordIdentity: keys.identity,
            ...(res.sealedIdentity ? { sealedIdentity: res.sealedIdentity } : {}),
          },
        }
      : {}),
  }
  // A full login keeps what an offline login needs (public KDF inputs, the sealed identity).
  if (opened && sealedIdentity && res.stage === "full") {
    void rememberAccount(state, sealedIdentity)
  }
  return state
}

/**
 * Re-derives a v1 account's password through the OPRF and reseals its identity (a password
 * change with the same password, as test/relay/_actors.ts `changePassword` does it).
 * @returns the identity as now sealed. @throws as {@link newPasswordKeys}; RelayClientError.
 */
async function moveToOprf(
  session: string,
  password: string,
  v1: LoginKeys,
  sealedIdentity: SealedAccountIdentity,
  onProgress: (fraction: number) => void,
): Promise<SealedAccountIdentity> {
  const fresh = await newPasswordKeys(password, onProgress, v1.manifest)
  const sealed = await crypto().account.resealAccountIdentity(
    sealedIdentity,
    v1.identity,
    fresh.keys.recipient,
    v1.manifest.escrow,
  )
  await relay.call(accounts.changePassword, {
    session,
    body: {
      currentAuthKey: toBase64url(v1.authKey),
      kdf: fresh.kdf,
      authVerifier: fresh.verifier,
      sealedIdentity: sealed,
      publicKey: sealed.recipient,
    },
  })
  return sealed
}

/** The session's stage now (after a password change it may be `second-factor-enrol`). */
async function stageOf(session: string): Promise<StaffSessionState["stage"]> {
  return (await relay.call(accounts.getMe, { session })).stage
}

/**
 * Fresh password keys and the KDF record the relay stores for them (default params), through the
 * OPRF under the newest key of `manifest` (the verified one when absent) if it lists any.
 * @throws OprfRefused `OPRF_KEY_MISMATCH`, `OPRF_BAD_PROOF`; CryptoError; RelayClientError.
 */
export async function newPasswordKeys(
  password: string,
  onProgress: (fraction: number) => void,
  manifest?: OprfTrust,
): Promise<{
  keys: PasswordKeys
  kdf: { salt: string; params: { N: number; r: number; p: number }; oprf?: string }
  verifier: string
}> {
  const { kdf: kdfWorker, account } = crypto()
  const [salt, defaults, verified] = await Promise.all([
    kdfWorker.drawSalt(),
    account.defaults(),
    manifest ?? signedManifest(),
  ])
  // On an OPRF node every new verifier is under its newest key (the relay refuses others).
  const oprf = manifestKeys(verified)[0]
  const keys = await derivePassword(password, salt, defaults.password, verified, oprf, onProgress)
  const verifier = toBase64url(await kdfWorker.authVerifier(keys.authKey))
  return {
    keys,
    kdf: {
      salt: toBase64url(salt),
      params: defaults.password,
      ...(oprf === undefined ? {} : { oprf }),
    },
    verifier,
  }
}

/** The recovery key a first login made: show it, then finish with {@link finishFirstPassword}. */
export interface FirstPasswordDraft {
  readonly recoveryKey: string
  /** The grouped form to show and save. */
  readonly grouped: string
  readonly finish: () => Promise<StaffSessionState>
}

/**
 * First login (test/relay/_actors.ts `firstLogin`): makes the account identity and a recovery key,
 * seals the identity to the new password, the recovery key and the node's escrow key (if any).
 * Nothing is sent until `finish` (after the user confirmed saving the recovery key).
 * @throws CryptoError from the workers; `finish` throws RelayClientError (`WRONG_CREDENTIALS`
 * when the one-time password no longer holds, `SESSION_EXPIRED`).
 */
export async function prepareFirstPassword(
  current: StaffSessionState,
  password: string,
  onProgress: (fraction: number) => void,
): Promise<FirstPasswordDraft> {
  const pending = current.pending
  if (!pending) throw new Error("not in a password change")
  const { account } = crypto()
  const manifest = await signedManifest()
  const created = await account.createAccountIdentity()
  const recoveryKey = await account.drawRecoveryKey()
  const [grouped, recovery, fresh] = await Promise.all([
    account.formatRecoveryKey(recoveryKey),
    account.recipientOf(recoveryKey),
    newPasswordKeys(password, onProgress, manifest),
  ])
  const sealed = await account.sealAccountIdentity(created, {
    password: fresh.keys.recipient,
    recovery,
    ...(manifest.escrow === null ? {} : { escrow: manifest.escrow }),
  })
  // Published so admins can list it in directories: this account's comments verify under it.
  const signer = await crypto().tip.accountSigner(created.identity)
  return {
    recoveryKey,
    grouped,
    finish: async () => {
      await relay.call(accounts.changePassword, {
        session: current.session,
        body: {
          ...(pending.authKey ? { currentAuthKey: toBase64url(pending.authKey) } : {}),
          kdf: fresh.kdf,
          authVerifier: fresh.verifier,
          sealedIdentity: sealed,
          publicKey: created.recipient,
          signer,
          // Proves the new keys with the one-time password's certification key (SPEC §12).
          keyProof: await account.proveAccountKeys(
            current.userId,
            pending.passwordIdentity,
            created,
          ),
        },
      })
      const { pending: _done, ...rest } = current
      const stage = await stageOf(current.session)
      return { ...rest, stage, identity: created.identity, recipient: created.recipient }
    },
  }
}

/**
 * A forced change for an account that already has an identity (after an escrow reset, or a
 * recovery-key login whose `pending.passwordIdentity` is the recovery key;
 * test/relay/_actors.ts `changePassword`): reseals the identity to the new password.
 * @throws CryptoError `WRONG_KEY`/`TAMPERED`; RelayClientError from the relay.
 */
export async function resealPassword(
  current: StaffSessionState,
  password: string,
  onProgress: (fraction: number) => void,
): Promise<StaffSessionState> {
  const pending = current.pending
  if (!pending?.sealedIdentity) throw new Error("this account has no identity yet")
  const manifest = await signedManifest()
  const fresh = await newPasswordKeys(password, onProgress, manifest)
  const { account } = crypto()
  // Only the recovery recipient the account signed and the pinned manifest's escrow.
  const sealed = await account.resealAccountIdentity(
    pending.sealedIdentity,
    pending.passwordIdentity,
    fresh.keys.recipient,
    manifest.escrow,
  )
  // After an escrow reset the password just used is the admin's new one-time password: proving
  // the keys with it re-certifies the account (SPEC §12); the relay keeps it only then.
  const keyProof =
    pending.authKey && current.identity
      ? await account.proveAccountKeys(current.userId, pending.passwordIdentity, {
          identity: current.identity,
          recipient: sealed.recipient,
        })
      : undefined
  await relay.call(accounts.changePassword, {
    session: current.session,
    body: {
      // None after a recovery-key login: the relay lets that session change without one.
      ...(pending.authKey ? { currentAuthKey: toBase64url(pending.authKey) } : {}),
      kdf: fresh.kdf,
      authVerifier: fresh.verifier,
      sealedIdentity: sealed,
      publicKey: sealed.recipient,
      ...(keyProof ? { keyProof } : {}),
    },
  })
  const { pending: _done, ...rest } = current
  return { ...rest, stage: await stageOf(current.session), recipient: sealed.recipient }
}

/** Ends the session on the relay; a failure (already ended, offline) is ignored. */
export async function staffLogout(session: string): Promise<void> {
  await relay.call(accounts.logout, { session }).catch(() => undefined)
}
