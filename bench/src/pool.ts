import { decryptFile, encryptFile, generateAgeIdentity, recipientOf } from "@sotto/crypto-core"
import {
  decryptWithPool,
  encryptWithPool,
  type FileApi,
  type PoolStreamOptions,
  sealedSize,
  WorkerPool,
} from "@sotto/workers"
import { nodeWorkerFactory, WORKER_ENTRIES } from "@sotto/workers/node"
import { Decrypter, Encrypter } from "age-encryption"
import {
  type Contender,
  progress,
  type RoundOptions,
  round,
  type Timing,
  timeInterleaved,
  timingOf,
} from "./_measure.js"
import { compare, type Series, toSeries } from "./_report.js"
import {
  ByteCollector,
  drain,
  expectLength,
  MIB,
  pseudoRandomStream,
  replayStream,
} from "./_source.js"

// Pooled file encryption and decryption (@sotto/workers: batches of age chunks sealed or opened
// in worker_threads, streams kept on the main thread) against typage single-thread and
// crypto-core single-thread, all in the same interleaved rounds. A separate untimed pass per pool
// records how much main-thread memory (heap + ArrayBuffers, after gc) the pooled stream holds.

/** Sizes for the pool bench. */
export interface PoolBenchOptions extends RoundOptions {
  /** Plaintext size in MiB. */
  readonly sizeMiB: number
  /** Size of each piece a source stream delivers, in MiB (like a file read). */
  readonly pieceMiB: number
  /** Pool sizes to measure, e.g. [1, 2]. */
  readonly poolSizes: readonly number[]
}

/** Main-thread memory during one untimed pooled run: heapUsed + arrayBuffers after gc. */
export interface MemoryPeak {
  /** Before the run started (pool already started and warm). */
  readonly baselineMiB: number
  /** Largest sample during the run. */
  readonly peakMiB: number
  /** peak − baseline: what the pooled stream holds on the main thread. */
  readonly growthMiB: number
  /** Samples taken (one per 8 MiB of plaintext, plus the baseline). */
  readonly sampleCount: number
}

/** One row: a direction through a pool of `workers`, against the single-thread peers. */
export interface PoolRow {
  /** Stable key, e.g. `pool/encrypt/workers=2`. */
  readonly id: string
  readonly operation: "encrypt" | "decrypt"
  readonly workers: number
  /** The @sotto/workers call that was timed. */
  readonly subject: string
  readonly unit: "MiB/s"
  readonly median: number
  readonly samples: readonly number[]
  /** typage single-thread, same rounds; `ratio` = pool median / typage median. */
  readonly typage: Series & { readonly ratio: number }
  /** crypto-core single-thread (encryptFile / decryptFile), same rounds; `ratio` = pool / core. */
  readonly cryptoCore: Series & { readonly ratio: number }
  readonly memory: MemoryPeak
}

/** The `pool` section of `bench/results/crypto-core.json`. */
export interface PoolResults {
  readonly ratioMeaning: string
  readonly params: Readonly<Record<string, number | string>>
  readonly rows: readonly PoolRow[]
}

const TYPAGE = "typage"
const CORE = "crypto-core"
const poolName = (workers: number): string => `pool x${workers}`

/** Main-thread bytes a buffered file would show up in, after a full collection. */
function mainThreadBytes(): number {
  ;(globalThis as { gc?: () => void }).gc?.()
  const { heapUsed, arrayBuffers } = process.memoryUsage()
  return heapUsed + arrayBuffers
}

/**
 * Runs `body` once with a progress callback that samples main-thread memory every 8 MiB of
 * plaintext. Untimed: the forced collections would distort a throughput sample.
 */
async function memoryPeak(
  body: (onProgress: NonNullable<PoolStreamOptions["onProgress"]>) => Promise<void>,
): Promise<MemoryPeak> {
  // ArrayBuffer backing stores are released after the collection that finds them dead, so let a
  // few collections and turns of the event loop pass before the baseline is taken.
  for (let i = 0; i < 3; i++) {
    mainThreadBytes()
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  const baseline = mainThreadBytes()
  let peak = baseline
  let samples = 1
  let next = 8 * MIB
  await body((done) => {
    if (done < next) return
    next += 8 * MIB
    samples++
    peak = Math.max(peak, mainThreadBytes())
  })
  return {
    baselineMiB: round(baseline / MIB, 1),
    peakMiB: round(peak / MIB, 1),
    growthMiB: round((peak - baseline) / MIB, 1),
    sampleCount: samples,
  }
}

/**
 * Measures encryption then decryption of `sizeMiB` of pseudo-random plaintext through pools of
 * each size in `poolSizes`, against typage and crypto-core on the main thread.
 */
export async function benchPool(options: PoolBenchOptions): Promise<PoolResults> {
  const size = options.sizeMiB * MIB
  const piece = options.pieceMiB * MIB
  const source = (): ReadableStream<Uint8Array> => pseudoRandomStream(size, piece)
  const identity = generateAgeIdentity()
  const recipient = await recipientOf(identity)
  const factory = await nodeWorkerFactory(WORKER_ENTRIES.file)
  const pools = options.poolSizes.map((n) => new WorkerPool<FileApi>(factory, n))
  try {
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
    const poolEncrypt = async (
      pool: WorkerPool<FileApi>,
      extra: PoolStreamOptions = {},
    ): Promise<void> => {
      const file = await encryptWithPool(pool, source(), [recipient], extra)
      expectLength(
        "pool ciphertext",
        await drain(file.stream),
        sealedSize(file.header.length, size),
      )
    }

    const encrypters: Contender[] = [
      {
        name: TYPAGE,
        run: async () => {
          await drain(await typageEncrypt(source()))
        },
      },
      {
        name: CORE,
        run: async () => {
          await drain(await encryptFile(source(), [recipient]))
        },
      },
      ...pools.map((pool) => ({ name: poolName(pool.size), run: () => poolEncrypt(pool) })),
    ]
    progress(
      `pool: encrypt ${options.sizeMiB} MiB, typage / crypto-core / pools of ` +
        `${options.poolSizes.join(", ")} x ${options.warmup}+${options.reps}`,
    )
    const encryptTimings = await timeInterleaved(encrypters, options)

    // One ciphertext for every decrypter: age files are interchangeable, and typage reading the
    // pool's output doubles as an interoperability check.
    progress("pool: preparing the ciphertext (untimed)")
    const largest = pools[pools.length - 1]
    if (largest === undefined) throw new Error("pool bench needs at least one pool size")
    const sealed = await encryptWithPool(largest, source(), [recipient])
    const ciphertext = (await new ByteCollector().pushStream(sealed.stream)).bytes()
    expectLength("pool ciphertext", ciphertext.length, sealedSize(sealed.header.length, size))
    const replay = () => replayStream(ciphertext, piece)
    const check = (what: string) => (n: number) => expectLength(what, n, size)

    const decrypters: Contender[] = [
      {
        name: TYPAGE,
        run: async () => check("typage decrypt")(await drain(await typageDecrypt(replay()))),
      },
      {
        name: CORE,
        run: async () => check("crypto-core decrypt")(await drain(decryptFile(replay(), identity))),
      },
      ...pools.map((pool) => ({
        name: poolName(pool.size),
        run: async () =>
          check("pool decrypt")(await drain(decryptWithPool(pool, replay(), identity))),
      })),
    ]
    progress(`pool: decrypt ${options.sizeMiB} MiB x ${options.warmup}+${options.reps}`)
    const decryptTimings = await timeInterleaved(decrypters, options)

    progress("pool: main-thread memory, one untimed run per pool and direction")
    const encryptMemory: MemoryPeak[] = []
    const decryptMemory: MemoryPeak[] = []
    for (const pool of pools) {
      encryptMemory.push(await memoryPeak((onProgress) => poolEncrypt(pool, { onProgress })))
      decryptMemory.push(
        await memoryPeak(async (onProgress) =>
          check("pool decrypt")(
            await drain(decryptWithPool(pool, replay(), identity, { onProgress })),
          ),
        ),
      )
    }

    const mibPerSecond = (ms: number): number => options.sizeMiB / (ms / 1000)
    const rows = (
      operation: "encrypt" | "decrypt",
      subject: string,
      timings: readonly Timing[],
      memory: readonly MemoryPeak[],
    ): PoolRow[] => {
      const typage = toSeries(timingOf(timings, TYPAGE), mibPerSecond)
      const core = toSeries(timingOf(timings, CORE), mibPerSecond)
      return pools.map((pool, i) => {
        const subjectSeries = toSeries(timingOf(timings, poolName(pool.size)), mibPerSecond)
        const peak = memory[i]
        if (peak === undefined) throw new Error(`no memory sample for pool ${pool.size}`)
        return {
          id: `pool/${operation}/workers=${pool.size}`,
          operation,
          workers: pool.size,
          subject,
          unit: "MiB/s",
          median: subjectSeries.median,
          samples: subjectSeries.samples,
          typage: compare(subjectSeries, typage),
          cryptoCore: compare(subjectSeries, core),
          memory: peak,
        }
      })
    }
    return {
      ratioMeaning:
        "pool throughput / single-thread throughput (same rounds); below 1 means the pool is slower",
      params: {
        plaintextMiB: options.sizeMiB,
        sourcePieceMiB: options.pieceMiB,
        batchChunks: 16,
        maxInFlight: "2 x pool size",
        chunkBytes: 64 * 1024,
        reps: options.reps,
        warmup: options.warmup,
        memorySampling: "heapUsed + arrayBuffers after gc, every 8 MiB, separate untimed run",
      },
      rows: [
        ...rows(
          "encrypt",
          "encryptWithPool(pool, stream, [recipient]), output drained",
          encryptTimings,
          encryptMemory,
        ),
        ...rows(
          "decrypt",
          "decryptWithPool(pool, ciphertextStream, identity), output drained",
          decryptTimings,
          decryptMemory,
        ),
      ],
    }
  } finally {
    for (const pool of pools) pool.terminate()
  }
}
