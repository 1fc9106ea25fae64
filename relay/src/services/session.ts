import type { Role } from "@sotto/protocol/route"
import { RelayError } from "../errors.js"
import type { Batch, Store } from "../store/store.js"
import type { Clock } from "./clock.js"
import { newToken, tokenKey } from "./ids.js"

/**
 * Where a staff login stands: fully in, waiting for a second factor, forced to change password, or
 * forced to enrol a second factor (the role requires one and the account has none).
 */
export type StaffStage = "full" | "second-factor" | "password-change" | "second-factor-enrol"

/** A live session, as stored (keyed by the SHA-256 of its token). */
export type Session =
  | {
      readonly kind: "staff"
      readonly key: string
      readonly userId: string
      readonly role: Role
      readonly stage: StaffStage
      /** Opened with the recovery key: may set a new password without the old one. */
      readonly recovered?: true
      readonly createdAt: number
      readonly lastSeenAt: number
    }
  | {
      readonly kind: "wb"
      readonly key: string
      readonly tipId: string
      readonly createdAt: number
      readonly lastSeenAt: number
    }

/** Idle timeouts in milliseconds, per kind of session (configurable in node settings). */
export interface IdleTimeouts {
  readonly admin: number
  readonly recipient: number
  readonly custodian: number
  readonly wb: number
}

export const DEFAULT_IDLE_TIMEOUTS: IdleTimeouts = {
  admin: 30 * 60_000,
  recipient: 60 * 60_000,
  custodian: 30 * 60_000,
  wb: 30 * 60_000,
}

/** Absolute lifetimes in milliseconds, per kind: a session ends then, however active it is. */
export type SessionLifetimes = IdleTimeouts

/** A working day for staff, a few hours for a whistleblower's receipt session. */
export const DEFAULT_SESSION_LIFETIMES: SessionLifetimes = {
  admin: 12 * 60 * 60_000,
  recipient: 12 * 60 * 60_000,
  custodian: 12 * 60 * 60_000,
  wb: 4 * 60 * 60_000,
}

// Writing lastSeenAt on every request would turn reads into writes; once a minute is enough.
const TOUCH_EVERY = 60_000

type NewSession =
  | { kind: "staff"; userId: string; role: Role; stage: StaffStage; recovered?: true }
  | { kind: "wb"; tipId: string }

/** Creates, looks up, refreshes and ends sessions. */
export class SessionService {
  private readonly endListeners = new Set<(keys: readonly string[]) => void>()

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly timeouts: () => Promise<IdleTimeouts>,
    private readonly lifetimes: SessionLifetimes = DEFAULT_SESSION_LIFETIMES,
  ) {}

  /**
   * Calls `listener` with the keys of sessions this service ends (logout, ending all of a user's,
   * expiry), once the deletion is written. Returns the unsubscribe function.
   */
  onEnd(listener: (keys: readonly string[]) => void): () => void {
    this.endListeners.add(listener)
    return () => this.endListeners.delete(listener)
  }

  private ended(keys: readonly string[]): void {
    if (keys.length === 0) return
    for (const listener of this.endListeners) listener(keys)
  }

  /** Why `session` is over at `now`, or undefined while it lives. */
  private expiry(session: Session, now: number, idle: IdleTimeouts): string | undefined {
    const kind = session.kind === "wb" ? "wb" : session.role
    if (now - session.createdAt > this.lifetimes[kind])
      return "your session reached its maximum lifetime; log in again"
    if (now - session.lastSeenAt > idle[kind])
      return "your session ended after a period of inactivity; log in again"
    return undefined
  }

  /**
   * Whether the session stored under `key` still lives (exists, not idle too long, not past its
   * lifetime), without touching it; an expired one is deleted. Used by push sockets.
   */
  async isLive(key: string): Promise<boolean> {
    const session = await this.store.get<Session>("sessions", key)
    if (!session) return false
    if (this.expiry(session, this.clock.now(), await this.timeouts()) === undefined) return true
    await this.store.batch().del("sessions", key).write()
    this.ended([key])
    return false
  }

  /** Starts a session; returns the token to hand to the client (never stored in clear). */
  async create(fields: NewSession): Promise<{ token: string; session: Session }> {
    const batch = this.store.batch()
    const made = this.createIn(batch, fields)
    await batch.write()
    return made
  }

  /** Like {@link create}, inside the caller's batch (so a login lands with its audit entry). */
  createIn(batch: Batch, fields: NewSession): { token: string; session: Session } {
    const token = newToken()
    const now = this.clock.now()
    const session = { ...fields, key: tokenKey(token), createdAt: now, lastSeenAt: now } as Session
    batch.put("sessions", session.key, session)
    return { token, session }
  }

  /**
   * Looks up a token.
   * @returns undefined for an unknown token. @throws RelayError SESSION_EXPIRED when idle too
   *   long or past its absolute lifetime (the session is then deleted).
   */
  async authenticate(token: string): Promise<Session | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined
    const key = tokenKey(token)
    const session = await this.store.get<Session>("sessions", key)
    if (!session) return undefined
    const now = this.clock.now()
    const expired = this.expiry(session, now, await this.timeouts())
    if (expired !== undefined) {
      await this.store.batch().del("sessions", key).write()
      this.ended([key])
      throw new RelayError("SESSION_EXPIRED", expired)
    }
    if (now - session.lastSeenAt > TOUCH_EVERY) {
      const touched = { ...session, lastSeenAt: now }
      await this.store.put("sessions", key, touched)
      return touched
    }
    return session
  }

  /** Moves a staff session to another stage (after a second factor or a password change). */
  async setStage(session: Session, stage: StaffStage): Promise<Session> {
    const batch = this.store.batch()
    const next = this.setStageIn(batch, session, stage)
    await batch.write()
    return next
  }

  /** Like {@link setStage}, inside the caller's batch. @throws RelayError FORBIDDEN for a WB session. */
  setStageIn(batch: Batch, session: Session, stage: StaffStage): Session {
    if (session.kind !== "staff") throw new RelayError("FORBIDDEN", "not a staff session")
    const next = { ...session, stage }
    batch.put("sessions", session.key, next)
    return next
  }

  /** Ends one session. */
  async end(session: Session): Promise<void> {
    await this.store.batch().del("sessions", session.key).write()
    this.ended([session.key])
  }

  /** Ends every session of a user (password change, disable, delete), optionally keeping one. */
  async endAllFor(userId: string, keep?: string): Promise<number> {
    const batch = this.store.batch()
    const ended = await this.endAllForIn(batch, userId, keep)
    await batch.write()
    return ended
  }

  /** Like {@link endAllFor}, inside the caller's batch; returns how many sessions it ends. */
  async endAllForIn(batch: Batch, userId: string, keep?: string): Promise<number> {
    let ended = 0
    for (const [key, s] of await this.store.list<Session>("sessions")) {
      if (s.kind === "staff" && s.userId === userId && key !== keep) {
        batch.del("sessions", key)
        ended++
      }
    }
    return ended
  }

  /** Deletes sessions idle past their timeout or past their lifetime (run by the wipe timer). */
  async wipeIdle(): Promise<number> {
    const now = this.clock.now()
    const idle = await this.timeouts()
    const batch = this.store.batch()
    const keys: string[] = []
    for (const [key, s] of await this.store.list<Session>("sessions")) {
      if (this.expiry(s, now, idle) !== undefined) {
        batch.del("sessions", key)
        keys.push(key)
      }
    }
    await batch.write()
    this.ended(keys)
    return batch.size
  }
}
