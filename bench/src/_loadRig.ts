import { type ChildProcess, spawn } from "node:child_process"
import { createHash, randomBytes } from "node:crypto"
import { mkdtemp, readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import {
  accountSigner,
  authVerifier,
  createAccountIdentity,
  createSigningKey,
  createTipIdentity,
  DEFAULT_RECEIPT_PATTERN,
  derivePasswordKeys,
  directoryExpiry,
  drawRecoveryKey,
  drawSalt,
  encryptFile,
  MIN_KDF_PARAMS,
  recipientOf,
  sealAccountIdentity,
  sealTipPart,
  signDirectory,
  signNodeManifest,
  toBase64url,
  wrapSigningKey,
  wrapTipKey,
} from "@sotto/crypto-core"

// The processes and the node the load bench talks to: a real relay in a child process (as
// `npm start` runs it, temp DATA_DIR), a bare uWS server answering POSTs for the baseline, and a
// node set up through the API as the first admin's browser does it.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..")

/** A server in a child process on a loopback port. */
export interface ChildServer {
  readonly baseUrl: string
  readonly pid: number
  /** Resident set size of the process, in MiB. */
  rssMiB(): Promise<number>
  stop(): Promise<void>
}

async function spawnServer(
  args: readonly string[],
  env: Record<string, string>,
  ready: RegExp,
  cleanup: () => Promise<void> = async () => {},
): Promise<ChildServer> {
  const child: ChildProcess = spawn(process.execPath, [...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  })
  let output = ""
  const collect = (d: Buffer) => {
    output += d.toString()
    if (output.length > 64 * 1024) output = output.slice(-32 * 1024)
  }
  child.stdout?.on("data", collect)
  child.stderr?.on("data", collect)
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()))
  const port = await new Promise<number>((resolve, reject) => {
    const look = () => {
      const m = ready.exec(output)
      if (m) resolve(Number(m[1]))
    }
    child.stdout?.on("data", look)
    child.once("exit", (code) => reject(new Error(`server exited with ${code}:\n${output}`)))
  })
  const pid = child.pid ?? 0
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    pid,
    rssMiB: async () => {
      const status = await readFile(`/proc/${pid}/status`, "utf8")
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) / 1024
    },
    stop: async () => {
      child.kill("SIGTERM")
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))])
      if (child.exitCode === null) child.kill("SIGKILL")
      await cleanup()
    },
  }
}

/**
 * Starts the relay (`node --import tsx relay/src/main.ts`) with a temp data dir. `env` adds to
 * its environment (STORE_URL, BUS_URL for a cluster member); `keysDir` shares one node's key files
 * between processes (the caller removes it), otherwise they live in the temp dir.
 */
export async function startRelayProcess(
  env: Record<string, string> = {},
  keysDir?: string,
): Promise<ChildServer> {
  const root = await mkdtemp(join(tmpdir(), "sotto-load-"))
  const dataDir = join(root, "data")
  const keys = keysDir ?? join(root, "keys")
  return spawnServer(
    ["--import", "tsx", join(ROOT, "relay", "src", "main.ts")],
    {
      PORT: "0",
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
      STATIC_DIR: join(dataDir, "no-static"),
      // Outside the data dir, as in production, and removed with the run.
      OPRF_KEY_FILE: join(keys, "oprf.key"),
      SECRETS_KEY_FILE: join(keys, "secrets.key"),
      ...env,
    },
    /Sotto relay on http:\/\/(?:\[[^\]]+\]|[^:/\s]+):(\d+)/,
    () => rm(root, { recursive: true, force: true }),
  )
}

// The baseline: the same uWS build, reading the POST body whole and answering 201 with a small
// JSON, nothing else (no routing, no validation, no store).
const BARE_UWS = `
const uWS = require(${JSON.stringify(join(ROOT, "node_modules", "uWebSockets.js"))});
uWS._cfg("silent");
const app = uWS.App();
app.post("/*", (res) => {
  let size = 0, aborted = false;
  res.onAborted(() => { aborted = true });
  res.onData((chunk, last) => {
    size += chunk.byteLength;
    if (last && !aborted) res.cork(() => {
      res.writeStatus("201 Created").writeHeader("Content-Type", "application/json");
      res.end(JSON.stringify({ received: size }));
    });
  });
});
app.listen("127.0.0.1", 0, (s) => console.log("bare uWS on " + uWS.us_socket_local_port(s)));
`

/** Starts the bare uWS POST server used as the baseline. */
export function startBareUws(): Promise<ChildServer> {
  return spawnServer(["-e", BARE_UWS], {}, /bare uWS on (\d+)/)
}

/** JSON over fetch; throws with the relay's error code on a non-2xx answer. */
export async function call<T>(
  baseUrl: string,
  method: string,
  path: string,
  options: {
    body?: unknown
    session?: string
    raw?: Uint8Array
    headers?: Record<string, string>
  } = {},
): Promise<T> {
  const headers: Record<string, string> = { ...options.headers }
  if (options.session) headers["X-Session"] = options.session
  let body: BodyInit | undefined
  if (options.raw) {
    headers["Content-Type"] = "application/octet-stream"
    body = new Uint8Array(options.raw) as Uint8Array<ArrayBuffer>
  } else if (options.body !== undefined) {
    headers["Content-Type"] = "application/json"
    body = JSON.stringify(options.body)
  }
  const res = await fetch(`${baseUrl}${path}`, { method, headers, ...(body ? { body } : {}) })
  const text = await res.text()
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`)
  return (text ? JSON.parse(text) : undefined) as T
}

/** What every submission of the run sends, made once with real crypto. */
export interface SubmissionTemplate {
  /** The first admin's full session (the only recipient of the context). */
  readonly adminSession: string
  readonly adminId: string
  readonly contextId: string
  /** The submitTip body without `pow` and `wbAuthVerifier` (drawn fresh for each submission). */
  readonly body: Record<string, unknown>
  /** Sealed file metadata and a small real age file. */
  readonly fileMeta: string
  readonly file: Uint8Array
  readonly fileSha256: string
}

/**
 * Sets the node up through the API (first admin, no escrow), lowers proof of work to its minimum
 * (4 bits, through the admin settings, so the bench measures the relay and not the client's
 * hashing), creates a context whose only recipient is the admin, and seals one submission.
 */
export async function prepareNode(
  baseUrl: string,
  fileBytes: number,
  maxFileBytes = 1024 * 1024,
): Promise<SubmissionTemplate> {
  const account = await createAccountIdentity()
  const recoveryKey = drawRecoveryKey()
  const salt = drawSalt()
  const keys = await derivePasswordKeys(toBase64url(randomBytes(24)), salt, MIN_KDF_PARAMS)
  const signing = createSigningKey()
  const wrap = (w: { v: 1; to: readonly string[]; age: string }) => ({
    v: w.v,
    to: [...w.to],
    age: w.age,
  })
  const receipt = {
    pattern: DEFAULT_RECEIPT_PATTERN,
    salt: toBase64url(drawSalt()),
    params: { ...MIN_KDF_PARAMS },
  }
  // Protocol 2: setup carries the node manifest signed with the new node signing key (SPEC §14).
  const manifest = signNodeManifest(
    {
      version: 1,
      issuedAt: new Date().toISOString(),
      name: "Load bench",
      escrow: null,
      receipt,
      passwordKdf: { floor: MIN_KDF_PARAMS, ceiling: { N: 2 ** 18, r: 8, p: 1 } },
      pow: { minDifficulty: 4, maxDifficulty: 28 },
    },
    signing,
  )
  const setup = await call<{ session: string; userId: string }>(baseUrl, "POST", "/api/v1/setup", {
    body: {
      node: { name: "Load bench" },
      admin: {
        username: "admin",
        name: "First Admin",
        kdf: { salt: toBase64url(salt), params: { ...MIN_KDF_PARAMS } },
        authVerifier: toBase64url(authVerifier(keys.authKey)),
        sealedIdentity: JSON.parse(
          JSON.stringify(
            await sealAccountIdentity(account, {
              password: keys.recipient,
              recovery: await recipientOf(recoveryKey),
            }),
          ),
        ),
        publicKey: account.recipient,
        signer: accountSigner(account.identity),
      },
      escrow: { enabled: false },
      signing: {
        publicKey: toBase64url(signing.publicKey),
        adminWrap: wrap(await wrapSigningKey(signing, account.recipient)),
      },
      receipt,
      manifest: JSON.parse(JSON.stringify(manifest)),
    },
  })
  await call(baseUrl, "PATCH", "/api/v1/settings", {
    session: setup.session,
    body: { powDifficulty: 4 },
  })
  const contextId = `ctx-${toBase64url(randomBytes(6))}`
  const people = [
    {
      id: setup.userId,
      name: "First Admin",
      recipient: account.recipient,
      signer: accountSigner(account.identity),
    },
  ]
  const directory = signDirectory(
    {
      v: 2,
      context: contextId,
      version: 1,
      issuedAt: new Date().toISOString(),
      expiresAt: directoryExpiry(new Date()),
      recipients: people,
    },
    signing,
  )
  await call(baseUrl, "POST", "/api/v1/contexts", {
    session: setup.session,
    body: {
      id: contextId,
      name: "Load",
      description: "Load bench",
      recipients: [setup.userId],
      questionnaire: [{ id: "what", type: "textarea", label: "What happened?", required: true }],
      expiryDays: 30,
      maxFiles: 5,
      maxFileBytes,
      directory: JSON.parse(JSON.stringify(directory)),
    },
  })
  const tip = await createTipIdentity()
  const wbKeys = await createAccountIdentity()
  const body = {
    contextId,
    answers: await sealTipPart(tip.recipient, "answers", { what: "a load-bench report" }),
    wraps: [{ holder: setup.userId, wrap: wrap(await wrapTipKey(tip, account.recipient)) }],
    wbWrap: wrap(await wrapTipKey(tip, wbKeys.recipient)),
  }
  const plain = new Uint8Array(randomBytes(fileBytes))
  const sealed = await encryptFile(new Blob([plain]).stream(), [tip.recipient])
  const file = new Uint8Array(await new Response(sealed).arrayBuffer())
  return {
    adminSession: setup.session,
    adminId: setup.userId,
    contextId,
    body,
    fileMeta: await sealTipPart(tip.recipient, "metadata", { name: "a.txt", type: "text/plain" }),
    file,
    fileSha256: createHash("sha256").update(file).digest("base64url"),
  }
}
