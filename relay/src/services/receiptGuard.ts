import type { RelayContext } from "../context.js"
import { RelayError } from "../errors.js"
import type { Clock } from "./clock.js"
import { perContext } from "./perContext.js"

/** The node-wide limit on failed receipt logins. */
export interface ReceiptGuardPolicy {
  readonly windowMs: number
  /** Failures allowed within `windowMs`; once reached, every receipt login waits. */
  readonly maxFailures: number
}

/** At most 10 failed receipt logins a minute across the node. */
export const DEFAULT_RECEIPT_GUARD_POLICY: ReceiptGuardPolicy = {
  windowMs: 60_000,
  maxFailures: 10,
}

/**
 * Slows receipt guessing. Receipts are anonymous, so there is no account to lock: failures are
 * counted node-wide, and once `maxFailures` fall within `windowMs` every receipt login is refused
 * until the oldest of them leaves the window. In memory: a restart forgets the count.
 */
export class ReceiptGuard {
  policy: ReceiptGuardPolicy
  #failures: number[] = []

  constructor(
    private readonly clock: Clock,
    policy: Partial<ReceiptGuardPolicy> = {},
  ) {
    this.policy = { ...DEFAULT_RECEIPT_GUARD_POLICY, ...policy }
  }

  /** @throws RelayError RATE_LIMITED (with `retryAfter` in seconds) while the limit is reached. */
  check(): void {
    const now = this.clock.now()
    this.#failures = this.#failures.filter((at) => now - at < this.policy.windowMs)
    const oldest = this.#failures[0]
    if (oldest !== undefined && this.#failures.length >= this.policy.maxFailures) {
      const wait = Math.max(1, Math.ceil((oldest + this.policy.windowMs - now) / 1000))
      throw new RelayError(
        "RATE_LIMITED",
        "too many failed receipt logins on this node; try again shortly",
        undefined,
        wait,
      )
    }
  }

  /** Counts one failed receipt login. */
  fail(): void {
    this.#failures.push(this.clock.now())
    if (this.#failures.length > this.policy.maxFailures) this.#failures.shift()
  }
}

/** The receipt login guard of a running relay (one per context, made on first use). */
export const receiptGuard: (ctx: RelayContext) => ReceiptGuard = perContext(
  (ctx) => new ReceiptGuard(ctx.clock),
)
