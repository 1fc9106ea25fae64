import { execFileSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { armor, Decrypter, type Identity, type Stanza } from "age-encryption"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { codeOf } from "./_testing.js"
import { encryptArmored, encryptToRecipients, generateAgeIdentity, recipientOf } from "./age.js"
import { checkAgeFileShape, isAgeFileShape } from "./ageFileShape.js"

const BEGIN = "-----BEGIN AGE ENCRYPTED FILE-----"
const END = "-----END AGE ENCRYPTED FILE-----"

/** Whether typage's own header parser accepts the file (it runs before any identity is asked). */
async function typageParses(file: Uint8Array): Promise<boolean> {
  let parsed = false
  const probe: Identity = {
    unwrapFileKey(_stanzas: Stanza[]) {
      parsed = true
      return null
    },
  }
  const decrypter = new Decrypter()
  decrypter.addIdentity(probe)
  await decrypter.decrypt(file).catch(() => undefined)
  return parsed
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes)
const bytesOf = (s: string) => new TextEncoder().encode(s)

describe("the structural check of a sealed field", () => {
  let recipient: Awaited<ReturnType<typeof recipientOf>>
  let sealed: string
  let dir: string

  beforeAll(async () => {
    recipient = await recipientOf(generateAgeIdentity())
    sealed = await encryptArmored([recipient], bytesOf("a comment"))
    dir = mkdtempSync(join(tmpdir(), "age-shape-"))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it("accepts what typage seals, at every STREAM boundary and for several recipients", async () => {
    const other = await recipientOf(generateAgeIdentity())
    for (const size of [0, 1, 64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1, 3 * 64 * 1024]) {
      const file = await encryptToRecipients([recipient, other], new Uint8Array(size))
      const shape = checkAgeFileShape(armor.encode(file))
      expect(shape.stanzas).toBe(2)
      expect(shape.headerBytes + shape.payloadBytes).toBe(file.length)
    }
  })

  it("accepts what the age CLI seals with -a", () => {
    const plain = join(dir, "plain")
    writeFileSync(plain, "x".repeat(70_000))
    const out = join(dir, "out.age")
    execFileSync("age", ["-a", "-r", recipient, "-o", out, plain])
    expect(checkAgeFileShape(readFileSync(out, "utf8")).stanzas).toBe(1)
  })

  it("refuses junk after a valid armour line", () => {
    expect(isAgeFileShape(`${BEGIN}\nnot an age file at all\n${END}\n`)).toBe(false)
    expect(isAgeFileShape(`${BEGIN}\n${"A".repeat(64)}\n${END}\n`)).toBe(false)
    expect(isAgeFileShape(`${BEGIN}\nx`)).toBe(false)
    expect(codeOf(() => checkAgeFileShape(`${BEGIN}\nx`))).toBe("BAD_INPUT")
  })

  it("refuses text before or after the armour", () => {
    expect(isAgeFileShape(`junk${sealed}`)).toBe(false)
    expect(isAgeFileShape(`${sealed}junk`)).toBe(false)
  })

  it("refuses each broken part of the header and payload, as typage's parser does", async () => {
    const file = armor.decode(sealed)
    const header = text(file).slice(0, text(file).indexOf("\n---") + 1)
    const rest = text(file).slice(header.length)
    const macLine = rest.slice(0, rest.indexOf("\n") + 1)
    const payload = file.subarray(bytesOf(header + macLine).length)
    const join = (...parts: Array<string | Uint8Array>) => {
      const chunks = parts.map((p) => (typeof p === "string" ? bytesOf(p) : p))
      const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0))
      let at = 0
      for (const c of chunks) {
        out.set(c, at)
        at += c.length
      }
      return out
    }
    const broken: Record<string, Uint8Array> = {
      "other version": join(
        header.replace("age-encryption.org/v1", "age-encryption.org/v2"),
        macLine,
        payload,
      ),
      "stanza without arrow": join(header.replace("-> X25519", "X25519"), macLine, payload),
      "empty argument": join(header.replace("-> X25519 ", "-> X25519  "), macLine, payload),
      "no MAC line": join(header, payload),
    }
    for (const [name, bad] of Object.entries(broken)) {
      expect([name, isAgeFileShape(armor.encode(bad))]).toEqual([name, false])
      expect([name, await typageParses(bad)]).toEqual([name, false])
    }
    // typage parses these headers and fails later (payload, MAC); the shape check says so now.
    const payloadless: Record<string, Uint8Array> = {
      "no payload": join(header, macLine),
      "nonce alone": join(header, macLine, payload.subarray(0, 16)),
      "chunk shorter than a tag": join(header, macLine, payload.subarray(0, 16 + 15)),
      "no recipient": join("age-encryption.org/v1\n", macLine, payload),
      "short MAC": join(header, macLine.slice(0, 20), "\n", payload),
    }
    for (const [name, bad] of Object.entries(payloadless)) {
      expect([name, isAgeFileShape(armor.encode(bad))]).toEqual([name, false])
    }
    expect(await typageParses(file)).toBe(true)
    expect(isAgeFileShape(armor.encode(join(header, macLine, payload)))).toBe(true)
  })

  it("refuses a last STREAM chunk that is a bare tag after full chunks", async () => {
    const file = await encryptToRecipients([recipient], new Uint8Array(64 * 1024))
    const padded = new Uint8Array(file.length + 16)
    padded.set(file)
    expect(isAgeFileShape(armor.encode(padded))).toBe(false)
  })
})
