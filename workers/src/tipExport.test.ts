import {
  DEFAULT_KDF_BOUNDS,
  DEFAULT_KDF_PARAMS,
  DEFAULT_RECEIPT_KDF_PARAMS,
  DEFAULT_RECEIPT_PATTERN,
  decryptAgeFile,
  generateAgeIdentity,
  readTipArchive,
  recipientOf,
} from "@sotto/crypto-core"
import { decrypt, generateKey, readMessage, readPrivateKey } from "openpgp"
import { afterAll, beforeAll, describe, expect, test } from "vitest"
import { type CryptoWorkers, createCryptoWorkers } from "./index.js"
import { nodeWorkerFactories } from "./node.js"

let workers: CryptoWorkers
beforeAll(async () => {
  workers = createCryptoWorkers(await nodeWorkerFactories())
})
afterAll(() => workers.terminate())

const bundle = {
  tip: { id: "tip-1", status: "open" },
  answers: { what: "the ledger is cooked" },
  comments: [{ author: "Alice", text: "send the ledger" }],
  files: [{ name: "ledger.csv", type: "text/csv", bytes: new TextEncoder().encode("a,b\n1,2\n") }],
}

describe("tip worker exports", () => {
  test("age export opens with the chosen identity and holds answers, comments and files", async () => {
    const identity = generateAgeIdentity()
    const sealed = await workers.tip.exportTipAge(bundle, await recipientOf(identity))
    const zip = await decryptAgeFile(sealed, identity, undefined)
    const { manifest, files } = readTipArchive(zip)
    expect(manifest).toMatchObject({ answers: bundle.answers, comments: bundle.comments })
    expect(new TextDecoder().decode(files["files/ledger.csv"])).toBe("a,b\n1,2\n")
    await expect(workers.tip.exportTipAge(bundle, "age1nope")).rejects.toMatchObject({
      code: "BAD_INPUT",
    })
  })

  test("OpenPGP export (openpgp loaded lazily in the worker) decrypts with the private key", async () => {
    const { privateKey, publicKey } = await generateKey({
      type: "curve25519",
      userIDs: [{ name: "Export test" }],
      format: "armored",
    })
    const armored = await workers.tip.exportTipPgp(bundle, publicKey)
    expect(armored).toContain("-----BEGIN PGP MESSAGE-----")
    const { data } = await decrypt({
      message: await readMessage({ armoredMessage: armored }),
      decryptionKeys: await readPrivateKey({ armoredKey: privateKey }),
      format: "binary",
    })
    expect(readTipArchive(data as Uint8Array).manifest).toMatchObject({ answers: bundle.answers })
    await expect(workers.tip.exportTipPgp(bundle, "not a key")).rejects.toMatchObject({
      code: "BAD_INPUT",
    })
  })

  test("the account worker hands out crypto-core's defaults for new accounts and nodes", async () => {
    expect(await workers.account.defaults()).toEqual({
      password: DEFAULT_KDF_PARAMS,
      passwordBounds: DEFAULT_KDF_BOUNDS,
      receipt: DEFAULT_RECEIPT_KDF_PARAMS,
      receiptPattern: DEFAULT_RECEIPT_PATTERN,
    })
  })
})
