import { hkdf } from "@noble/hashes/hkdf.js"
import { hmac } from "@noble/hashes/hmac.js"
import { sha256 } from "@noble/hashes/sha2.js"
import { randomBytes } from "@noble/hashes/utils.js"
import { expectBytes, expectBytesBetween, expectInteger, expectString } from "./_validate.js"
import { type AgeIdentity, type AgeRecipient, identityFromSecret, recipientOf } from "./age.js"
import { concatBytes, constantTimeEqual, utf8 } from "./encoding.js"
import { CryptoError } from "./errors.js"
import { activeScrypt } from "./scrypt.js"

/** scrypt cost parameters, stored per account (and per node for receipts) as plain data. */
export interface KdfParams {
  /** CPU/memory cost, a power of two. */
  readonly N: number
  readonly r: number
  readonly p: number
}

/** The default for accounts: N = 2^17 (see bench/results for the cost against native scrypt). */
export const DEFAULT_KDF_PARAMS: KdfParams = Object.freeze({ N: 2 ** 17, r: 8, p: 1 })
/** The floor: anything cheaper than N = 2^15, r = 8 is refused with `WEAK_PARAMS`. */
export const MIN_KDF_PARAMS: KdfParams = Object.freeze({ N: 2 ** 15, r: 8, p: 1 })
/** The ceiling, so that a hostile relay cannot make a phone hang or run out of memory. */
export const MAX_KDF_PARAMS: KdfParams = Object.freeze({ N: 2 ** 20, r: 16, p: 4 })

/**
 * The range of scrypt parameters a node accepts for a use (accounts or receipts), signed in its
 * manifest: a client refuses parameters outside it before deriving anything.
 */
export interface KdfBounds {
  readonly floor: KdfParams
  readonly ceiling: KdfParams
}

/**
 * A new node's password bounds (signed in its manifest): the default as the floor, so no relay
 * can offer cheaper params, and N = 2^18 (256 MiB) as the ceiling, which a phone still derives.
 */
export const DEFAULT_KDF_BOUNDS: KdfBounds = Object.freeze({
  floor: DEFAULT_KDF_PARAMS,
  ceiling: Object.freeze({ N: 2 ** 18, r: 8, p: 1 }),
})

/** Bounds before any manifest: crypto-core's absolute minimum and maximum. */
export const ABSOLUTE_KDF_BOUNDS: KdfBounds = Object.freeze({
  floor: MIN_KDF_PARAMS,
  ceiling: MAX_KDF_PARAMS,
})

/** Length of every salt Sotto draws (account salts, node receipt salt). */
export const SALT_BYTES = 16

/** Keys derived from a password (or a receipt): one for the relay, one that stays in the browser. */
export interface DerivedKeys {
  /** 32 bytes sent to the relay in place of the secret; the relay keeps only `authVerifier(authKey)`. */
  readonly authKey: Uint8Array
  /** An age X25519 identity that never leaves the browser. */
  readonly identity: AgeIdentity
  /** Its public half. */
  readonly recipient: AgeRecipient
}

/** Options for long derivations: progress in [0, 1] and cancellation. */
export interface KdfOptions {
  readonly onProgress?: (fraction: number) => void
  readonly signal?: AbortSignal
}

const LABEL_PASSWORD_AUTH = "sotto/v1/password/auth-key"
const LABEL_PASSWORD_IDENTITY = "sotto/v1/password/identity"
const LABEL_FAKE_SALT = "sotto/v1/fake-salt"
const LABEL_AUTH_VERIFIER = "sotto/v1/auth-verifier"

/**
 * Checks scrypt parameters received from storage or the wire.
 * @throws CryptoError `WEAK_PARAMS` below {@link MIN_KDF_PARAMS}, `BAD_INPUT` when malformed or
 * above {@link MAX_KDF_PARAMS}.
 */
export function checkKdfParams(params: unknown): KdfParams {
  if (typeof params !== "object" || params === null) {
    throw new CryptoError("BAD_INPUT", `"params" expected an object with N, r, p`)
  }
  const { N, r, p } = params as Record<string, unknown>
  const n = expectInteger("params.N", N, 2, MAX_KDF_PARAMS.N)
  const rr = expectInteger("params.r", r, 1, MAX_KDF_PARAMS.r)
  const pp = expectInteger("params.p", p, 1, MAX_KDF_PARAMS.p)
  if ((n & (n - 1)) !== 0) throw new CryptoError("BAD_INPUT", `"params.N" must be a power of two`)
  if (n < MIN_KDF_PARAMS.N || rr < MIN_KDF_PARAMS.r) {
    throw new CryptoError(
      "WEAK_PARAMS",
      `scrypt N=${n}, r=${rr} is weaker than the minimum N=${MIN_KDF_PARAMS.N}, r=${MIN_KDF_PARAMS.r}`,
    )
  }
  return { N: n, r: rr, p: pp }
}

/**
 * Checks parameters the relay answered against a node's signed bounds (which are themselves
 * within the absolute ones). Cost is compared as memory (N·r) and work (N·r·p).
 * @throws CryptoError `WEAK_PARAMS` below the floor, `COSTLY_PARAMS` above the ceiling,
 * `BAD_INPUT` when malformed.
 */
export function checkKdfWithin(params: unknown, bounds: KdfBounds): KdfParams {
  const { floor, ceiling } = checkKdfBounds(bounds)
  // Past the absolute maximum too, a cost above the ceiling is named as such (not as bad input).
  if (typeof params === "object" && params !== null) {
    const { N, r, p } = params as Record<string, unknown>
    if (
      [N, r, p].every((x) => Number.isSafeInteger(x) && (x as number) > 0) &&
      ((N as number) * (r as number) > ceiling.N * ceiling.r ||
        (N as number) * (r as number) * (p as number) > cost(ceiling))
    ) {
      throw new CryptoError(
        "COSTLY_PARAMS",
        `scrypt N=${N}, r=${r}, p=${p} costs more than this node's ceiling N=${ceiling.N}, r=${ceiling.r}, p=${ceiling.p}`,
      )
    }
  }
  const checked = checkKdfParams(params)
  if (checked.N < floor.N || checked.r < floor.r || checked.p < floor.p) {
    throw new CryptoError(
      "WEAK_PARAMS",
      `scrypt N=${checked.N}, r=${checked.r}, p=${checked.p} is below this node's floor N=${floor.N}, r=${floor.r}, p=${floor.p}`,
    )
  }
  if (checked.N * checked.r > ceiling.N * ceiling.r || cost(checked) > cost(ceiling)) {
    throw new CryptoError(
      "COSTLY_PARAMS",
      `scrypt N=${checked.N}, r=${checked.r}, p=${checked.p} costs more than this node's ceiling N=${ceiling.N}, r=${ceiling.r}, p=${ceiling.p}`,
    )
  }
  return checked
}

/**
 * Checks a floor/ceiling pair: both valid parameters, floor no costlier than the ceiling.
 * @throws CryptoError `BAD_INPUT` (or `WEAK_PARAMS` for a floor below the absolute minimum).
 */
export function checkKdfBounds(bounds: unknown): KdfBounds {
  if (typeof bounds !== "object" || bounds === null) {
    throw new CryptoError("BAD_INPUT", `"bounds" expected an object with floor and ceiling`)
  }
  const b = bounds as Record<string, unknown>
  const floor = checkKdfParams(b.floor)
  const ceiling = checkKdfParams(b.ceiling)
  if (floor.N > ceiling.N || floor.r > ceiling.r || floor.p > ceiling.p) {
    throw new CryptoError("BAD_INPUT", `"bounds.floor" must not exceed "bounds.ceiling"`)
  }
  return { floor, ceiling }
}

function cost(p: KdfParams): number {
  return p.N * p.r * p.p
}

/** Draws a fresh random salt for a new account or a password change. */
export function drawSalt(): Uint8Array {
  return randomBytes(SALT_BYTES)
}

/**
 * Stretches a secret with scrypt and splits it with HKDF-SHA-256 into an auth key and an identity.
 * Labels are versioned per use (`sotto/v1/password/…`, `sotto/v1/receipt/…`) so the two never collide.
 * @throws CryptoError `WEAK_PARAMS`, `BAD_INPUT`, or `ABORTED` when `options.signal` fires.
 */
export async function stretchSecret(
  secret: Uint8Array,
  salt: Uint8Array,
  params: KdfParams,
  labels: { readonly auth: string; readonly identity: string },
  options: KdfOptions = {},
): Promise<DerivedKeys> {
  const { N, r, p } = checkKdfParams(params)
  expectBytesBetween("salt", salt, SALT_BYTES, 64)
  options.signal?.throwIfAborted?.()
  const master = await activeScrypt().derive(secret, salt, { N, r, p }, options)
  const authKey = hkdf(sha256, master, undefined, utf8(labels.auth), 32)
  const identity = identityFromSecret(hkdf(sha256, master, undefined, utf8(labels.identity), 32))
  master.fill(0)
  return { authKey, identity, recipient: await recipientOf(identity) }
}

/**
 * Derives a user's keys from their password: `scrypt(NFC(password), salt)` then HKDF into
 * `authKey` (label `sotto/v1/password/auth-key`) and the password identity
 * (label `sotto/v1/password/identity`).
 * @throws CryptoError `WEAK_PARAMS`, `BAD_INPUT` or `ABORTED`.
 */
export async function derivePasswordKeys(
  password: string,
  salt: Uint8Array,
  params: KdfParams,
  options: KdfOptions = {},
): Promise<DerivedKeys> {
  const pw = expectString("password", password, 1024)
  if (pw.length === 0) throw new CryptoError("BAD_INPUT", `"password" must not be empty`)
  return stretchSecret(
    utf8(pw.normalize("NFC")),
    salt,
    params,
    { auth: LABEL_PASSWORD_AUTH, identity: LABEL_PASSWORD_IDENTITY },
    options,
  )
}

/** Canonical form of an account name: NFC, trimmed, lower case. */
export function normaliseUsername(username: string): string {
  return expectString("username", username, 256).normalize("NFC").trim().toLowerCase()
}

/**
 * The salt the relay answers for an unknown account, so that "no such user" cannot be told apart:
 * `HMAC-SHA-256(nodeSecret, "sotto/v1/fake-salt" || 0x00 || username)[0..16]`.
 * @throws CryptoError `BAD_INPUT` unless `nodeSecret` is 32 bytes.
 */
export function fakeSalt(nodeSecret: Uint8Array, username: string): Uint8Array {
  expectBytes("nodeSecret", nodeSecret, 32)
  const msg = concatBytes(
    utf8(LABEL_FAKE_SALT),
    new Uint8Array([0]),
    utf8(normaliseUsername(username)),
  )
  return hmac(sha256, nodeSecret, msg).slice(0, SALT_BYTES)
}

/**
 * What the relay stores instead of an auth key: `SHA-256("sotto/v1/auth-verifier" || authKey)`.
 * The auth key is already a 256-bit scrypt output, so one hash suffices.
 * @throws CryptoError `BAD_INPUT` unless `authKey` is 32 bytes.
 */
export function authVerifier(authKey: Uint8Array): Uint8Array {
  expectBytes("authKey", authKey, 32)
  return sha256(concatBytes(utf8(LABEL_AUTH_VERIFIER), authKey))
}

/** Checks a presented auth key against a stored verifier in constant time. */
export function checkAuthKey(authKey: Uint8Array, verifier: Uint8Array): boolean {
  return constantTimeEqual(authVerifier(authKey), expectBytes("verifier", verifier, 32))
}
