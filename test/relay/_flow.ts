import { createHash, randomBytes } from "node:crypto"
import { readFile } from "node:fs/promises"
import {
  type AgeIdentity,
  type DerivedKeys,
  encryptFile,
  formatRecoveryKey,
  normaliseReceipt,
  type SigningKeyPair,
  toBase64url,
} from "@sotto/crypto-core"
import type { BodyOf, contexts } from "@sotto/protocol"
import { vi } from "vitest"
import { filesUnder } from "./_secrets.js"

// Tools of the end-to-end flow test (fullFlow.test.ts): the questionnaire, proof of work, a
// made-up file with a marker in it, the story's secrets, and raw scans of the data dir and of the
// log output for them.

/** A questionnaire with one field of each kind. */
export const QUESTIONNAIRE: BodyOf<typeof contexts.createContext>["questionnaire"] = [
  { id: "what", type: "textarea", label: "What happened?", required: true },
  { id: "where", type: "select", label: "Where?", required: true, options: ["HQ", "Branch"] },
  { id: "when", type: "date", label: "When?", required: false },
  {
    id: "departments",
    type: "multiselect",
    label: "Which departments?",
    required: false,
    options: ["Finance", "Audit", "Sales"],
  },
  { id: "witnessed", type: "checkbox", label: "I saw it myself", required: false },
  { id: "name", type: "text", label: "Your name (optional)", required: false },
  { id: "evidence", type: "file", label: "Documents", required: false },
]

/** Fetches a proof-of-work challenge and solves it, as the whistleblower's browser does. */
export { solve as pow } from "./_seed.js"

/** A person of the story with the secrets only their browser holds. */
export interface SecretHolder {
  readonly username: string
  readonly password: string
  readonly identity: AgeIdentity
  readonly recoveryKey: AgeIdentity
}

/** Every secret of the story, labelled: what the relay must never store or log. */
export function storySecrets(story: {
  readonly staff: readonly SecretHolder[]
  readonly oneTimePasswords: readonly string[]
  readonly escrow?: AgeIdentity
  readonly signing: SigningKeyPair
  readonly receipt: string
  readonly receiptKeys: DerivedKeys
  readonly tipIdentity: AgeIdentity
  /** Plaintext the browsers sealed: answers, comments, file name, file marker. */
  readonly plaintexts: Readonly<Record<string, string>>
  /** Anything else the test browsers made (passwords, auth keys, identities). */
  readonly more: Iterable<string>
}): Array<[string, string]> {
  const list: Array<[string, string]> = [
    ...story.oneTimePasswords.map((p): [string, string] => ["a one-time password", p]),
    ["receipt", story.receipt],
    ["receipt with dashes", story.receipt.replaceAll(" ", "-")],
    ["receipt digits", normaliseReceipt(story.receipt)],
    ["receipt auth key", toBase64url(story.receiptKeys.authKey)],
    ["receipt identity", story.receiptKeys.identity],
    ["tip identity", story.tipIdentity],
    ["signing key seed", toBase64url(story.signing.secretKey.subarray(0, 32))],
    ["any age private key", "AGE-SECRET-KEY-1"],
    ...Object.entries(story.plaintexts),
  ]
  if (story.escrow) list.push(["escrow identity", story.escrow])
  for (const who of story.staff) {
    list.push([`${who.username} password`, who.password])
    list.push([`${who.username} identity`, who.identity])
    list.push([`${who.username} recovery key`, who.recoveryKey])
    list.push([`${who.username} recovery key, grouped`, formatRecoveryKey(who.recoveryKey)])
  }
  for (const s of story.more) list.push(["a secret the test browsers made", s])
  return list
}

/** Something to look for in raw bytes, and the name it is reported under. */
export interface Needle {
  readonly label: string
  readonly bytes: Uint8Array
}

/** What a scan of a directory read and which needles it found where. */
export interface ScanResult {
  readonly files: number
  readonly bytes: number
  /** `label in path` for every needle found. */
  readonly found: string[]
}

/** A needle for the UTF-8 bytes of `text`. */
export function textNeedle(label: string, text: string): Needle {
  return { label, bytes: new Uint8Array(Buffer.from(text, "utf8")) }
}

/**
 * A needle for the middle of a random string, for a value that must be found on disk. LevelDB's
 * snappy compression keeps the first copy of a random run literal, but a back-reference may take
 * the run's first or last few characters along with the common text around them.
 */
export function randomRunNeedle(label: string, random: string): Needle {
  if (random.length < 16) throw new Error(`${label}: too short to find reliably`)
  return textNeedle(label, random.slice(4, -4))
}

/**
 * A needle for one full base64 line of an armored age file (a run across a line break would not
 * match, since JSON escapes the break); see {@link randomRunNeedle}.
 */
export function armorNeedle(label: string, armored: string): Needle {
  const line = armored.split("\n").find((l, i) => i > 0 && l.length === 64)
  if (!line) throw new Error(`${label}: no full base64 line in this armored file`)
  return randomRunNeedle(label, line)
}

/** Reads every file under `dir` (recursively, raw bytes) and reports which needles occur. */
export async function scanDir(dir: string, needles: readonly Needle[]): Promise<ScanResult> {
  let files = 0
  let bytes = 0
  const found: string[] = []
  const wanted = needles.map((n) => ({ label: n.label, bytes: asBuffer(n.bytes) }))
  for (const path of await filesUnder(dir)) {
    const content = await readFile(path)
    files++
    bytes += content.byteLength
    for (const n of wanted) if (content.includes(n.bytes)) found.push(`${n.label} in ${path}`)
  }
  return { files, bytes, found }
}

/** The labels of the needles that occur in `text`. */
export function scanText(text: string, needles: readonly Needle[]): string[] {
  const bytes = Buffer.from(text, "utf8")
  return needles.filter((n) => bytes.includes(asBuffer(n.bytes))).map((n) => n.label)
}

const asBuffer = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength)

/**
 * Captures what is written to this process's stdout (where the relay's logger writes) until
 * `restore` is called; nothing captured reaches the terminal.
 */
export function captureStdout(): { readonly lines: string[]; restore(): void } {
  const lines: string[] = []
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: unknown) => {
    lines.push(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString())
    return true
  })
  return { lines, restore: () => spy.mockRestore() }
}

/** `size` random bytes with `marker` (UTF-8) written at `at`: a file only this test knows. */
export function markedFile(size: number, marker: string, at: number): Uint8Array {
  const bytes = new Uint8Array(randomBytes(size))
  bytes.set(Buffer.from(marker, "utf8"), at)
  return bytes
}

/** Encrypts `plain` to one age recipient as a standard age file, as the browser does. */
export async function encryptTo(recipient: string, plain: Uint8Array): Promise<Uint8Array> {
  const source = new Blob([plain as Uint8Array<ArrayBuffer>]).stream()
  return new Uint8Array(await new Response(await encryptFile(source, [recipient])).arrayBuffer())
}

/** Hex SHA-256 of some bytes. */
export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex")
}

/** A random token to make a plaintext string unique to this run. */
export function unique(prefix: string): string {
  return `${prefix}-${randomBytes(12).toString("base64url")}`
}
