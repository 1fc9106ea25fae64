import { createHash, timingSafeEqual } from "node:crypto"
import { generateAgeIdentity, recipientOf, sealRecoveryChallenge } from "@sotto/crypto-core"
import type { Clock } from "./clock.js"
import { newId } from "./ids.js"

// Outstanding recovery-key challenges (routes/accountsRecovery.ts). In memory like the login guard
// and the PoW gate: a restart forgets them and the client asks for a new one.

/** How long a challenge can be answered. */
export const RECOVERY_CHALLENGE_TTL = 5 * 60_000

/** At most this many challenges are kept; the oldest go first. */
const MAX_OUTSTANDING = 10_000

interface Outstanding {
  /** The normalised login name asked for (the login guard's key). */
  readonly username: string
  /** The account the challenge was sealed to; undefined for a decoy (no usable account). */
  readonly userId: string | undefined
  readonly nonceHash: Buffer
  readonly expiresAt: number
}

/** An answered challenge: the account it was for (undefined for a decoy) and whether it was right. */
export interface Answered {
  readonly username: string
  readonly userId: string | undefined
  /** True when the challenge was live and the nonce right. */
  readonly ok: boolean
}

/**
 * Issues and checks recovery challenges: the fixed v2 format (crypto-core `sealRecoveryChallenge`,
 * SPEC §3: a label line and 32 random bytes) sealed to a recovery recipient.
 */
export class RecoveryChallenges {
  readonly #byId = new Map<string, Outstanding>()
  readonly #byName = new Map<string, string>()

  constructor(private readonly clock: Clock) {}

  /**
   * Seals a fresh nonce to `recipient` (the account's recovery recipient), or, without one, to a
   * random recipient nobody holds, so the answer has the same shape either way. Replaces any
   * earlier challenge for `username`.
   * @returns the id to answer with and the armored age file.
   */
  async issue(
    username: string,
    target: { readonly userId: string; readonly recipient: string } | undefined,
  ): Promise<{ challengeId: string; sealed: string }> {
    const recipient = target?.recipient ?? (await recipientOf(generateAgeIdentity()))
    const { nonce, sealed } = await sealRecoveryChallenge(recipient)
    const challengeId = newId()
    this.#sweep()
    const earlier = this.#byName.get(username)
    if (earlier !== undefined) this.#byId.delete(earlier)
    this.#byId.set(challengeId, {
      username,
      userId: target?.userId,
      nonceHash: hash(nonce),
      expiresAt: this.clock.now() + RECOVERY_CHALLENGE_TTL,
    })
    this.#byName.set(username, challengeId)
    if (this.#byId.size > MAX_OUTSTANDING) {
      const oldest = this.#byId.keys().next().value
      if (oldest !== undefined) this.#forget(oldest)
    }
    return { challengeId, sealed }
  }

  /** The login name a live challenge was issued for, without spending it (to pick the guard key). */
  usernameOf(challengeId: string): string | undefined {
    const found = this.#byId.get(challengeId)
    return found && found.expiresAt > this.clock.now() ? found.username : undefined
  }

  /**
   * Spends the challenge, right or wrong, and checks `nonce` against it.
   * @returns who it was for and whether the answer holds; undefined for an unknown id.
   */
  answer(challengeId: string, nonce: Uint8Array): Answered | undefined {
    const found = this.#byId.get(challengeId)
    if (!found) return undefined
    this.#forget(challengeId)
    const live = found.expiresAt > this.clock.now()
    const ok = timingSafeEqual(hash(nonce), found.nonceHash) && live
    return { username: found.username, userId: found.userId, ok }
  }

  #forget(challengeId: string): void {
    const found = this.#byId.get(challengeId)
    this.#byId.delete(challengeId)
    if (found && this.#byName.get(found.username) === challengeId) {
      this.#byName.delete(found.username)
    }
  }

  // Drops expired challenges (called on issue, so the map never grows with dead entries).
  #sweep(): void {
    const now = this.clock.now()
    for (const [id, c] of this.#byId) {
      if (c.expiresAt <= now) this.#forget(id)
    }
  }
}

function hash(bytes: Uint8Array): Buffer {
  return createHash("sha256").update("sotto/v1/recovery-challenge/").update(bytes).digest()
}
