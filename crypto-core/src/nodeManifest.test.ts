import { describe, expect, it } from "vitest"
import { expectCode } from "./_testing.js"
import { createSigningKey } from "./keyDirectory.js"
import {
  manifestOprfKeys,
  type NodeManifest,
  signNodeManifest,
  verifyNodeManifest,
} from "./nodeManifest.js"
import { oprfKeyFromSeed, oprfKeyId } from "./oprf.js"
import { checkKdfWithin, MIN_KDF_PARAMS } from "./passwordKdf.js"
import { DEFAULT_RECEIPT_KDF_PARAMS, DEFAULT_RECEIPT_PATTERN } from "./receipt.js"
import { signerOf } from "./signedStatement.js"

const node = createSigningKey()
const fields = (version: number): Omit<NodeManifest, "v" | "protocol" | "directorySigner"> => ({
  version,
  issuedAt: "2026-12-01T00:00:00.000Z",
  name: "Test node",
  escrow: null,
  receipt: {
    pattern: DEFAULT_RECEIPT_PATTERN,
    salt: "AAAAAAAAAAAAAAAAAAAAAA",
    params: DEFAULT_RECEIPT_KDF_PARAMS,
  },
  passwordKdf: { floor: { N: 2 ** 16, r: 8, p: 1 }, ceiling: { N: 2 ** 18, r: 8, p: 1 } },
  pow: { minDifficulty: 8, maxDifficulty: 24 },
})

describe("node manifest", () => {
  it("verifies on first use and pins the node key and version", () => {
    const { manifest, pin } = verifyNodeManifest(signNodeManifest(fields(1), node), undefined)
    expect(manifest.directorySigner).toBe(signerOf(node))
    expect(pin).toEqual({ signer: signerOf(node), version: 1 })
  })

  it("accepts a newer version and the same version again under the pin", () => {
    const pin = { signer: signerOf(node), version: 2 }
    expect(verifyNodeManifest(signNodeManifest(fields(2), node), pin).pin.version).toBe(2)
    expect(verifyNodeManifest(signNodeManifest(fields(5), node), pin).pin.version).toBe(5)
  })

  it("refuses a lower version than seen with STALE", async () => {
    const pin = { signer: signerOf(node), version: 3 }
    await expectCode(
      Promise.resolve().then(() => verifyNodeManifest(signNodeManifest(fields(2), node), pin)),
      "STALE",
    )
  })

  it("refuses a manifest from another key with KEY_MISMATCH", async () => {
    const pin = { signer: signerOf(node), version: 1 }
    const other = signNodeManifest(fields(9), createSigningKey())
    await expectCode(
      Promise.resolve().then(() => verifyNodeManifest(other, pin)),
      "KEY_MISMATCH",
    )
  })

  it("refuses a changed field (a relay's own escrow recipient) with BAD_SIGNATURE", async () => {
    const signed = signNodeManifest(fields(1), node)
    const forged = {
      ...signed,
      body: {
        ...signed.body,
        escrow: "age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq",
      },
    }
    await expectCode(
      Promise.resolve().then(() => verifyNodeManifest(forged, undefined)),
      "BAD_SIGNATURE",
    )
  })

  it("refuses to sign a floor above its ceiling", async () => {
    const bad = {
      ...fields(1),
      passwordKdf: { floor: { N: 2 ** 18, r: 8, p: 1 }, ceiling: MIN_KDF_PARAMS },
    }
    await expectCode(
      Promise.resolve().then(() => signNodeManifest(bad, node)),
      "BAD_INPUT",
    )
  })
})

describe("the manifest's OPRF keys", () => {
  const k1 = oprfKeyId(oprfKeyFromSeed(new Uint8Array(32).fill(1)).publicKey)
  const k2 = oprfKeyId(oprfKeyFromSeed(new Uint8Array(32).fill(2)).publicKey)
  const withOprf = (keys: string[], suite = "ristretto255-SHA512") =>
    ({ ...fields(1), oprf: { suite, keys } }) as Omit<
      NodeManifest,
      "v" | "protocol" | "directorySigner"
    >

  it("are absent from a manifest signed before the OPRF, which still verifies", () => {
    const { manifest } = verifyNodeManifest(signNodeManifest(fields(1), node), undefined)
    expect(manifestOprfKeys(manifest)).toEqual([])
  })

  it("list one key, or two during a rotation, signed with the rest", () => {
    const signed = signNodeManifest(withOprf([k2, k1]), node)
    const keys = manifestOprfKeys(verifyNodeManifest(signed, undefined).manifest)
    expect(keys.map(oprfKeyId)).toEqual([k2, k1])
  })

  it("cannot be swapped by the relay: a changed key breaks the signature", async () => {
    const signed = signNodeManifest(withOprf([k1]), node)
    const forged = { ...signed, body: { ...signed.body, oprf: { suite: OPRF, keys: [k2] } } }
    await expectCode(
      Promise.resolve().then(() => verifyNodeManifest(forged, undefined)),
      "BAD_SIGNATURE",
    )
  })

  it("refuses another suite, no key, three keys or a repeated key", async () => {
    for (const bad of [withOprf([k1], "P256-SHA256"), withOprf([]), withOprf([k1, k2, k1])]) {
      await expectCode(
        Promise.resolve().then(() => signNodeManifest(bad, node)),
        "BAD_INPUT",
      )
    }
    await expectCode(
      Promise.resolve().then(() => signNodeManifest(withOprf([k1, k1]), node)),
      "BAD_INPUT",
    )
  })

  it("say v1Receipts only as true, signed with the rest", async () => {
    const upgraded = { ...fields(1), oprf: { suite: OPRF, keys: [k1], v1Receipts: true as const } }
    const { manifest } = verifyNodeManifest(signNodeManifest(upgraded, node), undefined)
    expect(manifest.oprf?.v1Receipts).toBe(true)
    const bad = { ...upgraded, oprf: { ...upgraded.oprf, v1Receipts: false } }
    await expectCode(
      Promise.resolve().then(() => signNodeManifest(bad as unknown as typeof upgraded, node)),
      "BAD_INPUT",
    )
  })
})

const OPRF = "ristretto255-SHA512" as const

describe("KDF bounds", () => {
  const bounds = fields(1).passwordKdf
  it("accepts parameters inside the bounds", () => {
    expect(checkKdfWithin({ N: 2 ** 17, r: 8, p: 1 }, bounds)).toEqual({ N: 2 ** 17, r: 8, p: 1 })
  })
  it("refuses N below the floor with WEAK_PARAMS", async () => {
    await expectCode(
      Promise.resolve().then(() => checkKdfWithin({ N: 2 ** 15, r: 8, p: 1 }, bounds)),
      "WEAK_PARAMS",
    )
  })
  it("refuses memory or work above the ceiling with COSTLY_PARAMS", async () => {
    await expectCode(
      Promise.resolve().then(() => checkKdfWithin({ N: 2 ** 19, r: 8, p: 1 }, bounds)),
      "COSTLY_PARAMS",
    )
    await expectCode(
      Promise.resolve().then(() => checkKdfWithin({ N: 2 ** 18, r: 16, p: 1 }, bounds)),
      "COSTLY_PARAMS",
    )
    await expectCode(
      Promise.resolve().then(() => checkKdfWithin({ N: 2 ** 18, r: 8, p: 4 }, bounds)),
      "COSTLY_PARAMS",
    )
  })
  it("names a cost past the absolute maximum COSTLY_PARAMS too, not bad input", async () => {
    await expectCode(
      Promise.resolve().then(() => checkKdfWithin({ N: 2 ** 24, r: 8, p: 1 }, bounds)),
      "COSTLY_PARAMS",
    )
  })
})
