// The C2SP CCTV age vectors with `crypto.subtle` undefined, as on a page that is not a secure
// context (an .onion site on iOS): crypto-core must then use its pure-JS paths only.
// crypto-core and age-encryption are imported only after WebCrypto is removed.
import { afterAll, describe, expect, it } from "vitest"
import { defineCctvSuites } from "./_cctvRun.js"

Object.defineProperty(globalThis.crypto, "subtle", { value: undefined, configurable: true })
const core = await import("./index.js")
const { armor } = await import("age-encryption")

afterAll(() => {
  // Drop the shadowing own property so Crypto.prototype's getter shows through again.
  Reflect.deleteProperty(globalThis.crypto, "subtle")
})

describe("without WebCrypto", () => {
  it("has no crypto.subtle but a working crypto.getRandomValues", () => {
    expect(globalThis.crypto.subtle).toBeUndefined()
    const a = globalThis.crypto.getRandomValues(new Uint8Array(32))
    const b = globalThis.crypto.getRandomValues(new Uint8Array(32))
    expect(a.some((x) => x !== 0)).toBe(true)
    expect(a).not.toEqual(b)
  })

  it("still derives recipients and round-trips an age file", async () => {
    const identity = core.generateAgeIdentity()
    const recipient = await core.recipientOf(identity)
    const sealed = await core.encryptToRecipients([recipient], core.utf8("no subtle"))
    expect(core.fromUtf8(await core.decryptAgeFile(sealed, identity, [recipient]))).toBe(
      "no subtle",
    )
  })
})

defineCctvSuites("without WebCrypto", () => ({ core, armorDecode: armor.decode }))
