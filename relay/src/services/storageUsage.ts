import type { RelayContext } from "../context.js"
import { RelayError } from "../errors.js"
import { type Batch, prefixRange, type Store } from "../store/store.js"
import { perContext } from "./perContext.js"
import type { NodeSettings, ObjectRecord, TipRecord } from "./records.js"
import { withLock } from "./tips.js"

// Stored sizes per channel (context) and for the node, kept beside the records (relay/README.md
// "Quotas and disk"): `settings/usage/node` and `settings/usage/c/<contextId>`, changed in the
// same batch as the tip, comment, file or wipe they count. Anonymous writes that would take a
// channel or the node past its budget are refused with 507 BUDGET_EXCEEDED; staff writes are
// counted but never refused, so the staff can always answer and clean up.

const MiB = 1024 * 1024
const GiB = 1024 * MiB

/** The byte budgets a node enforces (node setting `quotas`, bytes). */
export interface Quotas {
  /** Sealed file bytes one tip may hold (declared sizes, unfinished uploads included). */
  readonly tipFileBytes: number
  /** Bytes one channel's tips may hold in all. */
  readonly contextBytes: number
  /** Bytes all tips of the node may hold. */
  readonly nodeBytes: number
}

/** Defaults of a node that has not set `quotas`. */
export const DEFAULT_QUOTAS: Quotas = {
  tipFileBytes: 2 * GiB,
  contextBytes: 50 * GiB,
  nodeBytes: 200 * GiB,
}

/** The budgets in force on a node. */
export function quotasOf(node: NodeSettings | undefined): Quotas {
  return { ...DEFAULT_QUOTAS, ...node?.quotas }
}

/** What one scope (a channel or the node) holds: tip count and stored bytes. */
export interface UsageRecord {
  readonly tips: number
  readonly bytes: number
}

const NODE_KEY = "usage/node"
const contextKey = (contextId: string) => `usage/c/${contextId}`
const EMPTY: UsageRecord = { tips: 0, bytes: 0 }
const LOCK = "storage-usage"

/** The bytes a stored object counts for: its sealed text, or a file's declared size and metadata. */
export function objectBytes(object: ObjectRecord): number {
  return object.kind === "comment" ? object.age.length : object.size + object.meta.length
}

/** The bytes a tip counts for with its objects (what its wipe frees). */
export function tipBytes(tip: TipRecord, objects: ReadonlyArray<readonly [string, ObjectRecord]>) {
  return objects.reduce((sum, [, o]) => sum + objectBytes(o), tip.answers.length)
}

/** A change to a channel's and the node's usage. */
export interface UsageChange {
  readonly contextId: string
  readonly bytes: number
  readonly tips?: number
  /** Refuse the change past a budget (anonymous writes); staff writes and wipes pass. */
  readonly enforce: boolean
}

/**
 * Adds the usage change to `batch` and writes it; concurrent writes never count from the same
 * reading. In one process the counts come from a ledger in memory and the lock is held only while
 * counting and queueing the batch, not while it is synced, so concurrent writes share one synced
 * write (group commit); across processes (a shared coordinator) the lock spans the write.
 * @throws RelayError BUDGET_EXCEEDED (nothing written) when `enforce` and the change would take
 *   the channel or the node past its budget; whatever the batch's write throws.
 */
export async function writeWithUsage(
  ctx: RelayContext,
  batch: Batch,
  change: UsageChange,
): Promise<void> {
  if (ctx.coordinator.shared) {
    return withLock(ctx, LOCK, async () => {
      const { node, channel } = await nextUsage(ctx.store, change, readStored(ctx.store))
      batch.put("settings", NODE_KEY, node).put("settings", contextKey(change.contextId), channel)
      await batch.write()
    })
  }
  const ledger = usageLedger(ctx)
  // The lock's callback returns the write in a box, so the lock is released once it is queued.
  const { written } = await withLock(ctx, LOCK, async () => {
    const next = await nextUsage(ctx.store, change, (key) => ledger.read(key))
    ledger.set(NODE_KEY, next.node)
    ledger.set(contextKey(change.contextId), next.channel)
    batch
      .put("settings", NODE_KEY, next.node)
      .put("settings", contextKey(change.contextId), next.channel)
    // Queued now, in lock order: the group commit keeps that order, so the stored counts never
    // go back to an older reading.
    return { written: batch.write() }
  })
  try {
    await written
  } catch (error) {
    // Nothing of this batch was stored: take its change back out of the counts (queued writes
    // carry it), and queue the corrected counts behind them.
    await withLock(ctx, LOCK, async () => {
      const undo = { ...change, bytes: -change.bytes, tips: -(change.tips ?? 0) }
      const node = add(await ledger.read(NODE_KEY), undo)
      const channel = add(await ledger.read(contextKey(change.contextId)), undo)
      ledger.set(NODE_KEY, node)
      ledger.set(contextKey(change.contextId), channel)
      const fix = ctx.store.batch().put("settings", NODE_KEY, node)
      return { written: fix.put("settings", contextKey(change.contextId), channel).write() }
    }).then(
      ({ written: fixed }) => fixed.catch(() => undefined),
      () => undefined,
    )
    throw error
  }
}

/**
 * Checks, without writing, that `bytes` more would fit the channel's and the node's budgets: run
 * before a proof of work is spent, so a refused whistleblower can retry it once there is room.
 * {@link writeWithUsage} checks again when it writes.
 * @throws RelayError BUDGET_EXCEEDED.
 */
export async function requireBudget(ctx: RelayContext, contextId: string, bytes: number) {
  const read = ctx.coordinator.shared
    ? readStored(ctx.store)
    : (key: string) => usageLedger(ctx).peek(key)
  await nextUsage(ctx.store, { contextId, bytes, enforce: true }, read)
}

type ReadUsage = (key: string) => Promise<UsageRecord>

const readStored =
  (store: Store): ReadUsage =>
  async (key) =>
    (await store.get<UsageRecord>("settings", key)) ?? EMPTY

/**
 * One process's counts, as they will stand once every queued write lands: each key is read from
 * the store once (under the lock), then kept by the writes themselves. Only for a coordinator
 * that is not shared, where this process is the only writer.
 */
class UsageLedger {
  readonly #counts = new Map<string, UsageRecord>()

  constructor(private readonly store: Store) {}

  /** The count of `key`, read from the store on first use. Call under the lock. */
  async read(key: string): Promise<UsageRecord> {
    const known = this.#counts.get(key)
    if (known) return known
    const stored = (await this.store.get<UsageRecord>("settings", key)) ?? EMPTY
    this.#counts.set(key, stored)
    return stored
  }

  /** The count of `key` without the lock: the ledger's, else the store's (not kept). */
  async peek(key: string): Promise<UsageRecord> {
    const known = this.#counts.get(key)
    if (known) return known
    const stored = (await this.store.get<UsageRecord>("settings", key)) ?? EMPTY
    return this.#counts.get(key) ?? stored
  }

  /** Sets the count of `key` (under the lock, with the write queued in the same turn). */
  set(key: string, usage: UsageRecord): void {
    this.#counts.set(key, usage)
  }
}

const usageLedger = perContext((ctx) => new UsageLedger(ctx.store))

async function nextUsage(store: Store, change: UsageChange, read: ReadUsage) {
  const [node, channel] = await Promise.all([read(NODE_KEY), read(contextKey(change.contextId))])
  const next = { node: add(node, change), channel: add(channel, change) }
  if (change.enforce && change.bytes > 0) {
    const quotas = quotasOf(await store.get<NodeSettings>("settings", "node"))
    if (next.channel.bytes > quotas.contextBytes) {
      throw new RelayError(
        "BUDGET_EXCEEDED",
        `this channel holds all it may for now (${formatBytes(quotas.contextBytes)}); nothing more can be stored in it until its staff make room`,
      )
    }
    if (next.node.bytes > quotas.nodeBytes) {
      throw new RelayError(
        "BUDGET_EXCEEDED",
        `this node holds all it may for now (${formatBytes(quotas.nodeBytes)}); nothing more can be stored until its staff make room`,
      )
    }
  }
  return next
}

/** The node's usage and each channel's (channels that never held a tip are left out). */
export async function readUsage(
  store: Store,
): Promise<{ node: UsageRecord; contexts: Array<UsageRecord & { contextId: string }> }> {
  const prefix = contextKey("")
  const listed = await store.list<UsageRecord>("settings", prefixRange(prefix))
  return {
    node: (await store.get<UsageRecord>("settings", NODE_KEY)) ?? EMPTY,
    contexts: listed.map(([key, usage]) => ({ contextId: key.slice(prefix.length), ...usage })),
  }
}

/**
 * Counts the usage from every tip and object once, for a data dir from a relay that did not keep
 * it (no `usage/node` while tips exist). Afterwards every write keeps it. Runs at start.
 * @returns how many tips were counted.
 */
export async function rebuildUsage(store: Store): Promise<number> {
  if (await store.get("settings", NODE_KEY)) return 0
  const tips = await store.list<TipRecord>("tips", prefixRange("t/"))
  // A node without tips has nothing to count; its first tip writes the records.
  if (tips.length === 0) return 0
  const byContext = new Map<string, UsageRecord>()
  let node = EMPTY
  for (const [, tip] of tips) {
    const objects = await store.list<ObjectRecord>("objects", prefixRange(`${tip.id}/`))
    const change = {
      contextId: tip.contextId,
      bytes: tipBytes(tip, objects),
      tips: 1,
      enforce: false,
    }
    node = add(node, change)
    byContext.set(tip.contextId, add(byContext.get(tip.contextId) ?? EMPTY, change))
  }
  const batch = store.batch().put("settings", NODE_KEY, node)
  for (const [contextId, usage] of byContext) batch.put("settings", contextKey(contextId), usage)
  await batch.write()
  return tips.length
}

function add(usage: UsageRecord, change: UsageChange): UsageRecord {
  return {
    tips: Math.max(0, usage.tips + (change.tips ?? 0)),
    bytes: Math.max(0, usage.bytes + change.bytes),
  }
}

/** Bytes for people: MiB under a GiB, else GiB, one decimal at most. */
export function formatBytes(bytes: number): string {
  return bytes >= GiB ? `${+(bytes / GiB).toFixed(1)} GiB` : `${+(bytes / MiB).toFixed(1)} MiB`
}
