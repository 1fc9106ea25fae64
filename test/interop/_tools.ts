// Shared helpers for the interop tests: real CLIs, temp dirs, byte streams and hashes.
import { type SpawnSyncOptions, spawnSync } from "node:child_process"
import { createHash, randomFillSync } from "node:crypto"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { readTipArchive, type TipBundle } from "@sotto/crypto-core"
import { beforeEach, expect } from "vitest"

/** The Debian package that ships each CLI the interop tests run. */
const DEBIAN_PACKAGES = {
  age: "age",
  "age-keygen": "age",
  gpg: "gpg",
  gpgconf: "gpgconf",
  oathtool: "oathtool",
} as const

export type Tool = keyof typeof DEBIAN_PACKAGES

/** Why `tool` cannot be run, naming the Debian package to install, or undefined when it can. */
export function toolProblem(tool: Tool): string | undefined {
  const result = spawnSync(tool, ["--version"], { encoding: "utf8" })
  if (!result.error && result.status === 0) return undefined
  const pkg = DEBIAN_PACKAGES[tool]
  const why = result.error ? result.error.message : `exit status ${result.status}`
  return (
    `the "${tool}" CLI is required by the interop tests but cannot be run (${why}): ` +
    `install the Debian package "${pkg}" (apt-get install ${pkg})`
  )
}

/** Why each of `tools` that cannot be run cannot be; empty when all can. */
export function toolProblems(...tools: Tool[]): string[] {
  return tools.map(toolProblem).filter((p) => p !== undefined)
}

/**
 * Makes every test of the calling file or describe block FAIL (never skip) when one of `tools` is missing, with a
 * message naming the Debian package. Call at the top level of a test file or
 * describe block.
 * @returns true when all tools are there; setup hooks should do nothing otherwise.
 */
export function requireTools(...tools: Tool[]): boolean {
  const problems = toolProblems(...tools)
  beforeEach(() => {
    if (problems.length > 0) throw new Error(problems.join("\n"))
  })
  return problems.length === 0
}

export interface RunOptions {
  readonly input?: Uint8Array | string
  readonly env?: NodeJS.ProcessEnv
  readonly cwd?: string
}

export interface RunResult {
  readonly status: number | null
  readonly stdout: Buffer
  readonly stderr: string
}

/** Runs a CLI to completion and returns whatever it did, success or not. */
export function runTool(tool: Tool, args: readonly string[], options: RunOptions = {}): RunResult {
  const spawnOptions: SpawnSyncOptions = {
    input: options.input,
    env: options.env ?? process.env,
    cwd: options.cwd,
    maxBuffer: 256 * 1024 * 1024,
  }
  const result = spawnSync(tool, args, spawnOptions)
  if (result.error) {
    throw new Error(`cannot run ${tool} (install the Debian package "${DEBIAN_PACKAGES[tool]}")`, {
      cause: result.error,
    })
  }
  return {
    status: result.status,
    stdout: result.stdout as Buffer,
    stderr: (result.stderr as Buffer).toString("utf8"),
  }
}

/** Runs a CLI that must succeed and returns its standard output. */
export function run(tool: Tool, args: readonly string[], options: RunOptions = {}): Buffer {
  const result = runTool(tool, args, options)
  if (result.status !== 0) {
    throw new Error(
      `${tool} ${args.join(" ")} exited with status ${result.status}:\n${result.stderr}`,
    )
  }
  return result.stdout
}

const tempDirs: string[] = []

/** A fresh private directory under the OS temp dir; {@link removeTempDirs} deletes it. */
export async function makeTempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `sotto-${prefix}-`))
  tempDirs.push(dir)
  return dir
}

/** Deletes every directory {@link makeTempDir} made in this test file (call in afterAll). */
export async function removeTempDirs(): Promise<void> {
  const dirs = tempDirs.splice(0)
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
}

/** `n` bytes from the OS CSPRNG (no 64 KiB limit, unlike crypto.getRandomValues). */
export function randomBytes(n: number): Uint8Array {
  return randomFillSync(new Uint8Array(n))
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex")
}

/** Piece sizes that do not line up with 64 KiB chunks, header lengths or each other. */
const AWKWARD_PIECES = [1, 3, 61, 1000, 4096, 65_535, 65_537, 70_001, 7_919]

/**
 * A ReadableStream handing out `bytes` in pieces: of `pieceSize` bytes, or by default in a cycle
 * of awkward sizes (1 byte to just over a chunk) so that every reassembly path is exercised.
 */
export function streamOf(bytes: Uint8Array, pieceSize?: number): ReadableStream<Uint8Array> {
  let offset = 0
  let turn = 0
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close()
        return
      }
      const size = pieceSize ?? AWKWARD_PIECES[turn++ % AWKWARD_PIECES.length] ?? 1
      // A copy, as a real source (file reader, network) would hand out fresh buffers.
      controller.enqueue(bytes.slice(offset, offset + size))
      offset += size
    },
  })
}

/** Reads a whole stream into one array. */
export async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = []
  let length = 0
  const reader = stream.getReader()
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    parts.push(r.value)
    length += r.value.length
  }
  const out = new Uint8Array(length)
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

/** Awaits `promise` and returns what it rejected with; fails when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error("expected a rejection, but the promise resolved")
}

/**
 * A tip as a recipient exports it: non-ASCII text, comments, an empty file, two attachments with
 * the same name, an unsafe name and a binary file spanning several 64 KiB chunks.
 */
export function sampleTipBundle(): TipBundle {
  return {
    tip: {
      id: "tip_01J9Z8Q4",
      context: "Procurement",
      createdAt: "2024-05-01T12:00:00.000Z",
      labels: ["urgent", "finance"],
    },
    answers: {
      summary: "Invoices were split to stay under the approval limit — see attachments.",
      department: "Achats / Einkauf / 採購",
      amount: 48_250.5,
      anonymous: true,
      contact: null,
    },
    comments: [
      { author: "recipient-1", at: "2024-05-02T09:30:00.000Z", text: "Forwarded to audit." },
      { author: "whistleblower", at: "2024-05-03T18:45:00.000Z", text: "More to come 🙂" },
    ],
    files: [
      { name: "invoice.pdf", type: "application/pdf", bytes: randomBytes(200_000) },
      { name: "invoice.pdf", type: "application/pdf", bytes: randomBytes(3_000) },
      { name: "../../etc/passwd", bytes: new TextEncoder().encode("root:x:0:0\n") },
      { name: "empty.txt", type: "text/plain", bytes: new Uint8Array(0) },
    ],
  }
}

interface ManifestFile {
  readonly name: string
  readonly path: string
  readonly type: string
  readonly size: number
}

/**
 * Reads `archive` with crypto-core's readTipArchive and checks it holds exactly `bundle`: the
 * answers, comments and tip metadata, and every file's bytes under a unique, safe path.
 */
export function expectArchiveHolds(archive: Uint8Array, bundle: TipBundle): void {
  const { manifest, files } = readTipArchive(archive)
  const m = manifest as unknown as {
    format: string
    tip: unknown
    answers: unknown
    comments: unknown
    files: ManifestFile[]
  }
  expect(m.format).toBe("sotto/v1/tip-export")
  expect(m.tip).toEqual(bundle.tip)
  expect(m.answers).toEqual(bundle.answers)
  expect(m.comments).toEqual(bundle.comments)
  expect(m.files).toHaveLength(bundle.files.length)
  const paths = m.files.map((f) => f.path)
  expect(new Set(paths).size).toBe(paths.length)
  expect(Object.keys(files).sort()).toEqual([...paths].sort())
  bundle.files.forEach((original, i) => {
    const listed = m.files[i]!
    expect(listed.path).toMatch(/^files\/[^./\\][^/\\]*$/)
    expect(listed.size).toBe(original.bytes.length)
    expect(listed.type).toBe(original.type ?? "application/octet-stream")
    expect(sha256Hex(files[listed.path]!)).toBe(sha256Hex(original.bytes))
  })
}
