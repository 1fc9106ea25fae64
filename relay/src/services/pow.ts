import { randomBytes } from "node:crypto"
import { type PowChallenge, powBinding, verifyPow } from "@sotto/crypto-core"
import type { RelayContext } from "../context.js"
import { RelayError } from "../errors.js"
import type { Coordinator } from "../shared/coordinator.js"
import type { Clock } from "./clock.js"
import { perContext } from "./perContext.js"
import { readTime, TicketKey, timeBytes } from "./tickets.js"

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
}

/** 5-minute challenges; over 30 anonymous writes a minute add 2 bits per doubling, at most 8. */
export const DEFAULT_POW_POLICY: PowPolicy = {
  ttlMs: 5 * 60_000,
  windowMs: 60_000,
  threshold: 30,
  stepBits: 2,
  maxExtraBits: 8,
}

/** A signed manifest's difficulty range (crypto-core `PowBounds`). */
export interface PowRange {
  readonly minDifficulty: number
  readonly maxDifficulty: number
}

/** `bits` within `range`. */
export function clampBits(bits: number, range: PowRange): number {
  return Math.max(range.minDifficulty, Math.min(range.maxDifficulty, bits))
}

/** The most bits crypto-core accepts. */
const MAX_DIFFICULTY = 32

// A challenge: expiry (6) ‖ difficulty (1) ‖ random (9) ‖ MAC of those 16 bytes (16). SPEC §9.
const SIGNED_BYTES = 16
const CHALLENGE_BYTES = SIGNED_BYTES + 16
const MAC_LABEL = "sotto/v1/pow-challenge"

/**
 * Issues proof-of-work challenges and redeems them once each, before anonymous writes (tip
 * submission, receipt login). Stateless: a challenge carries its expiry and difficulty under the
 * relay's MAC (the coordinator's key: drawn at start for one process, so a restart voids outstanding
 * challenges and clients fetch new ones; shared by every process of a cluster), and only spent
 * challenges are remembered, until they expire, by the coordinator (so one is spent once node-wide). Issuing costs no memory,
 * so no flood of `GET /pow` can evict a challenge already handed out. A proof is bound to the route
 * and body it pays for ({@link powBinding}). The difficulty rises while many anonymous writes
 * arrive.
 */
export class PowGate {
  policy: PowPolicy
  #key: Promise<TicketKey> | undefined

  constructor(
    private readonly clock: Clock,
    private readonly coordinator: Coordinator,
    policy: Partial<PowPolicy> = {},
  ) {
    this.policy = { ...DEFAULT_POW_POLICY, ...policy }
  }

  /** The difficulty a challenge issued now gets, on top of the node's `base` bits. */
  async difficulty(base: number): Promise<number> {
    const { threshold, stepBits, maxExtraBits } = this.policy
    const load = await this.coordinator.count(
      WRITES,
      this.clock.now(),
      this.policy.windowMs,
      this.#cap(),
    )
    if (load <= threshold) return Math.min(MAX_DIFFICULTY, base)
    const steps = 1 + Math.floor(Math.log2(load / threshold))
    return Math.min(MAX_DIFFICULTY, base + Math.min(maxExtraBits, steps * stepBits))
  }

  /**
   * Makes a challenge at the current difficulty plus `extraBits` (a purpose's own surcharge),
   * kept within `bounds` (the signed manifest's): clients refuse anything outside them.
   */
  async issue(base: number, extraBits = 0, bounds?: PowRange): Promise<PowChallenge> {
    const wanted = Math.min(MAX_DIFFICULTY, (await this.difficulty(base)) + extraBits)
    const difficulty = bounds ? clampBits(wanted, bounds) : wanted
    const signed = Buffer.concat([
      timeBytes(this.clock.now() + this.policy.ttlMs),
      Buffer.of(difficulty),
      randomBytes(SIGNED_BYTES - 7),
    ])
    const mac = (await this.#ticketKey()).mac(MAC_LABEL, [signed])
    return { challenge: Buffer.concat([signed, mac]).toString("base64url"), difficulty }
  }

  /** How many spent challenges are remembered now (each until its expiry). */
  spentCount(): Promise<number> {
    return this.coordinator.spentCount(SPENT, this.clock.now())
  }

  /**
   * Redeems a solution for the request it pays for: `route` (the protocol route id) and `body`
   * (the request body without `pow`). The challenge must carry this relay's MAC, be unexpired,
   * unspent and at least `minDifficulty` bits, and the nonce must solve it bound to this request.
   * Spends it and counts one anonymous write; a refused proof is not spent.
   * @throws RelayError BAD_POW (field `body.pow`, or `body.pow.nonce` for a nonce that does not
   *   solve it for this request).
   */
  async redeem(
    solution: { readonly challenge: string; readonly nonce: number },
    route: string,
    body: unknown,
    minDifficulty = 0,
  ): Promise<void> {
    const now = this.clock.now()
    const opened = this.#open(await this.#ticketKey(), solution.challenge)
    if (!opened || opened.expiresAt <= now) {
      throw new RelayError("BAD_POW", "unknown or expired challenge: fetch a new one", "body.pow")
    }
    if (opened.difficulty < minDifficulty) {
      throw new RelayError(
        "BAD_POW",
        "the difficulty has risen since this challenge: fetch a new one",
        "body.pow",
      )
    }
    const bound = { ...opened.challenge, binding: powBinding(route, body) }
    let solved = false
    try {
      solved = verifyPow(bound, solution.nonce)
    } catch {
      solved = false
    }
    if (!solved) {
      throw new RelayError(
        "BAD_POW",
        "the nonce does not solve the challenge for this request",
        "body.pow.nonce",
      )
    }
    if (!(await this.coordinator.spendOnce(SPENT + solution.challenge, opened.expiresAt, now))) {
      throw new RelayError(
        "BAD_POW",
        "this challenge was already used: fetch a new one",
        "body.pow",
      )
    }
    await this.coordinator.hit(WRITES, now, this.policy.windowMs, this.#cap())
  }

  #ticketKey(): Promise<TicketKey> {
    this.#key ??= this.coordinator.key("pow").then((key) => new TicketKey(key))
    return this.#key
  }

  #open(key: TicketKey, challenge: string) {
    const bytes = Buffer.from(challenge, "base64url")
    if (bytes.length !== CHALLENGE_BYTES || bytes.toString("base64url") !== challenge) return
    const signed = bytes.subarray(0, SIGNED_BYTES)
    if (!key.verify(MAC_LABEL, [signed], bytes.subarray(SIGNED_BYTES))) return
    const difficulty = signed[6] ?? 0
    return {
      challenge: { challenge, difficulty },
      difficulty,
      expiresAt: readTime(signed, 0),
    }
  }

  // Beyond this count the extra bits are already at their cap.
  #cap(): number {
    return this.policy.threshold * 2 ** Math.ceil(this.policy.maxExtraBits / this.policy.stepBits)
  }
}

// The coordinator's names: anonymous writes counted, spent challenges remembered.
const WRITES = "pow-writes"
const SPENT = "pow:"

/** The proof-of-work gate of a running relay (one per context, made on first use). */
export const powGate: (ctx: RelayContext) => PowGate = perContext(
  (ctx) => new PowGate(ctx.clock, ctx.coordinator),
)
