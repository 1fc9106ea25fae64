import { randomBytes } from "node:crypto"
import {
  accountSigner,
  authVerifier,
  certifyFirstAdmin,
  createAccountIdentity,
  createEscrow,
  createSigningKey,
  DEFAULT_RECEIPT_PATTERN,
  drawRecoveryKey,
  drawSalt,
  type EscrowKeyPair,
  type KdfBounds,
  type KdfParams,
  type NodeManifest,
  proveAccountKeys,
  recipientOf,
  type SignedNodeManifest,
  type SigningKeyPair,
  sealAccountIdentity,
  signNodeManifest,
  toBase64url,
  wrapEscrowKey,
  wrapSigningKey,
} from "@sotto/crypto-core"
import { accounts, type BodyOf, oprf } from "@sotto/protocol"
import type { StaffActor } from "./_actors.js"
import type { TestRelay } from "./_harness.js"
import { relayEvaluate } from "./_oprf.js"
import {
  newPassword,
  passwordKeys,
  rememberSecret,
  TEST_KDF,
  type TestOprf,
  wireWrap,
} from "./_secrets.js"

// Setup as the first admin's browser does it. Re-exported by _actors.ts; import from there.

/** The first admin, with the node keys made at setup. */
export interface NodeAdmin extends StaffActor {
  /** The escrow key pair, when the node runs with escrow. */
  readonly escrow?: EscrowKeyPair
  readonly signing: SigningKeyPair
  readonly receipt: { readonly pattern: string; readonly salt: string; readonly params: KdfParams }
  /** Version 1 of the node manifest, as setup signed it. */
  readonly manifest: SignedNodeManifest
}

/** Options for {@link setupNode} and {@link prepareSetup}. */
export interface SetupOptions {
  /** Run with an escrow key (default true). */
  readonly escrow?: boolean
  readonly username?: string
  readonly password?: string
  readonly nodeName?: string
  /** The admin's password scrypt params (default TEST_KDF). */
  readonly passwordKdf?: KdfParams
  /** The manifest's password KDF floor and ceiling (default TEST_KDF to 2^18). */
  readonly kdfBounds?: readonly [KdfParams, KdfParams]
  /**
   * The OPRF public keys the manifest lists; none by default (a node made before the OPRF).
   * `setupNode` with `oprf: true` lists the relay's.
   */
  readonly oprfKeys?: string[]
  readonly oprf?: boolean
  /** How the first admin's password reaches the OPRF (with `oprfKeys`). */
  readonly oprfEvaluate?: TestOprf["evaluate"]
}

/** The manifest's password bounds in tests: the cheap test params up to N = 2^18. */
export const TEST_KDF_BOUNDS: KdfBounds = {
  floor: TEST_KDF,
  ceiling: { N: 2 ** 18, r: 8, p: 1 },
}

/** A setup request made in the first admin's browser, and the secrets behind it. */
export interface PreparedSetup {
  readonly body: BodyOf<typeof accounts.setup>
  readonly admin: Omit<NodeAdmin, "userId" | "session">
}

/**
 * Makes everything setup sends, as the first admin's browser does: account identity, recovery
 * key, escrow key (unless `escrow: false`), node signing key and receipt salt. Sends nothing.
 */
export async function prepareSetup(options: SetupOptions = {}): Promise<PreparedSetup> {
  const username = options.username ?? "admin"
  const password = options.password ?? newPassword()
  const account = await createAccountIdentity()
  const recoveryKey = rememberSecret(drawRecoveryKey())
  rememberSecret(account.identity)
  const oprf =
    options.oprfKeys?.[0] !== undefined && options.oprfEvaluate
      ? { key: options.oprfKeys[0], evaluate: options.oprfEvaluate }
      : undefined
  const { keys, kdf } = await passwordKeys(password, undefined, options.passwordKdf, oprf)
  const escrow = options.escrow === false ? undefined : await createEscrow()
  if (escrow) rememberSecret(escrow.identity)
  const signing = createSigningKey()
  rememberSecret(toBase64url(signing.secretKey.subarray(0, 32)))
  const sealedIdentity = await sealAccountIdentity(account, {
    password: keys.recipient,
    recovery: await recipientOf(recoveryKey),
    ...(escrow ? { escrow: escrow.recipient } : {}),
  })
  const receipt = {
    pattern: DEFAULT_RECEIPT_PATTERN,
    salt: toBase64url(drawSalt()),
    params: TEST_KDF,
  }
  const userId = toBase64url(randomBytes(16))
  const body: BodyOf<typeof accounts.setup> = {
    node: { name: options.nodeName ?? "Test node" },
    admin: {
      username,
      name: "First Admin",
      kdf,
      authVerifier: toBase64url(authVerifier(keys.authKey)),
      sealedIdentity,
      publicKey: account.recipient,
      signer: accountSigner(account.identity),
      // Certified from the start, as the setup wizard does it (SPEC §12).
      id: userId,
      certification: certifyFirstAdmin(username, keys.identity, signing, Date.now()),
      keyProof: proveAccountKeys(userId, keys.identity, account),
    },
    escrow: escrow
      ? {
          enabled: true,
          recipient: escrow.recipient,
          adminWrap: wireWrap(await wrapEscrowKey(escrow.identity, account.recipient)),
        }
      : { enabled: false },
    signing: {
      publicKey: toBase64url(signing.publicKey),
      adminWrap: wireWrap(await wrapSigningKey(signing, account.recipient)),
    },
    receipt: { ...receipt, params: { ...receipt.params } },
    manifest: signNodeManifest(
      {
        version: 1,
        issuedAt: new Date().toISOString(),
        name: options.nodeName ?? "Test node",
        escrow: escrow ? escrow.recipient : null,
        receipt,
        passwordKdf: options.kdfBounds
          ? { floor: options.kdfBounds[0], ceiling: options.kdfBounds[1] }
          : TEST_KDF_BOUNDS,
        pow: { minDifficulty: 4, maxDifficulty: 28 },
        ...(options.oprfKeys
          ? { oprf: { suite: "ristretto255-SHA512" as const, keys: options.oprfKeys } }
          : {}),
      },
      signing,
    ),
  }
  return {
    body,
    admin: {
      username,
      role: "admin",
      password,
      identity: account.identity,
      recipient: account.recipient,
      recoveryKey,
      ...(escrow ? { escrow } : {}),
      signing,
      receipt,
      manifest: body.manifest,
    },
  }
}

/** Runs setup (see {@link prepareSetup}); returns the first admin with a full session. */
export async function setupNode(t: TestRelay, options: SetupOptions = {}): Promise<NodeAdmin> {
  // As the setup wizard does: version 1 of the manifest lists the relay's OPRF keys.
  const oprfKeys =
    options.oprfKeys ??
    (options.oprf ? (await t.client.call(oprf.getOprfKeys, {})).keys : undefined)
  const prepared = await prepareSetup({
    oprfEvaluate: (blinded) => relayEvaluate(t, blinded),
    ...options,
    ...(oprfKeys ? { oprfKeys } : {}),
  })
  const { session, userId } = await t.client.call(accounts.setup, { body: prepared.body })
  return { ...prepared.admin, userId, session }
}

/** What an admin may change in the node manifest when re-signing it (SPEC §14). */
export type ManifestChanges = Partial<
  Pick<NodeManifest, "name" | "pow"> & { readonly pattern: string; readonly version: number }
>

/**
 * The node's current manifest (GET /node) re-signed by the node key as the console does after a
 * covered setting changed: version + 1 (or `changes.version`), a fresh `issuedAt`.
 */
export async function resignManifest(
  t: TestRelay,
  admin: Pick<NodeAdmin, "signing">,
  changes: ManifestChanges = {},
): Promise<SignedNodeManifest> {
  const { body } = (await t.client.call(accounts.getNode)).manifest
  const { v: _v, protocol: _p, directorySigner: _d, ...fields } = body
  return signNodeManifest(
    {
      ...fields,
      version: changes.version ?? body.version + 1,
      issuedAt: new Date().toISOString(),
      name: changes.name ?? body.name,
      receipt: { ...body.receipt, pattern: changes.pattern ?? body.receipt.pattern },
      pow: changes.pow ?? body.pow,
    },
    admin.signing,
  )
}
