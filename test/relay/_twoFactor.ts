import { execFileSync } from "node:child_process"
import { toBase64url } from "@sotto/crypto-core"
import { accounts, twoFactor } from "@sotto/protocol"
import { expect } from "vitest"
import { type LoginResult, login, rememberSecret } from "./_actors.js"
import type { TestRelay } from "./_harness.js"
import type { TestMailServer } from "./_mailServer.js"

// Second factors as a browser and an authenticator app do them, for the twoFactor*.test.ts files.
// TOTP codes come from the Debian `oathtool` CLI, an implementation independent of the relay's.

/** The TOTP code for `secret` (base32) at `ms`, computed by `oathtool --totp -b`. */
export function oathtool(secret: string, ms: number): string {
  const now = `@${Math.floor(ms / 1000)}`
  return execFileSync("/usr/bin/oathtool", ["--totp", "-b", secret, "--now", now], {
    encoding: "utf8",
  }).trim()
}

/** Enrols and confirms TOTP with the CLI's code; returns the secret and the backup codes. */
export async function enrolTotp(
  t: TestRelay,
  session: string,
): Promise<{ secret: string; backupCodes: string[]; stage: string }> {
  const { secret } = await t.client.call(twoFactor.enrolTotp, { session })
  const code = oathtool(secret, t.relay.ctx.clock.now())
  const done = await t.client.call(twoFactor.confirmTotp, { session, body: { code } })
  for (const c of done.backupCodes) rememberSecret(c)
  return { secret, backupCodes: done.backupCodes, stage: done.stage }
}

/** Logs in with the password only: the result of a login that must stop at `second-factor`. */
export async function passwordOnly(
  t: TestRelay,
  username: string,
  password: string,
): Promise<LoginResult> {
  const first = await login(t, username, password)
  expect(first.stage).toBe("second-factor")
  return first
}

/**
 * The code in the newest mail to `to` (8 digits), failing if none arrived. Not a remembered
 * secret: it sat in the mail queue (the timers sublevel) until sent, by design.
 */
export function mailedCode(smtp: TestMailServer, to: string): string {
  const mail = smtp.received.filter((m) => m.to.includes(to)).at(-1)
  const code = /\b([0-9]{8})\b/.exec(mail?.text ?? "")?.[1]
  if (!code) throw new Error(`no code mailed to ${to}`)
  return code
}

/** The current auth key of a login, as re-authentication sends it. */
export function currentAuthKey(result: LoginResult): string {
  return toBase64url(result.keys.authKey)
}

/** The caller's stage, from GET /me. */
export async function stageOf(t: TestRelay, session: string): Promise<string> {
  return (await t.client.call(accounts.getMe, { session })).stage
}
