import { randomBytes, timingSafeEqual } from "node:crypto"
import { generateAgeIdentity, recipientOf, sealRecoveryChallenge } from "@sotto/crypto-core"
import type { Coordinator } from "../shared/coordinator.js"
import type { Clock } from "./clock.js"
import { readTime, TicketKey, timeBytes } from "./tickets.js"

// Recovery-key challenges (routes/accountsRecovery.ts), stateless: the challenge id carries its
// expiry, a salt and the account id (encrypted), all under the relay's MAC, and the nonce is
// derived from them. Nothing is kept per challenge until it is spent, so asking for challenges,
// for one name or many, can never cancel or evict the one the owner is answering.

/** How long a challenge can be answered. */
export const RECOVERY_CHALLENGE_TTL = 5 * 60_000

const ID_BYTES = 16
// expiry (6) ‖ salt (8) ‖ account id XOR pad (16) ‖ MAC (16): 46 bytes, 62 base64url characters.
const SALT_BYTES = 8
const TICKET_BYTES = 6 + SALT_BYTES + ID_BYTES + 16

/** An answered challenge: the account id it was sealed for (a random one for a decoy), and whether it holds. */
export interface Answered {
  readonly userId: string
  /** True when the challenge was live, unspent and the nonce right. */
  readonly ok: boolean
}

/**
 * Issues and checks recovery challenges: the fixed v2 format (crypto-core `sealRecoveryChallenge`,
 * SPEC §3: a label line and 32 bytes) sealed to a recovery recipient.
 */
export class RecoveryChallenges {
  #key: Promise<TicketKey> | undefined

  /** `coordinator` keeps the MAC key (shared by a cluster's processes) and the spent ids. */
  constructor(
    private readonly clock: Clock,
    private readonly coordinator: Coordinator,
  ) {}

  /**
   * Seals a fresh nonce to `target.recipient` (the account's recovery recipient), or, without a
   * target, to a random recipient nobody holds for a random account id, so the answer has the
   * same shape either way.
   * @returns the id to answer with and the armored age file.
   */
  async issue(
    target: { readonly userId: string; readonly recipient: string } | undefined,
  ): Promise<{ challengeId: string; sealed: string }> {
    const key = await this.#ticketKey()
    const id = target ? idBytes(target.userId) : undefined
    const userId = id ?? randomBytes(ID_BYTES)
    const expiry = timeBytes(this.clock.now() + RECOVERY_CHALLENGE_TTL)
    const salt = randomBytes(SALT_BYTES)
    const pad = key.mac("sotto/v1/recovery-id", [expiry, salt], ID_BYTES)
    const hidden = Buffer.from(userId.map((b, i) => b ^ (pad[i] ?? 0)))
    const mac = key.mac("sotto/v1/recovery-challenge", [expiry, salt, hidden])
    const nonce = key.mac("sotto/v1/recovery-nonce", [expiry, salt, userId], 32)
    const recipient = target && id ? target.recipient : await recipientOf(generateAgeIdentity())
    const { sealed } = await sealRecoveryChallenge(recipient, nonce)
    return { challengeId: Buffer.concat([expiry, salt, hidden, mac]).toString("base64url"), sealed }
  }

  /**
   * The account id a challenge was issued for, when the id is one this relay made (expired or not),
   * without spending it (to pick the guard key).
   */
  async userIdOf(challengeId: string): Promise<string | undefined> {
    return this.#open(await this.#ticketKey(), challengeId)?.userId
  }

  /**
   * Spends the challenge, right or wrong, and checks `nonce` against it.
   * @returns who it was for and whether the answer holds; undefined for an id not made here.
   */
  async answer(challengeId: string, nonce: Uint8Array): Promise<Answered | undefined> {
    const opened = this.#open(await this.#ticketKey(), challengeId)
    if (!opened) return undefined
    const now = this.clock.now()
    const live = opened.expiresAt > now
    const fresh =
      live && (await this.coordinator.spendOnce(`recovery:${challengeId}`, opened.expiresAt, now))
    const right = nonce.length === 32 && timingSafeEqual(opened.nonce, nonce)
    return { userId: opened.userId, ok: right && fresh }
  }

  #ticketKey(): Promise<TicketKey> {
    this.#key ??= this.coordinator.key("recovery").then((key) => new TicketKey(key))
    return this.#key
  }

  #open(key: TicketKey, challengeId: string) {
    const bytes = Buffer.from(challengeId, "base64url")
    if (bytes.length !== TICKET_BYTES || bytes.toString("base64url") !== challengeId) return
    const expiry = bytes.subarray(0, 6)
    const salt = bytes.subarray(6, 6 + SALT_BYTES)
    const hidden = bytes.subarray(6 + SALT_BYTES, 6 + SALT_BYTES + ID_BYTES)
    const mac = bytes.subarray(6 + SALT_BYTES + ID_BYTES)
    if (!key.verify("sotto/v1/recovery-challenge", [expiry, salt, hidden], mac)) return
    const pad = key.mac("sotto/v1/recovery-id", [expiry, salt], ID_BYTES)
    const userId = Buffer.from(hidden.map((b, i) => b ^ (pad[i] ?? 0)))
    const nonce = key.mac("sotto/v1/recovery-nonce", [expiry, salt, userId], 32)
    return { userId: userId.toString("base64url"), expiresAt: readTime(expiry, 0), nonce }
  }
}

// Record ids are 16 random bytes in base64url (services/ids.ts); anything else cannot be carried.
function idBytes(userId: string): Buffer | undefined {
  const bytes = Buffer.from(userId, "base64url")
  return bytes.length === ID_BYTES && bytes.toString("base64url") === userId ? bytes : undefined
}
