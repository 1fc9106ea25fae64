import { statfs } from "node:fs/promises"
import type { RelayContext } from "../context.js"
import { RelayError } from "../errors.js"
import { perContext } from "./perContext.js"

// The free-disk watermark: under it the node refuses anonymous writes (submissions, whistleblower
// comments and uploads) with 507 INSUFFICIENT_STORAGE, so an anonymous flood cannot fill the disk
// the staff's work and LevelDB's compactions need. Staff writes still go through; staff see the
// state in the admin stats (`disk`), and the relay logs a warning once per crossing.

/** Free bytes under which anonymous writes are refused: 1 GiB (`MIN_FREE_DISK_MB` overrides). */
export const DEFAULT_MIN_FREE_BYTES = 1024 * 1024 * 1024

/** How long one free-space reading is trusted, so a flood costs one statfs per interval. */
const PROBE_TTL_MS = 5_000

/** Reports the bytes available to the relay on the data dir's filesystem. */
export type FreeSpaceProbe = () => Promise<number>

/** The watermark of one running relay. */
export class DiskGuard {
  /** Replaceable: tests simulate a full disk instead of filling one. */
  probe: FreeSpaceProbe
  minFreeBytes: number
  #reading: { at: number; free: number } | undefined
  #low = false

  constructor(private readonly ctx: RelayContext) {
    const fromEnv = Number(process.env.MIN_FREE_DISK_MB)
    this.minFreeBytes =
      Number.isFinite(fromEnv) && fromEnv >= 0 ? fromEnv * 1024 * 1024 : DEFAULT_MIN_FREE_BYTES
    this.probe = async () => {
      const s = await statfs(ctx.config.dataDir)
      return Number(s.bavail) * Number(s.bsize)
    }
  }

  /** Free bytes now (cached for a few seconds) and whether that is under the watermark. */
  async state(): Promise<{ freeBytes: number; minFreeBytes: number; low: boolean }> {
    const now = this.ctx.clock.now()
    if (!this.#reading || now - this.#reading.at > PROBE_TTL_MS || now < this.#reading.at) {
      this.#reading = { at: now, free: await this.probe() }
    }
    const low = this.#reading.free < this.minFreeBytes
    if (low !== this.#low) {
      this.#low = low
      const fields = { freeBytes: this.#reading.free, minFreeBytes: this.minFreeBytes }
      if (low) this.ctx.log.warn("disk_low_anonymous_writes_refused", fields)
      else this.ctx.log.info("disk_ok_anonymous_writes_accepted", fields)
    }
    return { freeBytes: this.#reading.free, minFreeBytes: this.minFreeBytes, low }
  }

  /** Forgets the cached reading (after a test swaps the probe). */
  refresh(): void {
    this.#reading = undefined
  }

  /** @throws RelayError INSUFFICIENT_STORAGE while free space is under the watermark. */
  async requireRoom(): Promise<void> {
    if ((await this.state()).low) {
      throw new RelayError(
        "INSUFFICIENT_STORAGE",
        "this node is short of disk space and takes no new reports or files for now; try again later",
      )
    }
  }
}

/** The disk guard of a running relay (one per context, made on first use). */
export const diskGuard: (ctx: RelayContext) => DiskGuard = perContext((ctx) => new DiskGuard(ctx))
