import { createSigningKey } from "@sotto/crypto-core"
import type { Role } from "@sotto/protocol"
import type {
  ContextRecord,
  NodeSettings,
  TipRecord,
  UserRecord,
  WrapRecord,
} from "../../relay/src/services/records.js"
import { DEFAULT_IDLE_TIMEOUTS } from "../../relay/src/services/session.js"
import { type TimerTask, timers } from "../../relay/src/services/timers.js"
import type { TestRelay } from "./_harness.js"
import { seedManifest } from "./_seed.js"

// Records written straight into the store, for tests of timers and mail that need a node, users
// and tips without going through the routes that make them.

/** A secret-looking string planted in tip records, to check that it never reaches a mail. */
export const TIP_SECRET = "TOP-SECRET-ANSWER-7f3a"
const FAKE_AGE = `-----BEGIN AGE ENCRYPTED FILE-----\n${TIP_SECRET}\n-----END AGE ENCRYPTED FILE-----`

/** Writes the node settings with `name`. */
export async function seedNode(t: TestRelay, name: string): Promise<void> {
  const node: NodeSettings = {
    name,
    createdAt: t.relay.ctx.clock.now(),
    escrow: { enabled: false },
    signingPublicKey: "x".repeat(43),
    receipt: { pattern: "4x4", salt: "s".repeat(22), params: { N: 2 ** 15, r: 8, p: 1 } },
    idleTimeouts: DEFAULT_IDLE_TIMEOUTS,
    powDifficulty: 10,
    expiryDays: 90,
    twoFactorRequired: { admin: false, recipient: false, custodian: false },
    manifest: seedManifest(createSigningKey()),
  }
  await t.relay.ctx.store.put("settings", "node", node)
}

/** Writes a user (and its username index); `email` undefined leaves it without one. */
export async function seedUser(
  t: TestRelay,
  id: string,
  role: Role,
  email?: string,
  extra: Partial<UserRecord> = {},
): Promise<UserRecord> {
  const user: UserRecord = {
    id,
    username: id.toLowerCase(),
    name: `User ${id}`,
    ...(email === undefined ? {} : { email }),
    role,
    disabled: false,
    createdAt: t.relay.ctx.clock.now(),
    kdf: { salt: "s".repeat(22), params: { N: 2 ** 15, r: 8, p: 1 } },
    authVerifier: "v".repeat(43),
    mustChangePassword: false,
    ...extra,
  }
  await t.relay.ctx.store
    .batch()
    .put("users", `u/${id}`, user)
    .put("users", `n/${user.username}`, id)
    .write()
  return user
}

/** A full admin session for a fresh admin user; returns its token. */
export async function adminSession(t: TestRelay, id = "admin1"): Promise<string> {
  await seedUser(t, id, "admin", `${id}@example.org`)
  const { token } = await t.relay.ctx.sessions.create({
    kind: "staff",
    userId: id,
    role: "admin",
    stage: "full",
  })
  return token
}

/** Writes a context, and a tip in it held by `holders` (user ids or `wb`), with its timers. */
export async function seedTip(
  t: TestRelay,
  options: {
    tipId: string
    contextName: string
    holders: readonly string[]
    expiresAt: number
    timers?: ReadonlyArray<readonly [number, TimerTask]>
  },
): Promise<TipRecord> {
  const { store, clock } = t.relay.ctx
  const now = clock.now()
  const context: ContextRecord = {
    id: `ctx-${options.tipId}`,
    name: options.contextName,
    description: "",
    recipients: options.holders.filter((h) => h !== "wb"),
    questionnaire: [],
    expiryDays: 90,
    maxFiles: 10,
    maxFileBytes: 1 << 20,
    createdAt: now,
    updatedAt: now,
  }
  const batch = store.batch()
  const timerKeys = (options.timers ?? []).map(([due, task]) => timers.add(batch, due, task))
  const tip: TipRecord = {
    id: options.tipId,
    contextId: context.id,
    createdAt: now,
    updatedAt: now,
    expiresAt: options.expiresAt,
    status: "new",
    labels: [TIP_SECRET],
    answers: FAKE_AGE,
    wbAuthVerifier: "w".repeat(43),
    accessCount: 0,
    timerKeys,
  }
  batch.put("contexts", `c/${context.id}`, context).put("tips", `t/${tip.id}`, tip)
  batch.put("tips", `r/${tip.wbAuthVerifier}`, tip.id)
  for (const holder of options.holders) {
    const wrap: WrapRecord = {
      tipId: tip.id,
      holder,
      wrap: { v: 1, to: ["age1fake"], age: FAKE_AGE },
      grantedBy: "system",
      grantedAt: now,
    }
    batch.put("wraps", `${tip.id}/${holder}`, wrap)
  }
  await batch.write()
  return tip
}

/** Schedules one timer task at `dueAt`; returns its key. */
export async function schedule(t: TestRelay, dueAt: number, task: TimerTask): Promise<string> {
  const batch = t.relay.ctx.store.batch()
  const key = timers.add(batch, dueAt, task)
  await batch.write()
  return key
}

/** Every stored timer, in due order. */
export function allTimers(t: TestRelay): Promise<Array<[string, TimerTask]>> {
  return t.relay.ctx.store.list<TimerTask>("timers")
}

/** The stored timers that send a mail. */
export async function mailTimers(t: TestRelay): Promise<Array<[string, TimerTask]>> {
  return (await allTimers(t)).filter(([, task]) => task.kind === "mail.send")
}
