import { base64nopad } from "@scure/base"
import { armor } from "age-encryption"
import { CryptoError } from "./errors.js"

// A structural check of an armored age v1 file (https://age-encryption.org/v1, SPEC §16), for a
// relay that cannot decrypt: the armour decodes (age-encryption's own decoder), the header is
// the version line, one or more recipient stanzas and the MAC line, and a payload of a nonce and
// a well-sized STREAM follows. It proves only the shape; the MAC and the chunks' tags are left to
// the holders of a key. age-encryption parses headers only through its async Decrypter, so the
// header grammar below follows the spec line by line (ageFileShape.test.ts checks it against
// typage's parser and the `age` CLI's files).

const VERSION_LINE = "age-encryption.org/v1"
/** Stanza body lines wrap at 64 base64 characters (48 bytes). */
const BODY_COLUMNS = 64
/** HMAC-SHA-256: 32 bytes, 43 unpadded base64 characters. */
const MAC_CHARS = 43
/** The payload's 16-byte nonce. */
const NONCE_BYTES = 16
/** A STREAM chunk: up to 64 KiB of plaintext and a 16-byte Poly1305 tag. */
const TAG_BYTES = 16
const FULL_CHUNK = 64 * 1024 + TAG_BYTES
/** Stanza arguments are non-empty strings of printable ASCII other than space (VCHAR). */
const ARGUMENT = /^[\x21-\x7e]+$/
const LF = 0x0a
const ASCII = new TextDecoder()

/** What the shape check learned: how many recipient stanzas and how many payload bytes. */
export interface AgeFileShape {
  readonly stanzas: number
  readonly headerBytes: number
  readonly payloadBytes: number
}

/**
 * Checks that `armored` is a well-formed armored age v1 file, without any key.
 * @returns the stanza count and the header's and payload's sizes.
 * @throws CryptoError BAD_INPUT naming the first flaw (armour, version line, stanza, MAC line,
 *   payload size).
 */
export function checkAgeFileShape(armored: string): AgeFileShape {
  let file: Uint8Array
  try {
    file = armor.decode(armored)
  } catch (e) {
    throw bad(`the armour does not decode (${e instanceof Error ? e.message : "invalid"})`)
  }
  let at = 0
  const nextLine = (): string => {
    const end = file.indexOf(LF, at)
    if (end < 0) throw bad("the header ends before its MAC line")
    for (let i = at; i < end; i++) {
      const byte = file[i] as number
      if (byte < 0x20 || byte > 0x7e) throw bad("the header holds a byte that is not ASCII text")
    }
    const line = ASCII.decode(file.subarray(at, end))
    at = end + 1
    return line
  }
  if (nextLine() !== VERSION_LINE) throw bad(`the header does not start with "${VERSION_LINE}"`)
  let stanzas = 0
  for (let line = nextLine(); ; line = nextLine()) {
    if (line.startsWith("--- ") || line === "---") {
      const mac = line.slice(4)
      if (stanzas === 0) throw bad("the header has no recipient stanza")
      if (mac.length !== MAC_CHARS || !decodes(mac)) throw bad("the MAC line is malformed")
      break
    }
    if (!line.startsWith("-> ")) throw bad('a stanza does not start with "-> "')
    if (
      !line
        .slice(3)
        .split(" ")
        .every((arg) => ARGUMENT.test(arg))
    ) {
      throw bad("a stanza has an empty or non-printable argument")
    }
    // The body: full 64-column lines, then one shorter (possibly empty) line.
    for (;;) {
      const body = nextLine()
      if (body.length > BODY_COLUMNS || !decodes(body)) throw bad("a stanza body is malformed")
      if (body.length < BODY_COLUMNS) break
    }
    stanzas++
  }
  const headerBytes = at
  const payloadBytes = file.length - headerBytes
  checkPayloadSize(payloadBytes)
  return { stanzas, headerBytes, payloadBytes }
}

/** True when {@link checkAgeFileShape} accepts `armored`. */
export function isAgeFileShape(armored: string): boolean {
  try {
    checkAgeFileShape(armored)
    return true
  } catch {
    return false
  }
}

/**
 * The payload is a nonce and at least one chunk; every chunk but the last is full, and the last
 * is empty (a tag alone) only when it is the only one.
 */
function checkPayloadSize(payloadBytes: number): void {
  const stream = payloadBytes - NONCE_BYTES
  if (stream < TAG_BYTES) throw bad("the payload is missing or shorter than a nonce and one chunk")
  const last = stream % FULL_CHUNK === 0 ? FULL_CHUNK : stream % FULL_CHUNK
  const chunks = Math.ceil(stream / FULL_CHUNK)
  if (last < TAG_BYTES || (chunks > 1 && last === TAG_BYTES)) {
    throw bad("the payload's size does not split into age STREAM chunks")
  }
}

/** Canonical unpadded base64 (the spec's encoding of stanza bodies and the MAC). */
function decodes(text: string): boolean {
  try {
    return base64nopad.encode(base64nopad.decode(text)) === text
  } catch {
    return false
  }
}

function bad(why: string): CryptoError {
  return new CryptoError("BAD_INPUT", `not a well-formed age file: ${why}`)
}
