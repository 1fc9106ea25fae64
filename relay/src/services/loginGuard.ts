import { RelayError } from "../errors.js"
import type { Clock } from "./clock.js"

/** The limits of the brute-force defence. Times in milliseconds. */
export interface LoginGuardPolicy {
  /** Consecutive failures on one account that cost nothing; each further attempt waits. */
  readonly freeFailures: number
  /** The first wait; it doubles with every further failure, up to `maxDelayMs`. */
  readonly baseDelayMs: number
  readonly maxDelayMs: number
  /** Consecutive failures that lock the account, and for how long. */
  readonly lockAfter: number
  readonly lockMs: number
  /** More than `globalThreshold` failures in `globalWindowMs`, on any accounts, slows every login. */
  readonly globalWindowMs: number
  readonly globalThreshold: number
  readonly globalDelayMs: number
  /** Accounts tracked at most (the stalest are forgotten first), and when a quiet one is dropped. */
  readonly maxTracked: number
  readonly forgetAfterMs: number
}

/** 5 free failures, then 250 ms doubling; 10 failures lock for 15 minutes; >10 failures/min slow all. */
export const DEFAULT_LOGIN_POLICY: LoginGuardPolicy = {
  freeFailures: 5,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  lockAfter: 10,
  lockMs: 15 * 60_000,
  globalWindowMs: 60_000,
  globalThreshold: 10,
  globalDelayMs: 1_000,
  maxTracked: 10_000,
  forgetAfterMs: 24 * 60 * 60_000,
}

/** Waits `ms` milliseconds. */
export type Sleep = (ms: number) => Promise<void>

interface AccountState {
  failures: number
  lockedUntil: number
  lastFailureAt: number
}

/**
 * Slows down and locks out password guessing. Attempts on one account run one after another, so
 * parallel requests cannot skip the wait. Per account: after `freeFailures` consecutive failures
 * each attempt waits a doubling delay; at `lockAfter` the account is locked (423 LOCKED with
 * Retry-After) for `lockMs`, after which it is back at `freeFailures`. Globally: more than
 * `globalThreshold` failures within `globalWindowMs` add `globalDelayMs` to every attempt.
 *
 * State lives in memory: a restart forgets it, and several relay processes would each count their
 * own failures (a multi-process deployment needs a shared store for this). Unknown accounts are
 * tracked like real ones, so a lockout reveals nothing about which names exist. Anyone who knows a
 * username can lock it for `lockMs`: the price of refusing unlimited guesses.
 */
export class LoginGuard {
  /** Waits out a delay. Replaceable: tests record the delays instead of waiting. */
  sleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
  readonly policy: LoginGuardPolicy
  readonly #accounts = new Map<string, AccountState>()
  readonly #queues = new Map<string, Promise<unknown>>()
  // The most recent failure times, at most globalThreshold + 1 of them: enough to tell "more than".
  #recent: number[] = []

  constructor(
    private readonly clock: Clock,
    policy: Partial<LoginGuardPolicy> = {},
  ) {
    this.policy = { ...DEFAULT_LOGIN_POLICY, ...policy }
  }

  /**
   * Runs one attempt on `account` (a normalised username): refuses while locked, waits the current
   * delay, then calls `verify`. A result of `undefined` counts as a failure and is returned as is;
   * anything else resets the account's count. If `verify` throws, nothing is counted.
   * @throws RelayError LOCKED (with `retryAfter` in seconds) while the account is locked.
   */
  async attempt<T>(account: string, verify: () => Promise<T | undefined>): Promise<T | undefined> {
    const previous = this.#queues.get(account) ?? Promise.resolve()
    const run = previous.then(() => this.#run(account, verify))
    const tail = run.catch(() => undefined)
    this.#queues.set(account, tail)
    try {
      return await run
    } finally {
      if (this.#queues.get(account) === tail) this.#queues.delete(account)
    }
  }

  /** The wait (ms) the next attempt on `account` would get now, lockout aside. */
  delayFor(account: string): number {
    const now = this.clock.now()
    const failures = this.#state(account, now)?.failures ?? 0
    const { freeFailures, baseDelayMs, maxDelayMs } = this.policy
    const own =
      failures < freeFailures
        ? 0
        : Math.min(maxDelayMs, baseDelayMs * 2 ** (failures - freeFailures))
    return own + (this.#globalBusy(now) ? this.policy.globalDelayMs : 0)
  }

  async #run<T>(account: string, verify: () => Promise<T | undefined>): Promise<T | undefined> {
    const now = this.clock.now()
    const state = this.#state(account, now)
    if (state && state.lockedUntil > now) {
      throw new RelayError(
        "LOCKED",
        "too many failed logins on this account; try again later",
        undefined,
        Math.ceil((state.lockedUntil - now) / 1000),
      )
    }
    const delay = this.delayFor(account)
    if (delay > 0) await this.sleep(delay)
    const result = await verify()
    if (result === undefined) this.#fail(account)
    else this.#accounts.delete(account)
    return result
  }

  // The account's state, after ending an expired lock and forgetting a long-quiet account.
  #state(account: string, now: number): AccountState | undefined {
    const state = this.#accounts.get(account)
    if (!state) return undefined
    if (state.lockedUntil > 0 && state.lockedUntil <= now) {
      state.lockedUntil = 0
      state.failures = this.policy.freeFailures
    }
    if (state.lockedUntil === 0 && now - state.lastFailureAt > this.policy.forgetAfterMs) {
      this.#accounts.delete(account)
      return undefined
    }
    return state
  }

  #fail(account: string): void {
    const now = this.clock.now()
    const state = this.#state(account, now) ?? { failures: 0, lockedUntil: 0, lastFailureAt: now }
    state.failures++
    state.lastFailureAt = now
    if (state.failures >= this.policy.lockAfter) state.lockedUntil = now + this.policy.lockMs
    // Re-inserting keeps the map in least-recently-failed order, so eviction drops the stalest.
    this.#accounts.delete(account)
    this.#accounts.set(account, state)
    if (this.#accounts.size > this.policy.maxTracked) {
      const stalest = this.#accounts.keys().next().value
      if (stalest !== undefined) this.#accounts.delete(stalest)
    }
    this.#recent.push(now)
    if (this.#recent.length > this.policy.globalThreshold + 1) this.#recent.shift()
  }

  #globalBusy(now: number): boolean {
    this.#recent = this.#recent.filter((at) => now - at < this.policy.globalWindowMs)
    return this.#recent.length > this.policy.globalThreshold
  }
}
