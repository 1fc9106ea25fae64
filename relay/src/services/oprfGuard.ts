import type { RelayContext } from "../context.js"
import type { Clock } from "./clock.js"
import { perContext } from "./perContext.js"
import { ReceiptGuard, type ReceiptGuardPolicy } from "./receiptGuard.js"

// Prices OPRF evaluations node-wide. An evaluation is blinded, so the relay cannot tell whose
// password or which receipt it is for: a per-account or per-tip count would be one an attacker
// could fill in a victim's name (locking them out) or dodge by naming anyone. What bounds a thief
// who holds a copy of the data dir and uses the relay as an oracle is the node-wide price: past
// `threshold` evaluations a minute each one costs more proof of work, doubling rate → +2 bits,
// up to +8 (256× the base work). Never a lock: a real user always gets through at a bounded cost.
// Per-account and per-tip limits stay where the relay can link: the login (LoginGuard) and the
// receipt login (ReceiptGuard).

/** 60 evaluations a minute are free; then +2 bits per doubling, at most +8. */
export const DEFAULT_OPRF_GUARD_POLICY: ReceiptGuardPolicy = {
  windowMs: 60_000,
  threshold: 60,
  stepBits: 2,
  maxExtraBits: 8,
}

/** The node-wide OPRF evaluation price: {@link ReceiptGuard}'s mechanism, counting evaluations. */
export class OprfGuard extends ReceiptGuard {
  constructor(clock: Clock, policy: Partial<ReceiptGuardPolicy> = {}) {
    super(clock, { ...DEFAULT_OPRF_GUARD_POLICY, ...policy })
  }

  /** Counts one evaluation. */
  record(): void {
    this.fail()
  }
}

/** The OPRF guard of a running relay (one per context, in memory). */
export const oprfGuard: (ctx: RelayContext) => OprfGuard = perContext(
  (ctx) => new OprfGuard(ctx.clock),
)
