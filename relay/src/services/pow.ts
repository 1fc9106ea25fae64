import { randomBytes } from "node:crypto"
import { checkPow, type PowChallenge } from "@sotto/crypto-core"
import type { RelayContext } from "../context.js"
import { RelayError } from "../errors.js"
import type { Clock } from "./clock.js"
import { perContext } from "./perContext.js"

/** How the proof-of-work gate behaves. Times in milliseconds. */
export interface PowPolicy {
  /** How long an issued challenge may be redeemed. */
  readonly ttlMs: number
  /** The window over which anonymous writes are counted, and how many it takes to raise the bar. */
  readonly windowMs: number
  readonly threshold: number
  /** Bits added when the count exceeds `threshold`, and again each time it doubles, up to the cap. */
  readonly stepBits: number
  readonly maxExtraBits: number
  /** Outstanding challenges kept at most; the oldest are forgotten first. */
  readonly maxOutstanding: number
}

/** 5-minute challenges; over 30 anonymous writes a minute add 2 bits per doubling, at most 8. */
export const DEFAULT_POW_POLICY: PowPolicy = {
  ttlMs: 5 * 60_000,
  windowMs: 60_000,
  threshold: 30,
  stepBits: 2,
  maxExtraBits: 8,
  maxOutstanding: 100_000,
}

/** The most bits crypto-core accepts. */
const MAX_DIFFICULTY = 32

/**
 * Issues proof-of-work challenges and redeems them once each, before anonymous writes (tip
 * submission, receipt login). The difficulty rises while many anonymous writes arrive. State lives
 * in memory: a restart forgets outstanding challenges (clients fetch a new one).
 */
export class PowGate {
  policy: PowPolicy
  readonly #issued = new Map<string, { difficulty: number; expiresAt: number }>()
  #writes: number[] = []

  constructor(
    private readonly clock: Clock,
    policy: Partial<PowPolicy> = {},
  ) {
    this.policy = { ...DEFAULT_POW_POLICY, ...policy }
  }

  /** The difficulty a challenge issued now gets, on top of the node's `base` bits. */
  difficulty(base: number): number {
    const { threshold, stepBits, maxExtraBits } = this.policy
    const load = this.#recentWrites()
    if (load <= threshold) return Math.min(MAX_DIFFICULTY, base)
    const steps = 1 + Math.floor(Math.log2(load / threshold))
    return Math.min(MAX_DIFFICULTY, base + Math.min(maxExtraBits, steps * stepBits))
  }

  /** Draws a challenge (16 random bytes) at the current difficulty and remembers it. */
  issue(base: number): PowChallenge {
    const now = this.clock.now()
    this.#forgetExpired(now)
    const challenge = randomBytes(16).toString("base64url")
    const difficulty = this.difficulty(base)
    this.#issued.set(challenge, { difficulty, expiresAt: now + this.policy.ttlMs })
    if (this.#issued.size > this.policy.maxOutstanding) {
      const oldest = this.#issued.keys().next().value
      if (oldest !== undefined) this.#issued.delete(oldest)
    }
    return { challenge, difficulty }
  }

  /**
   * Redeems a solution: the challenge must have been issued here, be unexpired and unused, and the
   * nonce must solve it at the difficulty it was issued with. Counts one anonymous write.
   * @throws RelayError BAD_POW (field `body.pow`) otherwise; the challenge is spent either way.
   */
  redeem(solution: { readonly challenge: string; readonly nonce: number }): void {
    const now = this.clock.now()
    const issued = this.#issued.get(solution.challenge)
    this.#issued.delete(solution.challenge)
    if (!issued || issued.expiresAt < now) {
      throw new RelayError(
        "BAD_POW",
        "unknown, used or expired challenge: fetch a new one",
        "body.pow",
      )
    }
    try {
      checkPow({ challenge: solution.challenge, difficulty: issued.difficulty }, solution.nonce)
    } catch {
      throw new RelayError("BAD_POW", "the nonce does not solve the challenge", "body.pow.nonce")
    }
    this.#writes.push(now)
  }

  #recentWrites(): number {
    const since = this.clock.now() - this.policy.windowMs
    const firstRecent = this.#writes.findIndex((at) => at > since)
    this.#writes = firstRecent < 0 ? [] : this.#writes.slice(firstRecent)
    // Beyond this count the extra bits are already at their cap.
    const cap =
      this.policy.threshold * 2 ** Math.ceil(this.policy.maxExtraBits / this.policy.stepBits)
    if (this.#writes.length > cap) this.#writes = this.#writes.slice(-cap)
    return this.#writes.length
  }

  #forgetExpired(now: number): void {
    // Insertion order is issue order, and every challenge lives equally long.
    for (const [challenge, { expiresAt }] of this.#issued) {
      if (expiresAt >= now) return
      this.#issued.delete(challenge)
    }
  }
}

/** The proof-of-work gate of a running relay (one per context, made on first use). */
export const powGate: (ctx: RelayContext) => PowGate = perContext((ctx) => new PowGate(ctx.clock))
