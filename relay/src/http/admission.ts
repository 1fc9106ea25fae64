import { RelayError } from "../errors.js"

// Global and per-session caps on what requests may hold at once: requests in flight, bodies
// being received and bytes buffered. Everything is counted when taken and given back when the
// request ends (answered or aborted), so a flood can fill the caps but never push memory past them.

/** The caps, all positive integers. */
export interface AdmissionLimits {
  /** Requests being served at once, whatever they are. */
  readonly maxRequests: number
  /** Request body bytes buffered at once, node-wide. */
  readonly maxBodyBytes: number
  /** Bodies received at once from anonymous callers (no session, or a whistleblower's). */
  readonly maxAnonBodies: number
  /** Body bytes buffered at once for anonymous callers. */
  readonly maxAnonBodyBytes: number
  /** Bodies received at once under one session. */
  readonly maxSessionBodies: number
  /** Body bytes buffered at once under one session. */
  readonly maxSessionBodyBytes: number
  /** Body bytes buffered at once before their callers are identified (what arrived with the headers). */
  readonly maxUnidentifiedBodyBytes: number
}

/** Defaults: room for a few hundred busy clients in well under 200 MiB of buffered bodies. */
export const DEFAULT_ADMISSION_LIMITS: AdmissionLimits = {
  maxRequests: 512,
  maxBodyBytes: 96 * 1024 * 1024,
  maxAnonBodies: 48,
  maxAnonBodyBytes: 48 * 1024 * 1024,
  maxSessionBodies: 4,
  maxSessionBodyBytes: 8 * 1024 * 1024,
  maxUnidentifiedBodyBytes: 16 * 1024 * 1024,
}

/** Seconds a refused client is asked to wait. */
export const RETRY_AFTER_FULL = 5
export const RETRY_AFTER_SESSION = 2

/** One request's hold on the caps; `release` gives everything back (safe to call twice). */
export interface Ticket {
  /** Joins the per-session and anonymous counts once the caller is known. @throws RelayError */
  bind(who: { readonly sessionKey?: string | undefined; readonly anonymous: boolean }): void
  /** Counts `n` more buffered body bytes. @throws RelayError OVERLOADED or RATE_LIMITED past a cap. */
  addBytes(n: number): void
  release(): void
}

interface SessionCount {
  bodies: number
  bytes: number
}

/** The counters behind the caps, one per relay. */
export class Admission {
  private requests = 0
  private bytes = 0
  private anonBodies = 0
  private anonBytes = 0
  private unidentifiedBytes = 0
  private readonly perSession = new Map<string, SessionCount>()

  constructor(readonly limits: AdmissionLimits = DEFAULT_ADMISSION_LIMITS) {}

  /** What is held now (for tests and the console). */
  snapshot(): {
    requests: number
    bytes: number
    unidentifiedBytes: number
    anonBodies: number
    sessions: number
  } {
    return {
      requests: this.requests,
      bytes: this.bytes,
      unidentifiedBytes: this.unidentifiedBytes,
      anonBodies: this.anonBodies,
      sessions: this.perSession.size,
    }
  }

  /**
   * Takes a request slot.
   * @throws RelayError OVERLOADED (503, Retry-After) when `maxRequests` are already in flight.
   */
  enter(hasBody: boolean): Ticket {
    if (this.requests >= this.limits.maxRequests) throw full("too many requests in flight")
    this.requests++
    let bytes = 0
    // Bytes that arrived before `bind`, counted against the unidentified cap until then.
    let early = 0
    let bound = false
    let anonymous = false
    let session: SessionCount | undefined
    let sessionKey: string | undefined
    let released = false
    return {
      bind: (who) => {
        if (!hasBody || released) return
        if (who.sessionKey !== undefined) {
          const count = this.perSession.get(who.sessionKey) ?? { bodies: 0, bytes: 0 }
          if (count.bodies >= this.limits.maxSessionBodies)
            throw busy("this session already has the most uploads in flight")
          count.bodies++
          this.perSession.set(who.sessionKey, count)
          session = count
          sessionKey = who.sessionKey
        }
        if (who.anonymous) {
          if (this.anonBodies >= this.limits.maxAnonBodies) {
            this.unbindSession(session, sessionKey, 0)
            session = undefined
            throw full("too many anonymous uploads in flight")
          }
          this.anonBodies++
          anonymous = true
        }
        // Bytes that arrived while the caller was being identified now count for it too.
        if (session) session.bytes += bytes
        if (anonymous) this.anonBytes += bytes
        bound = true
        this.unidentifiedBytes -= early
      },
      addBytes: (n) => {
        if (released) return
        if (this.bytes + n > this.limits.maxBodyBytes) throw full("too many bytes in flight")
        if (!bound && this.unidentifiedBytes + n > this.limits.maxUnidentifiedBodyBytes)
          throw full("too many bytes from callers not yet identified")
        if (anonymous && this.anonBytes + n > this.limits.maxAnonBodyBytes)
          throw full("too many anonymous bytes in flight")
        if (session && session.bytes + n > this.limits.maxSessionBodyBytes)
          throw busy("this session has too many bytes in flight")
        bytes += n
        this.bytes += n
        if (!bound) {
          early += n
          this.unidentifiedBytes += n
        }
        if (anonymous) this.anonBytes += n
        if (session) session.bytes += n
      },
      release: () => {
        if (released) return
        released = true
        this.requests--
        this.bytes -= bytes
        if (!bound) this.unidentifiedBytes -= early
        if (anonymous) {
          this.anonBodies--
          this.anonBytes -= bytes
        }
        this.unbindSession(session, sessionKey, bytes)
      },
    }
  }

  private unbindSession(count: SessionCount | undefined, key: string | undefined, bytes: number) {
    if (!count || key === undefined) return
    count.bodies--
    count.bytes -= bytes
    if (count.bodies <= 0) this.perSession.delete(key)
  }
}

function full(why: string): RelayError {
  return new RelayError(
    "OVERLOADED",
    `the relay is busy (${why}); try again shortly`,
    undefined,
    RETRY_AFTER_FULL,
  )
}

function busy(why: string): RelayError {
  return new RelayError(
    "RATE_LIMITED",
    `slow down: ${why}; try again shortly`,
    undefined,
    RETRY_AFTER_SESSION,
  )
}
