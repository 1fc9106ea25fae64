// The C2SP CCTV age vectors on the libsodium WebAssembly path with `crypto.subtle` undefined: a
// file worker on a page that is not a secure context (an .onion site on iOS) still has WASM.
import { afterAll, describe, expect, it } from "vitest"
import { defineCctvSuites } from "./_cctvRun.js"

Object.defineProperty(globalThis.crypto, "subtle", { value: undefined, configurable: true })
const core = await import("./index.js")
const { armor } = await import("age-encryption")
const { loadSodiumChunkAead } = await import("./chunkAeadSodium.js")
const sodium = await loadSodiumChunkAead()
if (sodium === undefined) throw new Error("libsodium's WebAssembly build did not load in Node")
core.useChunkAead(sodium)

afterAll(() => {
  core.useChunkAead(core.nobleChunkAead)
  Reflect.deleteProperty(globalThis.crypto, "subtle")
})

describe("the libsodium path without WebCrypto", () => {
  it("runs with no crypto.subtle", () => {
    expect(globalThis.crypto.subtle).toBeUndefined()
    expect(core.activeChunkAead().name).toBe("libsodium-wasm")
  })
})

defineCctvSuites("libsodium WASM, without WebCrypto", () => ({ core, armorDecode: armor.decode }))
