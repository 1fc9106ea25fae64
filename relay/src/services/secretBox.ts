import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto"
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { dirname } from "node:path"
import type { RelayContext } from "../context.js"
import { perContext } from "./perContext.js"

// Secrets the relay itself must use in the clear (the SMTP password), kept in LevelDB only
// encrypted with AES-256-GCM under a key in a file outside the data dir (SECRETS_KEY_FILE,
// default ./keys/secrets.key, mode 0600). A copy of the data dir alone does not reveal them;
// backups need the key file too (relay/README.md "Secrets key").

const PREFIX = "A256GCM."
const IV_BYTES = 12
const TAG_BYTES = 16

/** Encrypts and decrypts small relay secrets under the secrets key. */
export class SecretBox {
  readonly #key: Buffer

  constructor(key: Uint8Array) {
    if (key.length !== 32) throw new Error("the secrets key must be 32 bytes")
    this.#key = Buffer.from(key)
  }

  /** `A256GCM.` then base64url of IV (12) ‖ ciphertext ‖ GCM tag (16). */
  seal(text: string): string {
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv("aes-256-gcm", this.#key, iv)
    const body = Buffer.concat([cipher.update(text, "utf8"), cipher.final()])
    return PREFIX + Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64url")
  }

  /**
   * Opens what {@link seal} made.
   * @throws Error when the text was not sealed under this key (a lost or replaced key file).
   */
  open(sealed: string): string {
    if (!sealed.startsWith(PREFIX)) throw new Error("not a sealed secret")
    const bytes = Buffer.from(sealed.slice(PREFIX.length), "base64url")
    const iv = bytes.subarray(0, IV_BYTES)
    const tag = bytes.subarray(bytes.length - TAG_BYTES)
    const decipher = createDecipheriv("aes-256-gcm", this.#key, iv)
    decipher.setAuthTag(tag)
    const body = bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)
    return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8")
  }
}

/**
 * Reads the 32-byte key (base64url) from `path`, or makes one there (directory 0700, file 0600)
 * when the file does not exist yet.
 * @throws Error when the file exists but holds no 32-byte key.
 */
export function loadSecretsKey(path: string): Uint8Array {
  try {
    const key = Buffer.from(readFileSync(path, "utf8").trim(), "base64url")
    if (key.length !== 32) throw new Error(`${path} does not hold a 32-byte base64url key`)
    return key
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e
  }
  const key = randomBytes(32)
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  writeFileSync(path, `${key.toString("base64url")}\n`, { mode: 0o600, flag: "wx" })
  chmodSync(path, 0o600)
  return key
}

/** The secret box of a running relay, its key loaded (or made) on first use. */
export const secretBox: (ctx: RelayContext) => SecretBox = perContext(
  (ctx) => new SecretBox(loadSecretsKey(ctx.config.secretsKeyFile)),
)
