import {
  createSigningKey,
  DEFAULT_RECEIPT_KDF_PARAMS,
  DEFAULT_RECEIPT_PATTERN,
  fingerprintWords,
  fromBase64url,
  generateAgeIdentity,
  recipientOf,
  signDirectory,
  signNodeManifest,
} from "@sotto/crypto-core"
import { afterAll, beforeAll, describe, expect, test } from "vitest"
import { type CryptoWorkers, createCryptoWorkers } from "./index.js"
import { nodeWorkerFactories } from "./node.js"

// The small worker a whistleblower's first visit loads to check the node and the context's
// recipients before the report form is usable: the same answers and errors as crypto-core.

let workers: CryptoWorkers
beforeAll(async () => {
  workers = createCryptoWorkers(await nodeWorkerFactories())
})
afterAll(() => workers.terminate())

describe("trust worker", () => {
  test("directory verification: pin on first use, KEY_MISMATCH, BAD_SIGNATURE", async () => {
    const node = createSigningKey()
    const recipient = await recipientOf(generateAgeIdentity())
    const signed = signDirectory(
      {
        v: 2,
        context: "press",
        version: 1,
        issuedAt: "2025-01-01T00:00:00.000Z",
        expiresAt: "2099-01-01T00:00:00.000Z",
        recipients: [{ id: "ana", name: "Ana", recipient }],
      },
      node,
    )
    const first = await workers.trust.verifyDirectory(signed, undefined)
    expect(first.directory).toEqual(signed.directory)
    expect((await workers.trust.verifyDirectory(signed, first.pin)).pin).toBe(first.pin)
    const impostor = signDirectory(signed.directory, createSigningKey())
    await expect(workers.trust.verifyDirectory(impostor, first.pin)).rejects.toMatchObject({
      code: "KEY_MISMATCH",
    })
    const forged = { ...signed, directory: { ...signed.directory, context: "other" } }
    await expect(workers.trust.verifyDirectory(forged, first.pin)).rejects.toMatchObject({
      code: "BAD_SIGNATURE",
    })
  })

  test("node manifest: pinned on first use, another key refused; fingerprint words as crypto-core's", async () => {
    const node = createSigningKey()
    const fields = {
      version: 1,
      issuedAt: new Date().toISOString(),
      name: "Test node",
      escrow: null,
      receipt: {
        pattern: DEFAULT_RECEIPT_PATTERN,
        salt: "AAAAAAAAAAAAAAAAAAAAAA",
        params: DEFAULT_RECEIPT_KDF_PARAMS,
      },
      passwordKdf: { floor: { N: 2 ** 16, r: 8, p: 1 }, ceiling: { N: 2 ** 18, r: 8, p: 1 } },
      pow: { minDifficulty: 8, maxDifficulty: 24 },
    }
    const { manifest, pin } = await workers.trust.verifyNodeManifest(
      signNodeManifest(fields, node),
      undefined,
    )
    expect(manifest.name).toBe("Test node")
    await expect(
      workers.trust.verifyNodeManifest(signNodeManifest(fields, createSigningKey()), pin),
    ).rejects.toMatchObject({ code: "KEY_MISMATCH" })
    expect(await workers.trust.fingerprintWords(manifest.directorySigner)).toEqual(
      fingerprintWords(fromBase64url("key", manifest.directorySigner)),
    )
  })
})
