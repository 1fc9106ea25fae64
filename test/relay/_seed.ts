import { randomBytes } from "node:crypto"
import {
  type AgeIdentity,
  type AgeRecipient,
  createAccountIdentity,
  createSigningKey,
  createTipIdentity,
  DEFAULT_RECEIPT_PATTERN,
  type DerivedKeys,
  deriveReceiptKeys,
  directoryExpiry,
  drawReceipt,
  type KdfParams,
  MIN_KDF_PARAMS,
  powBinding,
  type SignedKeyDirectory,
  type SignedNodeManifest,
  type SigningKeyPair,
  sealTipPart,
  signDirectory,
  signNodeManifest,
  solvePow,
  type TipIdentity,
  toBase64url,
  authVerifier as verifierOf,
  verifyNodeManifest,
  wrapTipKey,
} from "@sotto/crypto-core"
import { accounts, type BodyOf, contexts, RelayClientError, type Role, wb } from "@sotto/protocol"
import type { NodeSettings, UserRecord } from "../../relay/src/services/records.js"
import { DEFAULT_IDLE_TIMEOUTS } from "../../relay/src/services/session.js"
import type { TestRelay } from "./_harness.js"

// Seeds the node and staff straight into the store (the account routes are built elsewhere), and
// plays the browser with crypto-core: signed directories, proof of work, sealed tips and receipts.

/** The node's signing key and receipt salt, as the first admin's browser made them. */
export interface SeededNode {
  readonly signing: SigningKeyPair
  readonly receiptSalt: Uint8Array
}

/** A staff member with a full session and (unless made without) an account identity. */
export interface Staff {
  readonly id: string
  readonly name: string
  readonly token: string
  readonly identity: AgeIdentity
  readonly recipient: AgeRecipient
}

/** A submitted tip, with what only the whistleblower's browser knows. */
export interface SubmittedTip {
  readonly tipId: string
  readonly session: string
  readonly expiresAt: number
  readonly tip: TipIdentity
  readonly receipt: string
  readonly keys: DerivedKeys
  readonly answers: { readonly what: string }
}

/** Writes the node settings with a real signing key; `powDifficulty` small keeps tests fast. */
export async function seedNode(t: TestRelay, powDifficulty = 6): Promise<SeededNode> {
  const signing = createSigningKey()
  const receiptSalt = new Uint8Array(randomBytes(16))
  const node: NodeSettings = {
    name: "Test node",
    createdAt: t.relay.ctx.clock.now(),
    escrow: { enabled: false },
    signingPublicKey: toBase64url(signing.publicKey),
    receipt: {
      pattern: DEFAULT_RECEIPT_PATTERN,
      salt: toBase64url(receiptSalt),
      params: MIN_KDF_PARAMS,
    },
    idleTimeouts: DEFAULT_IDLE_TIMEOUTS,
    powDifficulty,
    expiryDays: 90,
    twoFactorRequired: { admin: false, recipient: false, custodian: false },
    manifest: seedManifest(signing, {
      pattern: DEFAULT_RECEIPT_PATTERN,
      salt: toBase64url(receiptSalt),
      params: MIN_KDF_PARAMS,
    }),
  }
  await t.relay.ctx.store.put("settings", "node", node)
  return { signing, receiptSalt }
}

/** Version 1 of a node manifest for seeded settings (no escrow, test KDF bounds). */
export function seedManifest(
  signing: SigningKeyPair,
  receipt: { pattern: string; salt: string; params: KdfParams } = {
    pattern: DEFAULT_RECEIPT_PATTERN,
    salt: toBase64url(new Uint8Array(16)),
    params: MIN_KDF_PARAMS,
  },
): SignedNodeManifest {
  return signNodeManifest(
    {
      version: 1,
      issuedAt: new Date().toISOString(),
      name: "Test node",
      escrow: null,
      receipt,
      passwordKdf: { floor: MIN_KDF_PARAMS, ceiling: { N: 2 ** 18, r: 8, p: 1 } },
      pow: { minDifficulty: 4, maxDifficulty: 28 },
    },
    signing,
  )
}

/** Writes a staff user with a real account identity (or none) and opens a full session. */
export async function seedStaff(
  t: TestRelay,
  role: Role = "recipient",
  options: { withKey?: boolean; disabled?: boolean } = {},
): Promise<Staff> {
  const account = await createAccountIdentity()
  const id = toBase64url(randomBytes(16))
  const user: UserRecord = {
    id,
    username: `u-${id
      .slice(0, 10)
      .toLowerCase()
      .replace(/[^a-z0-9]/g, "x")}`,
    name: `Person ${id.slice(0, 4)}`,
    role,
    disabled: options.disabled ?? false,
    createdAt: t.relay.ctx.clock.now(),
    kdf: { salt: toBase64url(randomBytes(16)), params: MIN_KDF_PARAMS },
    authVerifier: toBase64url(randomBytes(32)),
    ...(options.withKey === false ? {} : { publicKey: account.recipient }),
    mustChangePassword: false,
  }
  await t.relay.ctx.store
    .batch()
    .put("users", `u/${id}`, user)
    .put("users", `n/${user.username}`, id)
    .write()
  const { token } = await t.relay.ctx.sessions.create({
    kind: "staff",
    userId: id,
    role,
    stage: "full",
  })
  return { id, name: user.name, token, identity: account.identity, recipient: account.recipient }
}

/** `N` staff members, as a tuple so that tests can name each one. */
export type StaffOf<N extends number, A extends Staff[] = []> = A["length"] extends N
  ? A
  : StaffOf<N, [...A, Staff]>

/** Seeds the node (see {@link seedNode}), an admin and `count` recipients, each with a session. */
export async function seedTeam<N extends number>(
  t: TestRelay,
  count: N,
  powDifficulty?: number,
): Promise<{ node: SeededNode; admin: Staff; staff: StaffOf<N> }> {
  const node = await seedNode(t, powDifficulty)
  const admin = await seedStaff(t, "admin")
  const staff = await Promise.all(Array.from({ length: count }, () => seedStaff(t)))
  return { node, admin, staff: staff as StaffOf<N> }
}

/** {@link seedTeam}, and a context (made by the admin) whose recipients are the first `inContext`. */
export async function seedTeamContext<N extends number>(
  t: TestRelay,
  count: N,
  inContext: number,
  powDifficulty?: number,
): Promise<{ node: SeededNode; admin: Staff; staff: StaffOf<N>; contextId: string }> {
  const team = await seedTeam(t, count, powDifficulty)
  const contextId = await createContext(
    t,
    team.node,
    team.admin,
    (team.staff as Staff[]).slice(0, inContext),
  )
  return { ...team, contextId }
}

/** Signs a directory of `people` for `contextId` with `signing`, as an admin's browser does. */
export function signFor(
  signing: SigningKeyPair,
  contextId: string,
  people: ReadonlyArray<{ id: string; name: string; recipient: string }>,
  issuedAt = new Date(Date.UTC(2026, 0, 1)).toISOString(),
  version = 1,
): SignedKeyDirectory {
  const recipients = people.map(({ id, name, recipient }) => ({ id, name, recipient }))
  const expiresAt = directoryExpiry(new Date())
  return signDirectory(
    { v: 2, context: contextId, version, issuedAt, expiresAt, recipients },
    signing,
  )
}

/** A complete, valid createContext body for `recipients`. */
export function contextBody(
  node: SeededNode,
  recipients: readonly Staff[],
  id = `ctx-${toBase64url(randomBytes(6))}`,
): BodyOf<typeof contexts.createContext> {
  const directory = signFor(node.signing, id, recipients)
  return {
    id,
    name: "Fraud reports",
    description: "Tell us about fraud",
    recipients: recipients.map((r) => r.id),
    questionnaire: [
      { id: "what", type: "textarea", label: "What happened?", required: true },
      { id: "where", type: "select", label: "Where?", required: false, options: ["HQ", "Branch"] },
    ],
    expiryDays: 30,
    maxFiles: 5,
    maxFileBytes: 1024 * 1024,
    directory: wire(directory),
  }
}

/** Creates a context through the admin route; returns its id. */
export async function createContext(
  t: TestRelay,
  node: SeededNode,
  admin: Staff,
  recipients: readonly Staff[],
): Promise<string> {
  const body = contextBody(node, recipients)
  return (await t.client.call(contexts.createContext, { session: admin.token, body })).id
}

/**
 * Fetches a challenge for `route` and solves it bound to `body` (the body without `pow`), within
 * the bounds of the node's signed manifest, as the whistleblower's browser does.
 * @throws CryptoError `POW_OUT_OF_BOUNDS` for a challenge the manifest does not allow.
 */
export async function solve(
  t: TestRelay,
  route: "submitTip" | "wbLogin",
  body: object,
): Promise<{ challenge: string; nonce: number }> {
  const [challenge, node] = await Promise.all([
    t.client.call(wb.getPow, { query: { for: route } }),
    t.client.call(accounts.getNode),
  ])
  const { pow: bounds } = verifyNodeManifest(node.manifest, undefined).manifest
  const binding = powBinding(route, body)
  return {
    challenge: challenge.challenge,
    nonce: await solvePow({ ...challenge, binding }, { bounds }),
  }
}

/** A receipt login body for `authKey` (base64url), paid with a proof bound to it. */
export async function wbLoginBody(t: TestRelay, authKey: string) {
  return { pow: await solve(t, "wbLogin", { authKey }), authKey }
}

/** Draws a receipt and derives its keys with the node's salt (cheap test params). */
export async function drawReceiptKeys(
  node: SeededNode,
): Promise<{ receipt: string; keys: DerivedKeys }> {
  const receipt = drawReceipt(DEFAULT_RECEIPT_PATTERN)
  const keys = await deriveReceiptKeys(receipt, node.receiptSalt, MIN_KDF_PARAMS)
  return { receipt, keys }
}

/**
 * Everything a whistleblower's browser sends to submit a tip to `recipients` (PoW aside), with
 * receipt keys drawn by the v1 derivation unless `receiptKeys` are given (SPEC §16's OPRF ones).
 */
export async function buildSubmission(
  node: SeededNode,
  contextId: string,
  recipients: ReadonlyArray<{ id: string; recipient: string }>,
  receiptKeys?: { receipt: string; keys: DerivedKeys },
) {
  const tip = await createTipIdentity()
  const { receipt, keys } = receiptKeys ?? (await drawReceiptKeys(node))
  const answers = { what: `fraud at ${toBase64url(randomBytes(6))}` }
  const wraps = await Promise.all(
    recipients.map(async (r) => ({ holder: r.id, wrap: wire(await wrapTipKey(tip, r.recipient)) })),
  )
  const body = {
    contextId,
    answers: await sealTipPart(tip.recipient, "answers", answers),
    wbAuthVerifier: toBase64url(verifierOf(keys.authKey)),
    wraps,
    wbWrap: wire(await wrapTipKey(tip, keys.recipient)),
  }
  return { body, tip, receipt, keys, answers }
}

/** Submits a tip to `recipients` with a solved PoW, as the whistleblower's browser does. */
export async function submit(
  t: TestRelay,
  node: SeededNode,
  contextId: string,
  recipients: readonly Staff[],
  receiptKeys?: { receipt: string; keys: DerivedKeys },
): Promise<SubmittedTip> {
  const built = await buildSubmission(node, contextId, recipients, receiptKeys)
  const pow = await solve(t, "submitTip", built.body)
  const res = await t.client.call(wb.submitTip, { body: { pow, ...built.body } })
  return {
    ...res,
    tip: built.tip,
    receipt: built.receipt,
    keys: built.keys,
    answers: built.answers,
  }
}

/** Deep-copies crypto-core's readonly records into the mutable wire shape. */
export function wire<T>(value: T): DeepMutable<T> {
  return JSON.parse(JSON.stringify(value)) as DeepMutable<T>
}

type DeepMutable<T> = T extends string | number | boolean | null | undefined
  ? T
  : T extends ReadonlyArray<infer U>
    ? DeepMutable<U>[]
    : { -readonly [K in keyof T]: DeepMutable<T[K]> }

/**
 * What the tip and context routes can write: records of contexts, tips, wraps and objects, keys of
 * chunks, timers and sessions, and the number of audit entries. For "nothing changed" checks.
 */
export async function storeSnapshot(t: TestRelay): Promise<Record<string, unknown>> {
  const store = t.relay.ctx.store
  const out: Record<string, unknown> = {}
  for (const sublevel of ["contexts", "tips", "wraps", "objects"] as const) {
    out[sublevel] = await store.list(sublevel)
  }
  for (const sublevel of ["chunks", "timers", "sessions"] as const) {
    out[sublevel] = await store.keys(sublevel)
  }
  out.audit = (await store.keys("audit")).length
  return out
}

/**
 * The relay error a call failed with.
 * @throws when the call succeeds or fails with something other than a relay error.
 */
export async function refused(call: Promise<unknown>): Promise<RelayClientError> {
  try {
    await call
  } catch (e) {
    if (e instanceof RelayClientError) return e
    throw e
  }
  throw new Error("expected the relay to refuse this request")
}
