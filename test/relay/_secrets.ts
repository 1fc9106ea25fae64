import { readdir, readFile } from "node:fs/promises"
import { join } from "node:path"
import {
  beginPasswordOprf,
  type DerivedKeys,
  derivePasswordKeys,
  drawSalt,
  fromBase64url,
  type KdfParams,
  MIN_KDF_PARAMS,
  type OprfEvaluation,
  toBase64url,
  type WrappedKey,
} from "@sotto/crypto-core"
import type { TestRelay } from "./_harness.js"

// The secrets the test browsers make, remembered so a test can prove none of them reached the
// relay's disk. Re-exported by _actors.ts; import from there.

/** Cheap scrypt for tests (the floor crypto-core accepts). */
export const TEST_KDF: KdfParams = MIN_KDF_PARAMS

/** Every password, auth key (base64url) and private key the actors made in this test file. */
export const usedSecrets = new Set<string>()

/** A fresh password nobody else uses, so a scan for it means something. */
export function newPassword(): string {
  return rememberSecret(`pw ${toBase64url(drawSalt())} ünïcödé`)
}

/** How a test reaches a relay's OPRF: the key to derive under and an evaluation call. */
export interface TestOprf {
  /** The OPRF key (base64url) the manifest lists first. */
  readonly key: string
  readonly evaluate: (blinded: Uint8Array) => Promise<OprfEvaluation>
}

/**
 * Derives password keys as the browser does, with a fresh salt unless one is given: through the
 * relay's OPRF when `oprf` is given (SPEC §16), else the v1 derivation.
 */
export async function passwordKeys(
  password: string,
  salt: Uint8Array = drawSalt(),
  params: KdfParams = TEST_KDF,
  oprf?: TestOprf,
): Promise<{ keys: DerivedKeys; kdf: { salt: string; params: KdfParams; oprf?: string } }> {
  rememberSecret(password)
  let keys: DerivedKeys
  if (oprf) {
    const pending = await beginPasswordOprf(password, salt, params)
    keys = await pending.finish(await oprf.evaluate(pending.blinded), [
      fromBase64url("oprf.key", oprf.key),
    ])
  } else {
    keys = await derivePasswordKeys(password, salt, params)
  }
  rememberSecret(toBase64url(keys.authKey))
  rememberSecret(keys.identity)
  const kdf = { salt: toBase64url(salt), params: { ...params } }
  return { keys, kdf: oprf ? { ...kdf, oprf: oprf.key } : kdf }
}

/** Remembers a secret for {@link findSecrets}; returns it. */
export function rememberSecret<T extends string>(secret: T): T {
  usedSecrets.add(secret)
  return secret
}

/**
 * Files under `dir` whose bytes contain any of `secrets` (UTF-8), as `path: secret` lines. Also
 * checks the decoded store of a running relay, which LevelDB compression could otherwise hide.
 */
export async function findSecrets(t: TestRelay, secrets: Iterable<string>): Promise<string[]> {
  const list = [...secrets]
  const found = await scanFiles(t.dataDir, list)
  const store = t.relay.ctx.store
  const sublevels = [
    "users",
    "sessions",
    "contexts",
    "tips",
    "wraps",
    "objects",
    "timers",
    "audit",
    "settings",
  ] as const
  for (const sublevel of sublevels) {
    const text = JSON.stringify(await store.list(sublevel))
    for (const s of list) if (text.includes(s)) found.push(`store ${sublevel}: ${s}`)
  }
  return found
}

/**
 * The `path: secret` hits in every file under `dir`. LevelDB compaction may delete a file between
 * the listing and the read (its content moves to a newer file), so a vanished file restarts the scan.
 */
async function scanFiles(dir: string, secrets: readonly string[]): Promise<string[]> {
  for (let attempt = 0; ; attempt++) {
    const found: string[] = []
    try {
      for (const path of await filesUnder(dir)) {
        const bytes = await readFile(path)
        for (const s of secrets)
          if (bytes.includes(Buffer.from(s, "utf8"))) found.push(`${path}: ${s}`)
      }
      return found
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT" || attempt >= 4) throw e
    }
  }
}

/** Every file under `dir`, recursively. */
export async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...(await filesUnder(path)))
    else if (entry.isFile()) out.push(path)
  }
  return out
}

/** A crypto-core wrap as the wire takes it (crypto-core's recipient list is readonly). */
export function wireWrap(wrap: WrappedKey): { v: 1; to: string[]; age: string } {
  return { v: wrap.v, to: [...wrap.to], age: wrap.age }
}
