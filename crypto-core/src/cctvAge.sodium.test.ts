// The C2SP CCTV age vectors with the file streams on libsodium's WebAssembly ChaCha20-Poly1305
// (the file workers' fast path), with WebCrypto available, so the WASM path is held to exactly
// the vectors the pure-JS path is (see _cctvRun.ts and cctvAge.test.ts).
import { armor } from "age-encryption"
import { afterAll, describe, expect, it } from "vitest"
import { defineCctvSuites } from "./_cctvRun.js"
import { activeChunkAead, nobleChunkAead, useChunkAead } from "./chunkAead.js"
import { loadSodiumChunkAead } from "./chunkAeadSodium.js"
import * as core from "./index.js"

const sodium = await loadSodiumChunkAead()
if (sodium === undefined) throw new Error("libsodium's WebAssembly build did not load in Node")
useChunkAead(sodium)
afterAll(() => useChunkAead(nobleChunkAead))

describe("the libsodium path", () => {
  it("is the one the file streams use in this file", () => {
    expect(activeChunkAead().name).toBe("libsodium-wasm")
  })
})

defineCctvSuites("libsodium WASM, with WebCrypto", () => ({ core, armorDecode: armor.decode }))
