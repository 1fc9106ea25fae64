// Both scrypt implementations on the committed vectors (passwordKdf.json, receipt.json) and on
// RFC 7914's own test vector, so the KDF worker's WebAssembly path derives exactly the keys the
// pure-JS path does.
import { afterEach, describe, expect, it } from "vitest"
import { load } from "./_vectorFiles.js"
import { utf8 } from "./encoding.js"
import { isCryptoError } from "./errors.js"
import { derivePasswordKeys } from "./passwordKdf.js"
import { deriveReceiptKeys } from "./receipt.js"
import { activeScrypt, nobleScrypt, useScrypt } from "./scrypt.js"
import { loadWasmScrypt } from "./scryptWasm.js"

const wasm = await loadWasmScrypt()
afterEach(() => useScrypt(nobleScrypt))

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("")
const unhex = (s: string) =>
  new Uint8Array(s.match(/../g)?.map((h) => Number.parseInt(h, 16)) ?? [])

interface PasswordVector {
  password: string
  salt: string
  params: { N: number; r: number; p: number }
  authKey: string
  identity: string
}

describe("scrypt implementations", () => {
  it("load hash-wasm's WebAssembly scrypt in Node", () => {
    expect(wasm?.name).toBe("hash-wasm")
  })

  it("agree with RFC 7914's vector (N=16, r=1, p=1, empty password and salt)", async () => {
    for (const impl of [nobleScrypt, wasm]) {
      if (!impl) throw new Error("no wasm scrypt")
      const out = await impl.derive(new Uint8Array(0), new Uint8Array(0), { N: 16, r: 1, p: 1 })
      expect(hex(out)).toBe("77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442")
    }
  })

  it("derive the committed password vectors on the WebAssembly path", async () => {
    if (!wasm) throw new Error("no wasm scrypt")
    useScrypt(wasm)
    expect(activeScrypt().name).toBe("hash-wasm")
    const vectors = (load("passwordKdf.json") as { derive: PasswordVector[] }).derive
    expect(vectors.length).toBeGreaterThanOrEqual(2)
    for (const v of vectors) {
      const keys = await derivePasswordKeys(v.password, unhex(v.salt), v.params)
      expect(hex(keys.authKey)).toBe(v.authKey)
      expect(keys.identity).toBe(v.identity)
    }
  })

  it("derive the committed receipt vectors on the WebAssembly path", async () => {
    if (!wasm) throw new Error("no wasm scrypt")
    const file = load("receipt.json") as {
      nodeSalt: string
      params: { N: number; r: number; p: number }
      receipts: {
        pattern: string
        derived: { input: string; authKey: string; identity: string }[]
      }[]
    }
    let checked = 0
    for (const r of file.receipts) {
      for (const d of r.derived) {
        useScrypt(wasm)
        const keys = await deriveReceiptKeys(d.input, unhex(file.nodeSalt), file.params, r.pattern)
        expect(hex(keys.authKey)).toBe(d.authKey)
        expect(keys.identity).toBe(d.identity)
        checked++
      }
    }
    expect(checked).toBeGreaterThan(0)
  })

  it("refuse a cancelled job before it starts, with ABORTED", async () => {
    if (!wasm) throw new Error("no wasm scrypt")
    const controller = new AbortController()
    controller.abort()
    await expect(
      wasm.derive(
        utf8("x"),
        utf8("salt-salt-salt-1"),
        { N: 1024, r: 8, p: 1 },
        {
          signal: controller.signal,
        },
      ),
    ).rejects.toSatisfy((e) => isCryptoError(e, "ABORTED"))
  })
})
