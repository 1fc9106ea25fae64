import { randomBytes } from "@noble/hashes/utils.js"
import { afterEach, describe, expect, it } from "vitest"
import { nobleChunkAead, useChunkAead } from "./chunkAead.js"
import { loadSodiumChunkAead } from "./chunkAeadSodium.js"
import { isCryptoError } from "./errors.js"
import { createFileSealer, generateAgeIdentity, openFileHeader, recipientOf } from "./index.js"

const sodium = await loadSodiumChunkAead()
afterEach(() => useChunkAead(nobleChunkAead))

describe("the two chunk AEADs", () => {
  it("load libsodium's WebAssembly build in Node", () => {
    expect(sodium?.name).toBe("libsodium-wasm")
  })

  it("give identical bytes for every size a chunk can have", () => {
    const key = randomBytes(32)
    const nonce = randomBytes(12)
    for (const size of [0, 1, 15, 16, 17, 1000, 65535, 65536]) {
      const plaintext = randomBytes(size)
      const a = nobleChunkAead.seal(key, nonce, plaintext)
      const b = sodium?.seal(key, nonce, plaintext)
      expect(b).toEqual(a)
      expect(sodium?.open(key, nonce, a)).toEqual(plaintext)
      expect(nobleChunkAead.open(key, nonce, a)).toEqual(plaintext)
    }
  })

  it("refuse a flipped bit on either path, reported as TAMPERED by the file opener", async () => {
    const identity = generateAgeIdentity()
    const recipient = await recipientOf(identity)
    for (const aead of [nobleChunkAead, sodium]) {
      if (aead === undefined) throw new Error("no libsodium")
      useChunkAead(aead)
      const sealer = await createFileSealer([recipient])
      const sealed = sealer.sealChunk(0, new Uint8Array(100).fill(9), true)
      sealed[5] = (sealed[5] ?? 0) ^ 1
      const opener = await openFileHeader(sealer.header, identity)
      try {
        opener.openChunk(0, sealed, true)
        expect.unreachable()
      } catch (e) {
        expect(isCryptoError(e, "TAMPERED")).toBe(true)
      }
    }
  })
})
