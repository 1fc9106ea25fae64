import type { NodeManifest } from "@sotto/crypto-core"
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
import { rememberAccount } from "./staffCache.js"
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

/**
 * Stretches `password` with the account's stored params in the KDF worker; progress is a fraction
 * in [0, 1]. Login and re-authentication (lib/staffFactors.ts) derive the auth key this one way.
 * @throws RelayClientError from the params lookup; CryptoError WEAK_PARAMS from the worker.
 */
export async function deriveFor(
  username: string,
  password: string,
  onProgress: (fraction: number) => void,
): Promise<PasswordKeys> {
  const [manifest, kdf] = await Promise.all([
    signedManifest(),
    relay.call(accounts.getAuthParams, { query: { username } }),
  ])
  // Refused before deriving: the relay must not weaken (or blow up) the password's scrypt.
  const params = await crypto().account.checkKdfWithin(kdf.params, manifest.passwordKdf)
  return crypto().kdf.derivePasswordKeys(
    password,
    fromBase64url(kdf.salt),
    params,
    proxy(onProgress),
  )
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
  if (opened && res.sealedIdentity && res.stage === "full") {
    void rememberAccount(state, res.sealedIdentity)
  }
  return state
}

/** The session's stage now (after a password change it may be `second-factor-enrol`). */
async function stageOf(session: string): Promise<StaffSessionState["stage"]> {
  return (await relay.call(accounts.getMe, { session })).stage
}

/** Fresh password keys and the KDF record the relay stores for them (default params). */
export async function newPasswordKeys(
  password: string,
  onProgress: (fraction: number) => void,
): Promise<{
  keys: PasswordKeys
  kdf: { salt: string; params: { N: number; r: number; p: number } }
  verifier: string
}> {
  const { kdf: kdfWorker, account } = crypto()
  const [salt, defaults] = await Promise.all([kdfWorker.drawSalt(), account.defaults()])
  const keys = await kdfWorker.derivePasswordKeys(
    password,
    salt,
    defaults.password,
    proxy(onProgress),
  )
  const verifier = toBase64url(await kdfWorker.authVerifier(keys.authKey))
  return { keys, kdf: { salt: toBase64url(salt), params: defaults.password }, verifier }
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
    newPasswordKeys(password, onProgress),
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
  const [fresh, manifest] = await Promise.all([
    newPasswordKeys(password, onProgress),
    signedManifest(),
  ])
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
