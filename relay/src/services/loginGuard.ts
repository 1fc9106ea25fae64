import { createHmac } from "node:crypto"
import { RelayError } from "../errors.js"
import type { Coordinator } from "../shared/coordinator.js"
import type { Store } from "../store/store.js"
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
  /**
   * Names that belong to no account, tracked in memory at most (the stalest are forgotten first),
   * and when a quiet count is dropped. Real accounts' counts live in the store and are never evicted.
   */
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

/** Whether a count belongs to a real account (kept in the store) or to a name nobody holds. */
export interface AttemptOptions {
  /** True for an existing account: its count is persisted and cannot be evicted. */
  readonly known: boolean
}

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
 * The count of a real account (`known`) lives in the store's `guards` sublevel: it survives a
 * restart and no flood of other names can evict it. Names that belong to no account are tracked
 * the same way but in a bounded map (`maxTracked`): a flood can only evict other invented names, and
 * a lockout still reveals nothing about which names exist unless 10,000 other names were flooded
 * meanwhile. Counts are kept by key, one kind per key (password: the login name; `2FA/`,
 * `RECOVERY/`… prefixes for the other kinds), so one kind never resets or evicts another. Anyone
 * who knows a username can lock its password for `lockMs`; the owner still gets in with a second
 * factor or the recovery key (relay/README.md "Account lockout").
 *
 * Across processes (a shared {@link Coordinator}): attempts on one account queue on a lock every
 * process honours, the node-wide failure count is the coordinator's, and names nobody holds are
 * kept in the store as `maxTracked` buckets picked by a keyed hash of the name (the name itself is
 * never stored; a flood can only overwrite other invented names, and cannot aim at one).
 */
export class LoginGuard {
  /** Waits out a delay. Replaceable: tests record the delays instead of waiting. */
  sleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
  readonly policy: LoginGuardPolicy
  readonly #unknown = new Map<string, AccountState>()

  constructor(
    private readonly clock: Clock,
    private readonly store: Store,
    private readonly coordinator: Coordinator,
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
  async attempt<T>(
    account: string,
    verify: () => Promise<T | undefined>,
    options: AttemptOptions,
  ): Promise<T | undefined> {
    return this.coordinator.withLock(`login:${account}`, () =>
      this.#run(account, verify, options.known),
    )
  }

  /** Whether `account` is locked now (for the lock bypass with a second factor). */
  async isLocked(account: string, options: AttemptOptions): Promise<boolean> {
    const now = this.clock.now()
    return ((await this.#state(account, now, options.known))?.lockedUntil ?? 0) > now
  }

  /** Counts one failure on `account` outside {@link attempt} (a wrong password after a bypass). */
  async recordFailure(account: string, options: AttemptOptions): Promise<void> {
    await this.#fail(account, options.known)
  }

  /** Clears `account`'s count (a correct password proven through the lock bypass). */
  async reset(account: string, options: AttemptOptions): Promise<void> {
    await this.#forget(account, options.known)
  }

  /** The wait (ms) the next attempt on `account` would get now, lockout aside. */
  async delayFor(account: string, options: AttemptOptions): Promise<number> {
    const now = this.clock.now()
    const failures = (await this.#state(account, now, options.known))?.failures ?? 0
    return this.#delay(failures, now)
  }

  async #delay(failures: number, now: number): Promise<number> {
    const { freeFailures, baseDelayMs, maxDelayMs } = this.policy
    const own =
      failures < freeFailures
        ? 0
        : Math.min(maxDelayMs, baseDelayMs * 2 ** (failures - freeFailures))
    return own + ((await this.#globalBusy(now)) ? this.policy.globalDelayMs : 0)
  }

  async #run<T>(
    account: string,
    verify: () => Promise<T | undefined>,
    known: boolean,
  ): Promise<T | undefined> {
    const now = this.clock.now()
    const state = await this.#state(account, now, known)
    if (state && state.lockedUntil > now) {
      throw new RelayError(
        "LOCKED",
        "too many failed logins on this account; try again later",
        undefined,
        Math.ceil((state.lockedUntil - now) / 1000),
      )
    }
    const delay = await this.#delay(state?.failures ?? 0, now)
    if (delay > 0) await this.sleep(delay)
    const result = await verify()
    if (result === undefined) await this.#fail(account, known)
    else if (state) await this.#forget(account, known)
    return result
  }

  // The account's state, after ending an expired lock and forgetting a long-quiet account.
  async #state(account: string, now: number, known: boolean): Promise<AccountState | undefined> {
    const stored = known
      ? await this.store.get<AccountState>("guards", guardKey(account))
      : await this.#getUnknown(account)
    if (!stored) return undefined
    const state = { ...stored }
    if (state.lockedUntil > 0 && state.lockedUntil <= now) {
      state.lockedUntil = 0
      state.failures = this.policy.freeFailures
    }
    if (state.lockedUntil === 0 && now - state.lastFailureAt > this.policy.forgetAfterMs) {
      await this.#forget(account, known)
      return undefined
    }
    return state
  }

  async #forget(account: string, known: boolean): Promise<void> {
    if (known) await this.store.batch().del("guards", guardKey(account)).write()
    else if (this.coordinator.shared) {
      const { key, tag } = await this.#bucket(account)
      const held = await this.store.get<UnknownBucket>("guards", key)
      if (held?.tag === tag) await this.store.batch().del("guards", key).write()
    } else this.#unknown.delete(account)
  }

  async #fail(account: string, known: boolean): Promise<void> {
    const now = this.clock.now()
    const state = (await this.#state(account, now, known)) ?? {
      failures: 0,
      lockedUntil: 0,
      lastFailureAt: now,
    }
    state.failures++
    state.lastFailureAt = now
    if (state.failures >= this.policy.lockAfter) state.lockedUntil = now + this.policy.lockMs
    if (known) {
      await this.store.put("guards", guardKey(account), state)
    } else if (this.coordinator.shared) {
      const { key, tag } = await this.#bucket(account)
      await this.store.put("guards", key, { tag, ...state } satisfies UnknownBucket)
    } else {
      // Re-inserting keeps the map in least-recently-failed order, so eviction drops the stalest.
      this.#unknown.delete(account)
      this.#unknown.set(account, state)
      if (this.#unknown.size > this.policy.maxTracked) {
        const stalest = this.#unknown.keys().next().value
        if (stalest !== undefined) this.#unknown.delete(stalest)
      }
    }
    const { globalWindowMs, globalThreshold } = this.policy
    // At most globalThreshold + 1 failure times are kept: enough to tell "more than".
    await this.coordinator.hit(GLOBAL, now, globalWindowMs, globalThreshold + 1)
  }

  async #globalBusy(now: number): Promise<boolean> {
    const { globalWindowMs, globalThreshold } = this.policy
    const recent = await this.coordinator.count(GLOBAL, now, globalWindowMs, globalThreshold + 1)
    return recent > globalThreshold
  }

  async #getUnknown(account: string): Promise<AccountState | undefined> {
    if (!this.coordinator.shared) return this.#unknown.get(account)
    const { key, tag } = await this.#bucket(account)
    const held = await this.store.get<UnknownBucket>("guards", key)
    if (held?.tag !== tag) return undefined
    return {
      failures: held.failures,
      lockedUntil: held.lockedUntil,
      lastFailureAt: held.lastFailureAt,
    }
  }

  // The bucket of a name nobody holds: a keyed hash, so nobody can pick which name a flood evicts.
  async #bucket(account: string): Promise<{ key: string; tag: string }> {
    const digest = createHmac("sha256", await this.coordinator.key("login-buckets"))
      .update(account)
      .digest()
    const bucket = digest.readUInt32BE(0) % this.policy.maxTracked
    return { key: `unknown/${bucket}`, tag: digest.subarray(4, 20).toString("base64url") }
  }
}

// The coordinator's counter of failures on any account.
const GLOBAL = "login-failures"

interface UnknownBucket extends AccountState {
  /** A keyed hash of the name holding the bucket. */
  readonly tag: string
}

// One record per account and kind in the `guards` sublevel.
function guardKey(account: string): string {
  return `login/${account}`
}
