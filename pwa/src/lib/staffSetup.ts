import type { WrappedKey } from "@sotto/crypto-core"
import { accounts, type BodyOf, oprf } from "@sotto/protocol"
import type { StaffSessionState } from "../store/createStaffSession.js"
import { relay } from "./api.js"
import { crypto } from "./crypto.js"
import { newPasswordKeys } from "./staffAuth.js"
import { toBase64url } from "./wbBytes.js"

// First-run setup, made in the first admin's browser exactly as test/relay/_nodeSetup.ts
// `prepareSetup` does it with crypto-core, but in the workers: account identity, recovery key,
// escrow key (optional), node signing key, receipt salt, password keys with the default params.

/** Proof-of-work difficulty bounds a new node signs (the relay's setting range). */
export const POW_BOUNDS = { minDifficulty: 4, maxDifficulty: 28 } as const

/** What the wizard collected. */
export interface SetupInput {
  readonly nodeName: string
  readonly username: string
  readonly name: string
  readonly password: string
  readonly escrow: boolean
}

/** Keys made and sealed, waiting for the admin to confirm the recovery key was saved. */
export interface PreparedSetup {
  /** The recovery key in its grouped form, to show and save. */
  readonly grouped: string
  /** Sends the setup; the admin is then logged in. @throws RelayClientError (`ALREADY_SET_UP`…). */
  readonly send: () => Promise<StaffSessionState>
}

/** A crypto-core wrap in the wire's mutable shape. */
export function wireWrap(wrap: WrappedKey): { v: 1; to: string[]; age: string } {
  return { v: wrap.v, to: [...wrap.to], age: wrap.age }
}

/** A typed account name as the relay stores it (it lower-cases and trims too). */
export function normaliseUsername(typed: string): string {
  return typed.normalize("NFC").trim().toLowerCase()
}

/** Whether a (normalised) account name fits the relay's pattern. */
export function isValidUsername(username: string): boolean {
  return /^[a-z0-9][a-z0-9._-]{1,63}$/.test(username)
}

/**
 * Makes every key of the node and the first admin; progress is the password derivation's.
 * Nothing leaves the browser until `send`.
 * @throws CryptoError from the workers.
 */
export async function prepareSetup(
  input: SetupInput,
  onProgress: (fraction: number) => void,
): Promise<PreparedSetup> {
  const { account, kdf } = crypto()
  // The relay's OPRF keys go into manifest version 1 (the relay refuses any other keys there);
  // the first admin's password is derived through them at once (SPEC §16).
  const [defaults, relayOprf] = await Promise.all([
    account.defaults(),
    relay.call(oprf.getOprfKeys),
  ])
  const trust = { oprf: relayOprf, pow: { ...POW_BOUNDS } }
  const created = await account.createAccountIdentity()
  const recoveryKey = await account.drawRecoveryKey()
  const [grouped, recovery, password, escrow, signing, receiptSalt] = await Promise.all([
    account.formatRecoveryKey(recoveryKey),
    account.recipientOf(recoveryKey),
    newPasswordKeys(input.password, onProgress, trust),
    input.escrow ? account.createEscrow() : Promise.resolve(undefined),
    account.createSigningKey(),
    kdf.drawSalt(),
  ])
  const sealedIdentity = await account.sealAccountIdentity(created, {
    password: password.keys.recipient,
    recovery,
    ...(escrow ? { escrow: escrow.recipient } : {}),
  })
  const [escrowWrap, signingWrap] = await Promise.all([
    escrow ? account.wrapEscrowKey(escrow.identity, created.recipient) : undefined,
    account.wrapSigningKey(signing, created.recipient),
  ])
  const username = normaliseUsername(input.username)
  // The first admin is certified from the start (SPEC §12): the node key vouches for the
  // certification key of the admin's password identity, which proves the admin's keys at once.
  const userId = toBase64url(globalThis.crypto.getRandomValues(new Uint8Array(16)))
  const chain = await account.certifyFirstAdmin(
    { userId, username },
    password.keys.identity,
    created,
    signing,
    Date.now(),
  )
  const body: BodyOf<typeof accounts.setup> = {
    node: { name: input.nodeName.trim() },
    admin: {
      username,
      name: input.name.trim(),
      kdf: password.kdf,
      authVerifier: password.verifier,
      sealedIdentity: { ...sealedIdentity, to: { ...sealedIdentity.to } },
      publicKey: created.recipient,
      signer: await crypto().tip.accountSigner(created.identity),
      id: userId,
      certification: chain.certification,
      keyProof: chain.keyProof,
    },
    escrow:
      escrow && escrowWrap
        ? { enabled: true, recipient: escrow.recipient, adminWrap: wireWrap(escrowWrap) }
        : { enabled: false },
    signing: { publicKey: toBase64url(signing.publicKey), adminWrap: wireWrap(signingWrap) },
    receipt: {
      pattern: defaults.receiptPattern,
      salt: toBase64url(receiptSalt),
      params: defaults.receipt,
    },
    // Version 1 of the node's trust anchor, signed here with the key that never leaves wrapped.
    manifest: await account.signNodeManifest(
      {
        version: 1,
        issuedAt: new Date().toISOString(),
        name: input.nodeName.trim(),
        escrow: escrow ? escrow.recipient : null,
        receipt: {
          pattern: defaults.receiptPattern,
          salt: toBase64url(receiptSalt),
          params: defaults.receipt,
        },
        passwordKdf: defaults.passwordBounds,
        pow: { ...POW_BOUNDS },
        oprf: { suite: relayOprf.suite, keys: [...relayOprf.keys] },
      },
      signing,
    ),
  }
  return {
    grouped,
    send: async () => {
      const res = await relay.call(accounts.setup, { body })
      return {
        session: res.session,
        stage: "full",
        userId: res.userId,
        username,
        name: input.name.trim(),
        role: "admin",
        identity: created.identity,
        recipient: created.recipient,
      }
    },
  }
}
