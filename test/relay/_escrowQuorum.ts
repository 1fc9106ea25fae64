import type { AgeIdentity, EscrowHolder } from "@sotto/crypto-core"
import { accounts, escrowQuorum, type RelayClient } from "@sotto/protocol"
import { escrowQuorumSteps, type PolicyTrust } from "@sotto/workers/escrowQuorumSteps"
import {
  certifiedUsers,
  createUser,
  firstLogin,
  grantAdminWraps,
  type NodeAdmin,
  reauthKey,
  rememberSecret,
  type StaffActor,
  setupNode,
  trustedManifest,
} from "./_actors.js"
import type { TestRelay } from "./_harness.js"

// k-of-n escrow as an admin's browser runs it (crypto-core SPEC §4.1): every key step is the
// account worker's (`escrowQuorumSteps`), every trust decision comes from the pinned manifest and
// the certified user list, and `client` may be an evil relay's.

/** A node with three admins holding the 1-of-n wraps: the one who set it up and two more. */
export async function threeAdmins(
  t: TestRelay,
): Promise<{ first: NodeAdmin; admins: [StaffActor, StaffActor, StaffActor] }> {
  const first = await setupNode(t)
  const more: StaffActor[] = []
  for (const name of ["bianca", "chidi"]) {
    const made = await createUser(t, first, name, { role: "admin" })
    const actor = await firstLogin(t, name, made.oneTimePassword)
    await grantAdminWraps(t, first, { userId: actor.userId, recipient: actor.recipient })
    more.push(actor)
  }
  return { first, admins: [first, more[0] as StaffActor, more[1] as StaffActor] }
}

/** What this test browser trusts for escrow policies: the pinned manifest's keys. */
export async function policyTrust(t: TestRelay, minVersion?: number): Promise<PolicyTrust> {
  const manifest = await trustedManifest(t)
  if (manifest.escrow === null) throw new Error("this node runs without escrow")
  return {
    signer: manifest.directorySigner,
    escrow: manifest.escrow,
    ...(minVersion === undefined ? {} : { minVersion }),
  }
}

/**
 * Splits the escrow key among `holders` with threshold `k`, taking each holder's keys from the
 * certified list only, and stores policy and shares (PUT /escrow/policy).
 */
export async function splitEscrow(
  t: TestRelay,
  admin: StaffActor,
  k: number,
  holders: readonly StaffActor[],
  client: RelayClient = t.client,
): Promise<void> {
  const certified = await certifiedUsers(client, admin, [(await policyTrust(t)).signer])
  const listed: EscrowHolder[] = holders.map((h) => {
    const keys = certified.get(h.userId)
    if (!keys?.certified) throw new Error(`not certified: ${h.username}`)
    return { userId: h.userId, recipient: keys.publicKey, signer: keys.signer }
  })
  const me = await client.call(accounts.getMe, { session: admin.session })
  if (!me.escrowWrap || !me.signingKeyWrap) throw new Error("this admin holds no node key wraps")
  const current = await client.call(escrowQuorum.getEscrowPolicy, { session: admin.session })
  const { policy, shares } = await escrowQuorumSteps.splitEscrowAmongHolders({
    identity: admin.identity,
    escrowWrap: me.escrowWrap,
    signingKeyWrap: me.signingKeyWrap,
    trust: await policyTrust(t),
    threshold: k,
    holders: listed,
    version: (current.policy?.body.version ?? 0) + 1,
    issuedAt: Date.now(),
  })
  await client.call(escrowQuorum.putEscrowPolicy, {
    session: admin.session,
    body: {
      currentAuthKey: await reauthKey(t, admin),
      policy: { ...policy, body: { ...policy.body, holders: [...policy.body.holders] } },
      shares: shares.map((s) => ({ userId: s.userId, sealed: wire(s.sealed) })),
    },
  })
}

/** An open request as its initiator's browser keeps it: the id and the in-memory ephemeral key. */
export interface AskedReset {
  readonly id: string
  readonly ephemeral: AgeIdentity
}

/** The initiator asks the holders to approve resetting `target` (POST /escrow/requests). */
export async function askReset(
  t: TestRelay,
  initiator: StaffActor,
  target: { readonly userId: string; readonly username: string },
  options: { reason?: string; lifetimeMs?: number; client?: RelayClient } = {},
): Promise<AskedReset> {
  const client = options.client ?? t.client
  const { policy } = await client.call(escrowQuorum.getEscrowPolicy, { session: initiator.session })
  if (!policy) throw new Error("no escrow policy")
  const made = await escrowQuorumSteps.createEscrowRequest({
    identity: initiator.identity,
    userId: initiator.userId,
    policy,
    trust: await policyTrust(t),
    purpose: "reset",
    target,
    reason: options.reason ?? "lost both password and recovery key",
    now: t.relay.ctx.clock.now(),
    lifetimeMs: options.lifetimeMs ?? 24 * 3600_000,
  })
  rememberSecret(made.ephemeral)
  const { id } = await client.call(escrowQuorum.createEscrowRequest, {
    session: initiator.session,
    body: { currentAuthKey: await reauthKey(t, initiator), request: made.request },
  })
  return { id, ephemeral: made.ephemeral }
}

/**
 * A holder approves request `id` in their own browser: the policy and request are checked against
 * the pin before the share is opened and re-sealed to the request's key.
 * @returns the relay's count, or throws what the worker or relay refused.
 */
export async function approveReset(
  t: TestRelay,
  holder: StaffActor,
  id: string,
  client: RelayClient = t.client,
  minVersion?: number,
) {
  const { policy, share } = await client.call(escrowQuorum.getEscrowPolicy, {
    session: holder.session,
  })
  if (!policy || !share) throw new Error("this admin holds no share")
  const { requests } = await client.call(escrowQuorum.listEscrowRequests, {
    session: holder.session,
  })
  const found = requests.find((r) => r.request.body.id === id)
  if (!found) throw new Error(`no request ${id}`)
  const { approval } = await escrowQuorumSteps.approveEscrowRequest({
    identity: holder.identity,
    userId: holder.userId,
    policy,
    trust: await policyTrust(t, minVersion),
    request: found.request,
    share,
    now: t.relay.ctx.clock.now(),
  })
  return client.call(escrowQuorum.approveEscrowRequest, {
    session: holder.session,
    params: { requestId: id },
    body: { currentAuthKey: await reauthKey(t, holder), approval: wire(approval) },
  })
}

/**
 * The initiator rebuilds the escrow key from the approvals, resets the account (re-authenticated
 * read of the sealed identity, then POST …/complete) and returns the one-time password.
 */
export async function completeReset(
  t: TestRelay,
  initiator: StaffActor,
  asked: AskedReset,
  client: RelayClient = t.client,
): Promise<string> {
  const { policy } = await client.call(escrowQuorum.getEscrowPolicy, { session: initiator.session })
  const { requests } = await client.call(escrowQuorum.listEscrowRequests, {
    session: initiator.session,
  })
  const found = requests.find((r) => r.request.body.id === asked.id)
  if (!policy || !found) throw new Error("no policy or request")
  const userId = found.request.body.userId
  const target = await client.call(accounts.getUserSealedIdentity, {
    session: initiator.session,
    params: { userId },
    body: { currentAuthKey: await reauthKey(t, initiator) },
  })
  const reset = await escrowQuorumSteps.resetWithEscrowShares({
    policy,
    trust: await policyTrust(t),
    request: found.request,
    ephemeral: asked.ephemeral,
    approvals: found.approvals ?? [],
    sealedIdentity: target.sealedIdentity,
    params: target.params,
    now: t.relay.ctx.clock.now(),
  })
  rememberSecret(reset.oneTimePassword)
  await client.call(escrowQuorum.completeEscrowRequest, {
    session: initiator.session,
    params: { requestId: asked.id },
    body: {
      kdf: { salt: toB64u(reset.salt), params: { ...reset.params } },
      authVerifier: toB64u(reset.authVerifier),
      sealedIdentity: reset.sealed,
      currentAuthKey: await reauthKey(t, initiator),
    },
  })
  return reset.oneTimePassword
}

function wire(w: { v: 1; to: readonly string[]; age: string }) {
  return { v: w.v, to: [...w.to], age: w.age }
}

function toB64u(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64url")
}
