import type { RelayContext } from "../context.js"
import type { Batch } from "../store/store.js"
import { prefixRange } from "../store/store.js"
import { deadlineStillOpen } from "./deadlines.js"
import type { RelayEvent } from "./events.js"
import { mailDateTime, queueMail, renderMail } from "./mail.js"
import type { ContextRecord, NodeSettings, TipRecord, UserRecord, WrapRecord } from "./records.js"

/** At most one activity mail per user in this window; the rest is seen at the next login. */
export const ACTIVITY_MAIL_GAP = 10 * 60_000

/** Where a staff member opens a tip in the PWA (a path: the relay does not know its public URL). */
export function tipLink(tipId: string): string {
  return `/recipient/tips/${tipId}`
}

/**
 * Turns events (new tips, new comments) and expiry reminders into queued mails for staff. Mails
 * name the node, the context and dates, and link to the tip; they never carry tip content.
 */
export class Notifier {
  // user id → when we last queued an activity mail for them (in memory: a restart may send one more)
  readonly #lastMailed = new Map<string, number>()
  readonly #pending = new Set<Promise<unknown>>()

  constructor(private readonly ctx: RelayContext) {}

  /** Subscribes to `ctx.events`; returns the unsubscribe function. */
  listen(): () => void {
    return this.ctx.events.subscribe((event) => {
      if (event.type !== "tip.created" && event.type !== "comment.created") return
      const work = this.notifyActivity(event).catch((e: unknown) =>
        this.ctx.log.error("notify_failed", {
          event: event.type,
          error: String((e as Error)?.name),
        }),
      )
      this.#pending.add(work)
      void work.finally(() => this.#pending.delete(work))
    })
  }

  /** Resolves once the mails for events published so far are queued. */
  async idle(): Promise<void> {
    await Promise.all([...this.#pending])
  }

  /**
   * Queues "New activity in <node>" to each user of `event` who has an email, is enabled and was not
   * mailed within {@link ACTIVITY_MAIL_GAP}.
   * @returns how many mails were queued (0 when mail is off).
   */
  async notifyActivity(event: RelayEvent): Promise<number> {
    const now = this.ctx.clock.now()
    const batch = this.ctx.store.batch()
    const mailed: string[] = []
    // Read only when a mail goes out: most submissions mail nobody.
    let node: string | undefined
    for (const userId of new Set(event.users)) {
      const last = this.#lastMailed.get(userId)
      if (last !== undefined && now - last < ACTIVITY_MAIL_GAP) continue
      const user = await this.#mailableUser(userId)
      if (!user?.email) continue
      node ??= await this.#nodeName()
      const mail = renderMail("activity", { node, link: tipLink(event.tipId) })
      if (!queueMail(this.ctx, batch, { ...mail, to: user.email, userId })) return 0
      mailed.push(userId)
    }
    if (mailed.length === 0) return 0
    await batch.write()
    for (const userId of mailed) this.#lastMailed.set(userId, now)
    return mailed.length
  }

  /**
   * Adds to `batch` an expiry reminder for each staff holder of the tip who has an email:
   * "A tip in <context> expires on <date>".
   * @returns how many mails were queued (0 when the tip is gone or mail is off).
   */
  async queueReminder(batch: Batch, tipId: string): Promise<number> {
    const tip = await this.ctx.store.get<TipRecord>("tips", `t/${tipId}`)
    if (!tip) return 0
    const context = await this.ctx.store.get<ContextRecord>("contexts", `c/${tip.contextId}`)
    const values = {
      node: await this.#nodeName(),
      context: context?.name ?? "a context",
      date: new Date(tip.expiresAt).toISOString().slice(0, 10),
      link: tipLink(tipId),
    }
    let queued = 0
    for (const [, wrap] of await this.ctx.store.list<WrapRecord>(
      "wraps",
      prefixRange(`${tipId}/`),
    )) {
      if (wrap.holder === "wb") continue
      const user = await this.#mailableUser(wrap.holder)
      if (!user?.email) continue
      const mail = renderMail("reminder", values)
      if (!queueMail(this.ctx, batch, { ...mail, to: user.email, userId: user.id })) return 0
      queued++
    }
    return queued
  }

  /**
   * Adds to `batch` a deadline reminder for each staff holder of the tip who has an email: "needs
   * acknowledgement by <date>" (`soon`) or "deadline reached" (`due`). Names, dates and a link only.
   * @returns how many mails were queued (0 when the deadline was met or moved, or mail is off).
   */
  async queueDeadline(
    batch: Batch,
    task: { tipId: string; which: "ack" | "feedback"; dueAt: number; phase: "soon" | "due" },
  ): Promise<number> {
    const tip = await this.ctx.store.get<TipRecord>("tips", `t/${task.tipId}`)
    if (!deadlineStillOpen(tip, task.which, task.dueAt) || !tip) return 0
    const context = await this.ctx.store.get<ContextRecord>("contexts", `c/${tip.contextId}`)
    const values = {
      node: await this.#nodeName(),
      context: context?.name ?? "a context",
      what: task.which === "ack" ? "acknowledgement" : "feedback",
      date: mailDateTime(task.dueAt),
      link: tipLink(tip.id),
    }
    const template = task.phase === "soon" ? "deadlineSoon" : "deadlineDue"
    let queued = 0
    for (const userId of await staffHoldersOf(this.ctx, tip.id)) {
      const user = await this.#mailableUser(userId)
      if (!user?.email) continue
      const mail = renderMail(template, values)
      if (!queueMail(this.ctx, batch, { ...mail, to: user.email, userId: user.id })) return 0
      queued++
    }
    return queued
  }

  async #nodeName(): Promise<string> {
    return (await this.ctx.store.get<NodeSettings>("settings", "node"))?.name ?? "Sotto"
  }

  async #mailableUser(userId: string): Promise<UserRecord | undefined> {
    const user = await this.ctx.store.get<UserRecord>("users", `u/${userId}`)
    return user && !user.disabled ? user : undefined
  }
}

async function staffHoldersOf(ctx: RelayContext, tipId: string): Promise<string[]> {
  const keys = await ctx.store.keys("wraps", prefixRange(`${tipId}/`))
  return keys.map((k) => k.slice(tipId.length + 1)).filter((h) => h !== "wb")
}
