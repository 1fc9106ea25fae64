import { accounts } from "@sotto/protocol"
import type { StaffSessionState } from "../store/createStaffSession.js"
import { relay } from "./api.js"
import { crypto } from "./crypto.js"
import { describeError, errorCode } from "./errors.js"
import { messageFor } from "./messages.js"
import { callKeepingRetryAfter, LoginRefused } from "./staffAuth.js"
import { retryText } from "./staffFactors.js"

// The forgotten-password login with the recovery key (crypto-core SPEC §3, relay/README.md
// "Recovery-key login"): the key is read and used in the account worker only. The relay seals a
// nonce to the account's public recovery recipient; sending it back proves the key without
// sending it. The session that opens must set a new password (after the second factor, if any):
// the identity, opened here with the recovery key, is then resealed by lib/staffAuth.ts
// `resealPassword` on /staff/password with no current password to re-check.

/**
 * Logs in with `typedKey` (the grouped form or `AGE-SECRET-KEY-1…`, any case and spacing).
 * @returns the session state: stage `password-change` with the identity opened and what the
 *   reseal needs, or `second-factor` (the factor's verify step opens the identity with the same
 *   key kept in `pending`).
 * @throws CryptoError `BAD_RECOVERY_KEY` (a typo, with its position, before anything is sent);
 *   `BAD_CHALLENGE` when the relay's challenge is not one (nothing is sent back);
 *   `WRONG_KEY` when the key does not open this name's challenge (a wrong key or a wrong name:
 *   the relay does not say which); LoginRefused `WRONG_CREDENTIALS` (the challenge expired),
 *   `LOCKED` (with `retryAfter`).
 */
export async function recoverWithKey(
  username: string,
  typedKey: string,
): Promise<StaffSessionState> {
  const { account } = crypto()
  const key = await account.parseRecoveryKey(typedKey)
  const challenge = await relay.call(accounts.recoveryChallenge, { body: { username } })
  const nonce = await account.answerRecoveryChallenge(challenge.sealed, key)
  const res = await callKeepingRetryAfter(accounts.recoveryVerify, {
    body: { challengeId: challenge.challengeId, nonce },
  })
  const opened = res.sealedIdentity
    ? await account.openAccountIdentity(res.sealedIdentity, key)
    : undefined
  return {
    session: res.session,
    stage: res.stage,
    userId: res.user.id,
    username: res.user.username,
    name: res.user.name,
    role: res.user.role,
    ...(opened ? { identity: opened.identity, recipient: opened.recipient } : {}),
    // No auth key: the relay lets a recovered session change the password without one. The
    // recovery key stands in for the password's identity (it opens and reseals the identity).
    pending: {
      passwordIdentity: key,
      ...(res.sealedIdentity ? { sealedIdentity: res.sealedIdentity } : {}),
    },
  }
}

/**
 * What to tell the user about a refused recovery: the typo and where (crypto-core's words), a key
 * that does not open this account, an expired challenge, or the wait the relay asked for.
 */
export function describeRecoveryError(error: unknown): string {
  const code = errorCode(error)
  if (code === "BAD_RECOVERY_KEY" && error instanceof Error) {
    const text = messageFor("recover.badKey") ?? "{detail}"
    const detail = /[.?!]$/.test(error.message) ? error.message : `${error.message}.`
    return text.replace("{detail}", detail)
  }
  const own =
    code === "WRONG_KEY"
      ? messageFor("recover.wrongKey")
      : code === "BAD_CHALLENGE"
        ? messageFor("recover.badChallenge")
        : code === "WRONG_CREDENTIALS"
          ? messageFor("recover.expired")
          : undefined
  const retry =
    error instanceof LoginRefused && error.retryAfter ? ` ${retryText(error.retryAfter)}` : ""
  return `${own ?? describeError(error)}${retry}`
}
