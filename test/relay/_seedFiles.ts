import { createHash, randomBytes } from "node:crypto"
import {
  createAccountIdentity,
  createTipIdentity,
  encryptFile,
  MIN_KDF_PARAMS,
  sealTipPart,
  type TipIdentity,
  toBase64url,
  wrapTipKey,
} from "@sotto/crypto-core"
import type { Role } from "@sotto/protocol"
import { putWrapIn } from "../../relay/src/services/holderIndex.js"
import type {
  ContextRecord,
  TipRecord,
  UserRecord,
  WrapRecord,
} from "../../relay/src/services/records.js"
import { countTipCreated } from "../../relay/src/services/tipCounters.js"
import type { TestRelay } from "./_harness.js"

// Seeds records straight into the relay's store, so file tests do not depend on the account and
// tip routes. Every record holds real ciphertext where the product would.

/** A staff user with a live full session. */
export interface SeededUser {
  readonly id: string
  readonly token: string
}

/** A tip with its identity (the test plays the browser), a holder, an outsider and the WB. */
export interface SeededTip {
  readonly tipId: string
  readonly contextId: string
  readonly tip: TipIdentity
  readonly recipient: SeededUser
  readonly outsider: SeededUser
  readonly wb: string
  /** The tip record as seeded. */
  readonly seeded: TipRecord
}

const id = () => randomBytes(16).toString("base64url")

/** Writes a context with the given file limits. */
export async function seedContext(
  t: TestRelay,
  limits: { maxFiles: number; maxFileBytes: number },
): Promise<string> {
  const now = t.relay.ctx.clock.now()
  const context: ContextRecord = {
    id: id(),
    name: "Compliance",
    description: "Reports about compliance",
    recipients: [],
    questionnaire: [],
    expiryDays: 90,
    createdAt: now,
    updatedAt: now,
    ...limits,
  }
  await t.relay.ctx.store.put("contexts", `c/${context.id}`, context)
  return context.id
}

/** Writes a staff user (with a real account key) and opens a full session for them. */
export async function seedUser(t: TestRelay, role: Role = "recipient"): Promise<SeededUser> {
  const account = await createAccountIdentity()
  const userId = id()
  const user: UserRecord = {
    id: userId,
    username: `user-${userId.slice(0, 8).toLowerCase()}`,
    name: "Test User",
    role,
    disabled: false,
    createdAt: t.relay.ctx.clock.now(),
    kdf: { salt: toBase64url(randomBytes(16)), params: MIN_KDF_PARAMS },
    authVerifier: toBase64url(randomBytes(32)),
    publicKey: account.recipient,
    mustChangePassword: false,
  }
  const batch = t.relay.ctx.store.batch()
  batch.put("users", `u/${userId}`, user).put("users", `n/${user.username}`, userId)
  await batch.write()
  const { token } = await t.relay.ctx.sessions.create({
    kind: "staff",
    userId,
    role,
    stage: "full",
  })
  return { id: userId, token }
}

/**
 * Writes a tip in a context with the given limits, wrapped to one recipient; `outsider` is a
 * recipient without a wrap; `wb` is a receipt session of the tip.
 */
export async function seedTip(
  t: TestRelay,
  limits = { maxFiles: 5, maxFileBytes: 8 * 1024 * 1024 },
): Promise<SeededTip> {
  const ctx = t.relay.ctx
  const contextId = await seedContext(t, limits)
  const [recipient, outsider, tip] = await Promise.all([
    seedUser(t),
    seedUser(t),
    createTipIdentity(),
  ])
  const user = await ctx.store.get<UserRecord>("users", `u/${recipient.id}`)
  const now = ctx.clock.now()
  const record: TipRecord = {
    id: id(),
    contextId,
    createdAt: now,
    updatedAt: now,
    expiresAt: now + 90 * 86_400_000,
    status: "new",
    labels: [],
    answers: await sealTipPart(tip.recipient, "answers", { what: "test" }),
    wbAuthVerifier: toBase64url(randomBytes(32)),
    accessCount: 0,
    timerKeys: [],
  }
  const wrap: WrapRecord = {
    tipId: record.id,
    holder: recipient.id,
    wrap: await wrapTipKey(tip, user?.publicKey ?? ""),
    grantedBy: "wb",
    grantedAt: now,
  }
  const batch = ctx.store.batch()
  batch.put("tips", `t/${record.id}`, record)
  putWrapIn(batch, wrap, record.createdAt)
  countTipCreated(batch, record)
  await batch.write()
  const { token: wb } = await ctx.sessions.create({ kind: "wb", tipId: record.id })
  return { tipId: record.id, contextId, tip, recipient, outsider, wb, seeded: record }
}

/** Encrypts `plain` to the tip as a real age file (what the browser uploads). */
export async function encryptToTip(tip: TipIdentity, plain: Uint8Array): Promise<Uint8Array> {
  const source = new Blob([plain as Uint8Array<ArrayBuffer>]).stream()
  const sealed = await encryptFile(source, [tip.recipient])
  return new Uint8Array(await new Response(sealed).arrayBuffer())
}

/** Sealed file metadata, as the browser sends it with `createFile`. */
export function sealMeta(tip: TipIdentity, name = "report.pdf"): Promise<string> {
  return sealTipPart(tip.recipient, "metadata", { name, type: "application/pdf" })
}

/** Splits an age file into upload chunks of `chunkSize`. */
export function chunksOf(bytes: Uint8Array, chunkSize: number): Uint8Array[] {
  const out: Uint8Array[] = []
  for (let i = 0; i < bytes.byteLength; i += chunkSize) out.push(bytes.subarray(i, i + chunkSize))
  return out
}

/** The `X-Chunk-Sha256` header value for a chunk. */
export function chunkHash(chunk: Uint8Array): string {
  return createHash("sha256").update(chunk).digest("base64url")
}
