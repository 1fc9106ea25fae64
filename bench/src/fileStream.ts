import { randomBytes } from "node:crypto"
import { decryptFile, encryptFile, generateAgeIdentity, recipientOf } from "@sotto/crypto-core"
import { Decrypter, Encrypter } from "age-encryption"
import {
  type Contender,
  progress,
  type RoundOptions,
  type Timing,
  timeInterleaved,
  timingOf,
} from "./_measure.js"
import { nativeDecrypt, nativeEncrypt } from "./_native.js"
import { compare, type Measurement, toSeries } from "./_report.js"
import {
  ByteCollector,
  drain,
  expectLength,
  MIB,
  pseudoRandomStream,
  replayStream,
} from "./_source.js"

// Streaming file encryption and decryption of a large plaintext: crypto-core's encryptFile /
// decryptFile against the same STREAM payload done natively (node:crypto, OpenSSL) and against
// typage (age-encryption), the library crypto-core builds its headers with.

/** Sizes for the streaming bench. */
export interface FileStreamBenchOptions extends RoundOptions {
  /** Plaintext size in MiB. */
  readonly sizeMiB: number
  /** Size of each piece a source stream delivers, in MiB (like a file read). */
  readonly pieceMiB: number
}

const CORE = "crypto-core"
const NATIVE = "node:crypto"
const TYPAGE = "typage"

/** Builds one measurement row; throughput is plaintext MiB per second for both directions. */
function toMeasurement(
  id: string,
  subject: string,
  timings: readonly Timing[],
  options: FileStreamBenchOptions,
): Measurement {
  const mibPerSecond = (ms: number): number => options.sizeMiB / (ms / 1000)
  const core = toSeries(timingOf(timings, CORE), mibPerSecond)
  const native = toSeries(timingOf(timings, NATIVE), mibPerSecond)
  const typage = toSeries(timingOf(timings, TYPAGE), mibPerSecond)
  return {
    id,
    subject,
    unit: "MiB/s",
    median: core.median,
    samples: core.samples,
    baseline: native,
    ratio: compare(core, native).ratio,
    ratioMeaning: "crypto-core throughput / other throughput; below 1 means crypto-core is slower",
    competitors: [compare(core, typage)],
    params: {
      plaintextMiB: options.sizeMiB,
      sourcePieceMiB: options.pieceMiB,
      chunkBytes: 64 * 1024,
      reps: options.reps,
      warmup: options.warmup,
    },
  }
}

/**
 * Measures encryption then decryption of `sizeMiB` of pseudo-random plaintext with crypto-core,
 * node:crypto and typage. Encryption consumes a generated stream and discards the output;
 * decryption replays each implementation's own ciphertext, prepared untimed, from memory.
 */
export async function benchFileStream(options: FileStreamBenchOptions): Promise<Measurement[]> {
  const size = options.sizeMiB * MIB
  const piece = options.pieceMiB * MIB
  const source = (): ReadableStream<Uint8Array> => pseudoRandomStream(size, piece)
  const identity = generateAgeIdentity()
  const recipient = await recipientOf(identity)
  const nativeKey = randomBytes(32)
  const discard = (): void => {}

  const typageEncrypt = async (input: ReadableStream<Uint8Array>) => {
    const e = new Encrypter()
    e.addRecipient(recipient)
    return e.encrypt(input)
  }
  const typageDecrypt = async (input: ReadableStream<Uint8Array>) => {
    const d = new Decrypter()
    d.addIdentity(identity)
    return d.decrypt(input)
  }

  // Encryption output is drained and dropped; its size is checked once below, when collected.
  const encrypters: Contender[] = [
    {
      name: CORE,
      run: async () => {
        await drain(await encryptFile(source(), [recipient]))
      },
    },
    {
      name: NATIVE,
      run: async () => {
        await nativeEncrypt(source(), nativeKey, discard)
      },
    },
    {
      name: TYPAGE,
      run: async () => {
        await drain(await typageEncrypt(source()))
      },
    },
  ]
  progress(`file stream: encrypt ${options.sizeMiB} MiB x ${options.warmup}+${options.reps}`)
  const encryptTimings = await timeInterleaved(encrypters, options)

  progress("file stream: preparing ciphertexts (untimed)")
  const coreCiphertext = (
    await new ByteCollector().pushStream(await encryptFile(source(), [recipient]))
  ).bytes()
  const nativeCollector = new ByteCollector()
  await nativeEncrypt(source(), nativeKey, (b) => nativeCollector.push(b))
  const nativeCiphertext = nativeCollector.bytes()
  const typageCiphertext = (
    await new ByteCollector().pushStream(await typageEncrypt(source()))
  ).bytes()
  // Every payload is the plaintext plus one 16-byte tag per 64 KiB chunk; age files add a header.
  const payload = size + Math.max(1, Math.ceil(size / (64 * 1024))) * 16
  expectLength("native ciphertext", nativeCiphertext.length, payload)
  for (const [what, bytes] of [
    ["crypto-core ciphertext", coreCiphertext],
    ["typage ciphertext", typageCiphertext],
  ] as const) {
    if (bytes.length <= payload)
      throw new Error(`${what}: ${bytes.length} bytes, no room for a header`)
  }

  const check = (what: string) => (n: number) => expectLength(what, n, size)
  const decrypters: Contender[] = [
    {
      name: CORE,
      run: async () =>
        check("crypto-core decrypt")(
          await drain(decryptFile(replayStream(coreCiphertext, piece), identity)),
        ),
    },
    {
      name: NATIVE,
      run: async () =>
        check("native decrypt")(
          await nativeDecrypt(replayStream(nativeCiphertext, piece), nativeKey, discard),
        ),
    },
    {
      name: TYPAGE,
      run: async () =>
        check("typage decrypt")(
          await drain(await typageDecrypt(replayStream(typageCiphertext, piece))),
        ),
    },
  ]
  progress(`file stream: decrypt ${options.sizeMiB} MiB x ${options.warmup}+${options.reps}`)
  const decryptTimings = await timeInterleaved(decrypters, options)

  return [
    toMeasurement(
      "file/encrypt",
      "encryptFile(stream, [recipient]), output drained",
      encryptTimings,
      options,
    ),
    toMeasurement(
      "file/decrypt",
      "decryptFile(ciphertextStream, identity), output drained",
      decryptTimings,
      options,
    ),
  ]
}
