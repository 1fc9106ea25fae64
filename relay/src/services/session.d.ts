import type { Role } from "@sotto/protocol/route"
import type { Batch, Store } from "../store/store.js"
import type { Clock } from "./clock.js"
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
export declare const DEFAULT_IDLE_TIMEOUTS: IdleTimeouts
/** Absolute lifetimes in milliseconds, per kind: a session ends then, however active it is. */
export type SessionLifetimes = IdleTimeouts
/** A working day for staff, a few hours for a whistleblower's receipt session. */
export declare const DEFAULT_SESSION_LIFETIMES: SessionLifetimes
type NewSession =
  | {
      kind: "staff"
      userId: string
      role: Role
      stage: StaffStage
      recovered?: true
    }
  | {
      kind: "wb"
      tipId: string
    }
/** Creates, looks up, refreshes and ends sessions. */
export declare class SessionService {
  private readonly store
  private readonly clock
  private readonly timeouts
  private readonly lifetimes
  private readonly endListeners
  constructor(
    store: Store,
    clock: Clock,
    timeouts: () => Promise<IdleTimeouts>,
    lifetimes?: SessionLifetimes,
  )
  /**
   * Calls `listener` with the keys of sessions this service ends (logout, ending all of a user's,
   * expiry), once the deletion is written. Returns the unsubscribe function.
   */
  onEnd(listener: (keys: readonly string[]) => void): () => void
  private ended
  /** Why `session` is over at `now`, or undefined while it lives. */
  private expiry
  /**
   * Whether the session stored under `key` still lives (exists, not idle too long, not past its
   * lifetime), without touching it; an expired one is deleted. Used by push sockets.
   */
  isLive(key: string): Promise<boolean>
  /** Starts a session; returns the token to hand to the client (never stored in clear). */
  create(fields: NewSession): Promise<{
    token: string
    session: Session
  }>
  /** Like {@link create}, inside the caller's batch (so a login lands with its audit entry). */
  createIn(
    batch: Batch,
    fields: NewSession,
  ): {
    token: string
    session: Session
  }
  /**
   * Looks up a token.
   * @returns undefined for an unknown token. @throws RelayError SESSION_EXPIRED when idle too
   *   long or past its absolute lifetime (the session is then deleted).
   */
  authenticate(token: string): Promise<Session | undefined>
  /** Moves a staff session to another stage (after a second factor or a password change). */
  setStage(session: Session, stage: StaffStage): Promise<Session>
  /** Like {@link setStage}, inside the caller's batch. @throws RelayError FORBIDDEN for a WB session. */
  setStageIn(batch: Batch, session: Session, stage: StaffStage): Session
  /** Ends one session. */
  end(session: Session): Promise<void>
  /** Ends every session of a user (password change, disable, delete), optionally keeping one. */
  endAllFor(userId: string, keep?: string): Promise<number>
  /** Like {@link endAllFor}, inside the caller's batch; returns how many sessions it ends. */
  endAllForIn(batch: Batch, userId: string, keep?: string): Promise<number>
  /** Deletes sessions idle past their timeout or past their lifetime (run by the wipe timer). */
  wipeIdle(): Promise<number>
}
