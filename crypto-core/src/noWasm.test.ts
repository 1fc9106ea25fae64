// Where WebAssembly is missing or refused (a hardened browser, a CSP without 'wasm-unsafe-eval'),
// the fast paths must step aside without an error and the pure-JS paths give the same results.
// WebAssembly is hidden only around the loaders: Node's own fetch needs it meanwhile.
import { describe, expect, it } from "vitest"
import { loadSodiumChunkAead } from "./chunkAeadSodium.js"
import * as core from "./index.js"
import { loadWasmScrypt } from "./scryptWasm.js"

async function withoutWebAssembly<T>(run: () => Promise<T>): Promise<T> {
  const saved = globalThis.WebAssembly
  Object.defineProperty(globalThis, "WebAssembly", { value: undefined, configurable: true })
  try {
    return await run()
  } finally {
    Object.defineProperty(globalThis, "WebAssembly", { value: saved, configurable: true })
  }
}

describe("without WebAssembly", () => {
  it("the WebAssembly loaders resolve undefined instead of failing", async () => {
    const loaded = await withoutWebAssembly(async () => [
      typeof globalThis.WebAssembly,
      await loadSodiumChunkAead(),
      await loadWasmScrypt(),
    ])
    expect(loaded).toEqual(["undefined", undefined, undefined])
  })

  it("files still seal and open, and keys still derive, on the pure-JS paths", async () => {
    expect(core.activeChunkAead().name).toBe("noble")
    expect(core.activeScrypt().name).toBe("noble")
    const identity = core.generateAgeIdentity()
    const recipient = await core.recipientOf(identity)
    const sealer = await core.createFileSealer([recipient])
    const sealed = sealer.sealChunk(0, core.utf8("no wasm here"), true)
    const opener = await core.openFileHeader(sealer.header, identity)
    expect(core.fromUtf8(opener.openChunk(0, sealed, true))).toBe("no wasm here")
    const keys = await core.derivePasswordKeys("pw", new Uint8Array(16), { N: 2 ** 15, r: 8, p: 1 })
    expect(keys.recipient).toMatch(/^age1/)
  })
})
