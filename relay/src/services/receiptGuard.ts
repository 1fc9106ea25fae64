import type { RelayContext } from "../context.js"
import type { Coordinator } from "../shared/coordinator.js"
import type { Clock } from "./clock.js"
import { perContext } from "./perContext.js"

/** How failed receipt logins raise the price of the next ones. */
export interface ReceiptGuardPolicy {
  readonly windowMs: number
  /** Failures within `windowMs` that cost nothing extra. */
  readonly threshold: number
  /** Bits of proof of work added past `threshold`, and again each time the count doubles. */
  readonly stepBits: number
  /** The most bits ever added: what bounds a real whistleblower's wait during a flood. */
  readonly maxExtraBits: number
}

/** Past 10 failures a minute, +2 bits per doubling, at most +6 (64 times the base work). */
export const DEFAULT_RECEIPT_GUARD_POLICY: ReceiptGuardPolicy = {
  windowMs: 60_000,
  threshold: 10,
  stepBits: 2,
  maxExtraBits: 6,
}

/**
 * Prices receipt guessing without locking anyone out. Receipts are anonymous, so there is no
 * account to lock, and a node-wide lock would let ten wrong guesses a minute keep every
 * whistleblower away. Instead each receipt login pays a proof of work whose difficulty rises with
 * the node-wide failure rate, up to `maxExtraBits`: a guessing flood gets slower and slower, and a
 * real receipt still logs in, at a bounded extra cost. Memory is bounded: only as many failure
 * times as it takes to reach the cap are kept. The count is the coordinator's: node-wide across
 * processes when they share one; in memory alone, a restart forgets the rate.
 */
export class ReceiptGuard {
  policy: ReceiptGuardPolicy

  constructor(
    private readonly clock: Clock,
    private readonly coordinator: Coordinator,
    policy: Partial<ReceiptGuardPolicy> = {},
    /** The coordinator's counter this guard keeps (one per guard kind). */
    private readonly counter = "receipt-failures",
  ) {
    this.policy = { ...DEFAULT_RECEIPT_GUARD_POLICY, ...policy }
  }

  /** The proof-of-work bits a receipt login costs now on top of the node's difficulty. */
  async extraBits(): Promise<number> {
    const { threshold, stepBits, maxExtraBits } = this.policy
    const count = await this.coordinator.count(
      this.counter,
      this.clock.now(),
      this.policy.windowMs,
      this.#cap(),
    )
    if (count <= threshold) return 0
    const steps = 1 + Math.floor(Math.log2(count / threshold))
    return Math.min(maxExtraBits, steps * stepBits)
  }

  /** Counts one failed receipt login. */
  async fail(): Promise<void> {
    await this.coordinator.hit(this.counter, this.clock.now(), this.policy.windowMs, this.#cap())
  }

  // Beyond this count the extra bits are already at their cap.
  #cap(): number {
    const { threshold, stepBits, maxExtraBits } = this.policy
    return threshold * 2 ** Math.ceil(maxExtraBits / stepBits)
  }
}

/** The receipt login guard of a running relay (one per context, made on first use). */
export const receiptGuard: (ctx: RelayContext) => ReceiptGuard = perContext(
  (ctx) => new ReceiptGuard(ctx.clock, ctx.coordinator),
)
