import type { RelayContext } from "../context.js"
import type { Batch } from "../store/store.js"
import { timeKey } from "./ids.js"
import { mailErrorCode, mailTarget } from "./mail.js"
import { MailerSource, renderQueued } from "./mailerSource.js"
import { Notifier } from "./notify.js"
import type { TipRecord } from "./records.js"
import { type TimerTask, timers } from "./timers.js"
import { wipeTip } from "./tipWipe.js"
import { runUploadIdle, wipeAbandonedUploads } from "./uploads.js"

/** Runs due timers (expiry, reminders, mail, wipes, compaction); resumes them after a restart. */
export interface TimerRunner {
  /**
   * Runs everything due now, including what running it makes due (a reminder's mails); tests call
   * this after moving the clock. @returns how many tasks ran.
   */
  runDue(): Promise<number>
  /** Stops polling and waits for a run in progress. */
  stop(): Promise<void>
  /** Settles after the first run (the sweep scheduled, anything overdue done), so the store is stable. */
  ready: Promise<void>
}

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE
/** How often the loop looks for due timers. */
export const POLL_EVERY = 5_000
/** The wipe sweep's period. */
export const SWEEP_EVERY = 60 * MINUTE
/** Uploads started this long ago and never finished are removed by the sweep (those made before idle timers). */
export const ABANDONED_UPLOAD_AGE = DAY
/** Audit entries older than this are removed by the sweep. */
export const AUDIT_RETENTION = 365 * DAY
/** A mail is tried this often (waiting 1, 2, 4, 8, 16 minutes between tries), then audited as failed. */
export const MAIL_ATTEMPTS = 6
// Other failing tasks retry forever, backing off to at most an hour.
const RETRY_CAP = 60 * MINUTE

/**
 * Starts the timer loop: schedules the recurring wipe sweep if there is none, runs whatever is
 * already due, then polls. It also turns events into notification mails (notify.ts).
 */
export function startTimerRunner(ctx: RelayContext): TimerRunner {
  const mailer = new MailerSource(ctx)
  const notifier = new Notifier(ctx)
  const unlisten = notifier.listen()
  let stopped = false
  // Runs are serialised: the poll and a caller's runDue never execute the same task twice.
  // Reading the settings at start also tells queueMail whether SMTP settings turn mail on.
  let chain: Promise<unknown> = ensureSweep(ctx).then(() => mailer.current())
  const runDue = (): Promise<number> => {
    const run = chain.then(async () => {
      await notifier.idle()
      return stopped ? 0 : runAll(ctx, mailer, notifier, () => stopped)
    })
    chain = run.catch(() => 0)
    return run
  }
  let polling = false
  // A slow run (an SMTP server timing out) must not pile polls up behind it.
  const poll = async () => {
    if (polling) return
    polling = true
    await runDue().catch((e: unknown) => ctx.log.error("timers_failed", { error: errorLabel(e) }))
    polling = false
  }
  const ready = poll()
  const interval = setInterval(poll, POLL_EVERY)
  interval.unref()
  return {
    runDue,
    ready,
    stop: async () => {
      stopped = true
      clearInterval(interval)
      unlisten()
      await chain
      mailer.close()
    },
  }
}

async function runAll(
  ctx: RelayContext,
  mailer: MailerSource,
  notifier: Notifier,
  isStopped: () => boolean,
): Promise<number> {
  const seen = new Set<string>()
  for (;;) {
    const due = (await timers.due(ctx.store, ctx.clock.now())).filter(([key]) => !seen.has(key))
    if (due.length === 0 || isStopped()) return seen.size
    for (const [key, task] of due) {
      if (isStopped()) return seen.size
      seen.add(key)
      await runOne(ctx, mailer, notifier, key, task)
    }
  }
}

async function runOne(
  ctx: RelayContext,
  mailer: MailerSource,
  notifier: Notifier,
  key: string,
  task: TimerTask,
): Promise<void> {
  const { store, clock } = ctx
  try {
    switch (task.kind) {
      case "tip.expire": {
        await wipeTip(ctx, task.tipId, "system")
        // wipeTip removes the tip's listed timers; this one goes too if it was not listed.
        await store.batch().del("timers", key).write()
        return
      }
      case "tip.remind": {
        const batch = store.batch().del("timers", key)
        await notifier.queueReminder(batch, task.tipId)
        await batch.write()
        return
      }
      case "tip.deadline": {
        const batch = store.batch().del("timers", key)
        await notifier.queueDeadline(batch, task)
        await dropDeadlineTimer(ctx, batch, task.tipId, key)
        await batch.write()
        return
      }
      case "mail.send":
        return await sendMail(ctx, mailer, key, task)
      case "wipe.sweep":
        return await sweep(ctx, key)
      case "upload.idle":
        return await runUploadIdle(ctx, key, task.fileId)
      case "store.compact":
        return await compactAfterWipes(ctx, key)
      default: {
        ctx.log.error("timer_unknown", { kind: (task as { kind?: string }).kind, timer: key })
        await store.batch().del("timers", key).write()
        return
      }
    }
  } catch (e) {
    const retry = (task.retry ?? 0) + 1
    const delay = Math.min(MINUTE * 2 ** (retry - 1), RETRY_CAP)
    // Only the error's code or class: messages can quote stored values or addresses.
    ctx.log.error("timer_failed", { kind: task.kind, retry, error: errorLabel(e) })
    const batch = store.batch()
    await reschedule(ctx, batch, key, { ...task, retry }, clock.now() + delay)
    await batch.write()
  }
}

/** Sends one queued mail; on failure tries again later, and after the last try audits the failure. */
async function sendMail(
  ctx: RelayContext,
  source: MailerSource,
  key: string,
  task: Extract<TimerTask, { kind: "mail.send" }>,
): Promise<void> {
  const batch = ctx.store.batch()
  const { mailer, node } = await source.current()
  if (!mailer.enabled) {
    // Queued while SMTP_URL was set; it has been unset since.
    ctx.log.warn("mail_dropped", { reason: "mail is off", template: task.mail.template })
    await batch.del("timers", key).write()
    return
  }
  try {
    await mailer.send(renderQueued(task.mail, node))
    await batch.del("timers", key).write()
    return
  } catch (e) {
    const attempt = task.attempt + 1
    const error = mailErrorCode(e)
    ctx.log.warn("mail_failed", { attempt, error, template: task.mail.template })
    if (attempt < MAIL_ATTEMPTS) {
      const next = ctx.clock.now() + MINUTE * 2 ** (attempt - 1)
      await reschedule(ctx, batch, key, { ...task, attempt }, next)
    } else {
      batch.del("timers", key)
      ctx.audit.add(batch, {
        actor: "system",
        action: "mail.failed",
        target: task.mail.userId ?? mailTarget(task.mail.to),
        details: { attempts: attempt, template: task.mail.template, error },
      })
    }
    await batch.write()
  }
}

/** Moves a task to `dueAt`; a tip's own timer list follows so postponing and wiping still find it. */
async function reschedule(
  ctx: RelayContext,
  batch: Batch,
  key: string,
  task: TimerTask,
  dueAt: number,
): Promise<void> {
  timers.remove(batch, key)
  const next = timers.add(batch, dueAt, task)
  if (task.kind !== "tip.expire" && task.kind !== "tip.remind") return
  const tip = await ctx.store.get<TipRecord>("tips", `t/${task.tipId}`)
  if (tip?.timerKeys.includes(key)) {
    const timerKeys = tip.timerKeys.map((k) => (k === key ? next : k))
    batch.put("tips", `t/${tip.id}`, { ...tip, timerKeys })
  }
}

/** Forgets a deadline timer that ran, so the tip's list names only timers still set. */
async function dropDeadlineTimer(ctx: RelayContext, batch: Batch, tipId: string, key: string) {
  const tip = await ctx.store.get<TipRecord>("tips", `t/${tipId}`)
  const d = tip?.deadlines
  if (!tip || !d?.timerKeys.includes(key)) return
  const deadlines = { ...d, timerKeys: d.timerKeys.filter((k) => k !== key) }
  batch.put("tips", `t/${tip.id}`, { ...tip, deadlines })
}

/** The hourly wipe: idle sessions, abandoned uploads, old audit entries; then compaction. */
async function sweep(ctx: RelayContext, key: string): Promise<void> {
  const now = ctx.clock.now()
  const sessions = await ctx.sessions.wipeIdle()
  const uploads = await wipeAbandonedUploads(ctx, now - ABANDONED_UPLOAD_AGE)
  const batch = ctx.store.batch()
  const oldAudit = await ctx.store.keys("audit", { lt: timeKey(now - AUDIT_RETENTION) })
  for (const k of oldAudit) batch.del("audit", k)
  timers.remove(batch, key)
  timers.add(batch, now + SWEEP_EVERY, { kind: "wipe.sweep" })
  await batch.write()
  const deleted = sessions + uploads + oldAudit.length
  // Deleted bytes linger in LevelDB files until compaction; shredding is complete only after it.
  if (deleted > 0) await ctx.store.compact()
  ctx.log.info("wipe_sweep", { idleLogins: sessions, uploads, audit: oldAudit.length })
}

/**
 * Compacts the store after tip wipes. One compaction serves every wipe before it, so it also drops
 * the other compaction tasks already due; it skips a task an earlier run has dropped.
 */
async function compactAfterWipes(ctx: RelayContext, key: string): Promise<void> {
  const { store } = ctx
  if ((await store.getBytes("timers", key)) === undefined) return
  const due = await store.list<TimerTask>("timers", { lt: timeKey(ctx.clock.now() + 1) })
  await store.compact()
  const batch = store.batch().del("timers", key)
  for (const [k, task] of due) if (task.kind === "store.compact") batch.del("timers", k)
  await batch.write()
  ctx.log.info("store_compacted", { after: "tip.wiped" })
}

/** Schedules the first wipe sweep (due now) unless one is already waiting. */
async function ensureSweep(ctx: RelayContext): Promise<void> {
  try {
    for (const [, task] of await ctx.store.list<TimerTask>("timers")) {
      if (task.kind === "wipe.sweep") return
    }
    const batch = ctx.store.batch()
    timers.add(batch, ctx.clock.now(), { kind: "wipe.sweep" })
    await batch.write()
  } catch (e) {
    ctx.log.error("timers_failed", { error: errorLabel(e) })
  }
}

function errorLabel(e: unknown): string {
  const err = e as { code?: unknown; name?: unknown } | undefined
  return typeof err?.code === "string" ? err.code : String(err?.name ?? "Error")
}
