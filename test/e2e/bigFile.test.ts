import { createCipheriv, createHash } from "node:crypto"
import { createReadStream, createWriteStream } from "node:fs"
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { TestRelay } from "../relay/_harness.js"
import { ARTIFACTS, openPage, startAppRelay } from "./_browser.js"
import { type PreparedNode, prepareNode } from "./_node.js"
import {
  launchMeasuredBrowser,
  type MeasuredBrowser,
  type MemoryGrowth,
  sampleMemory,
} from "./_processMemory.js"
import { passwordLogin } from "./_twoFactorUi.js"

// Issue 14, big files never in memory: a 1 GiB file goes from a whistleblower's PWA to a
// recipient's disk, each side in its own Chromium, SHA-256 equal on disk, with the renderers'
// growth (VmRSS of every renderer process, sampled: see _processMemory.ts) under BOUND; the
// issue's 64 MiB target is recorded beside it and not met yet. The file is made on
// disk from a seeded stream (AES-CTR over zeros), never held in this process. The download
// takes the service-worker streaming path, the one every user whose app has its service worker
// gets (lib/saveStream.ts). The figures go to test/artifacts/bigfile.json and, with
// SOTTO_BIGFILE_RESULTS=1 (`npm run bench -- bigfile`), to bench/results/bigfile.json.
// In `npm test` the file is 32 MiB: the streamed path end to end with SHA-256 equal on disk, in
// CI's time (1 GiB took over 20 minutes on the loaded 2-core machine); the bench runs 1 GiB.

const MiB = 1024 * 1024
const SIZE =
  Number(process.env.SOTTO_BIGFILE_MIB ?? (process.env.SOTTO_BIGFILE_RESULTS === "1" ? 1024 : 32)) *
  MiB
/** Issue 14's target for the renderer's growth on each side. NOT MET yet: see BOUND. */
const TARGET = 64 * MiB
/**
 * What this test asserts for now: the renderer's growth during the file's phase, well below
 * what holding a 1 GiB file would cost (0.87× the file was measured before streaming). Measured
 * at 128 MiB under load (Dec 2026, two runs): upload +240/+147 MiB, download +155/+171 MiB.
 * Where that goes is not yet known (probably transient buffers awaiting collection in each
 * isolate); bringing it under TARGET is open work (pwa/README.md).
 */
const BOUND = 256 * MiB
/** Readings a phase must have for its peak to mean something (a trial size is over sooner). */
const MIN_SAMPLES = SIZE >= 64 * MiB ? 10 : 1
const NAME = "archive-1GiB.bin"
const PASSWORD_FIELD = "What happened?"

let t: TestRelay
let node: PreparedNode
let dir: string
let source: { path: string; sha256: string }
const figures: Record<string, unknown> = {
  sizeBytes: SIZE,
  targetBytes: TARGET,
  assertedBoundBytes: BOUND,
}

/** Writes `size` deterministic bytes (AES-256-CTR keystream of a fixed seed) to `path`. */
async function seededFile(path: string, size: number): Promise<string> {
  const cipher = createCipheriv("aes-256-ctr", Buffer.alloc(32, 7), Buffer.alloc(16, 0))
  const zeros = Buffer.alloc(MiB)
  const hash = createHash("sha256")
  const out = createWriteStream(path)
  for (let done = 0; done < size; done += MiB) {
    const piece = cipher.update(zeros.subarray(0, Math.min(MiB, size - done)))
    hash.update(piece)
    if (!out.write(piece)) await new Promise<void>((resolve) => out.once("drain", resolve))
  }
  await new Promise<void>((resolve, reject) =>
    out.end((e?: Error | null) => (e ? reject(e) : resolve())),
  )
  return hash.digest("hex")
}

async function sha256OfFile(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash("sha256")
  let size = 0
  for await (const piece of createReadStream(path, { highWaterMark: MiB })) {
    hash.update(piece as Buffer)
    size += (piece as Buffer).length
  }
  return { sha256: hash.digest("hex"), size }
}

function mib(growth: MemoryGrowth): Record<string, number> {
  const m = (bytes: number) => Math.round((bytes / MiB) * 10) / 10
  return {
    baselineRendererMiB: m(growth.baseline.renderers),
    peakRendererMiB: m(growth.peak.renderers),
    rendererGrowthMiB: m(growth.growth.renderers),
    baselineBrowserMiB: m(growth.baseline.total),
    peakBrowserMiB: m(growth.peak.total),
    browserGrowthMiB: m(growth.growth.total),
    samples: growth.samples,
  }
}

beforeAll(async () => {
  t = await startAppRelay()
  node = await prepareNode(t, {
    questionnaire: [
      { id: "what", type: "textarea", label: PASSWORD_FIELD, required: true },
      { id: "evidence", type: "file", label: "Documents", required: false },
    ],
    maxFiles: 1,
    maxFileBytes: SIZE + MiB,
  })
  dir = await mkdtemp(join(tmpdir(), "sotto-bigfile-"))
  const path = join(dir, NAME)
  const started = performance.now()
  source = { path, sha256: await seededFile(path, SIZE) }
  figures.generateSeconds = Math.round(performance.now() - started) / 1000
}, 300_000)

afterAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true })
  const json = `${JSON.stringify({ measuredAt: new Date().toISOString(), ...figures }, null, 2)}\n`
  await writeFile(join(ARTIFACTS, "bigfile.json"), json)
  if (process.env.SOTTO_BIGFILE_RESULTS === "1") {
    await writeFile(new URL("../../bench/results/bigfile.json", import.meta.url), json)
  }
  await t?.destroy()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe("issue 14: a 1 GiB file, whistleblower to recipient's disk, in bounded memory", () => {
  it("the whistleblower attaches and sends it, the renderer's growth bounded", async () => {
    const measured: MeasuredBrowser = await launchMeasuredBrowser()
    try {
      const { page, problems } = await openPage(measured.browser, { width: 360, height: 740 })
      await page.goto(t.baseUrl)
      await page.getByRole("link", { name: `Report to ${node.contextName}` }).click()
      await page.waitForURL(/\/report\//)
      await expect
        .poll(() => page.getByText("Their keys were checked").count(), { timeout: 60_000 })
        .toBe(1)
      await page.getByLabel(PASSWORD_FIELD).fill("The archive of the Lisbon branch, all of it.")
      const started = performance.now()
      const sampler = sampleMemory(measured.pid)
      await page.locator("#q-evidence").setInputFiles(source.path)
      // The fingerprint at attach is an incremental hash over the File's stream in a worker.
      await expect
        .poll(() => page.locator(".sha256").allTextContents(), { timeout: 300_000 })
        .toEqual([source.sha256])
      figures.attachSeconds = Math.round(performance.now() - started) / 1000
      const sending = performance.now()
      await page.getByRole("button", { name: "Send report" }).click()
      // The receipt's scrypt (128 MiB at N=2^17, r=8) and the proof of work come first and cost
      // the same for any file: the file's own phase starts with its upload progress bar.
      await page.locator(".progress", { hasText: NAME }).waitFor({ timeout: 300_000 })
      sampler.mark()
      const uploading = performance.now()
      await page.waitForURL(/\/receipt$/, { timeout: 900_000 })
      const { whole, phase } = sampler.stop()
      figures.sendSeconds = Math.round(performance.now() - sending) / 1000
      figures.uploadSeconds = Math.round(performance.now() - uploading) / 1000
      figures.whistleblower = { attachAndSend: mib(whole), upload: mib(phase) }
      expect(phase.samples).toBeGreaterThan(MIN_SAMPLES)
      expect(phase.growth.renderers).toBeLessThanOrEqual(BOUND)
      expect(problems).toEqual([])
    } finally {
      await measured.browser.close()
    }
  }, 1_200_000)

  it("the recipient downloads it to disk through the service worker: SHA-256 equal, growth bounded", async () => {
    const measured = await launchMeasuredBrowser()
    try {
      const { page, problems } = await openPage(measured.browser)
      if (process.env.SOTTO_DEBUG) page.on("console", (m) => console.log("[page]", m.text()))
      const recipient = node.recipients[0]
      if (!recipient) throw new Error("the node has a recipient")
      await passwordLogin(
        page,
        t.baseUrl,
        recipient.username,
        recipient.password,
        /\/staff\/inbox$/,
      )
      // The service worker takes control once installed; the streamed download needs it.
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
        timeout: 60_000,
      })
      const row = page.locator("[data-tip-id]").first()
      await row.waitFor({ timeout: 60_000 })
      await row.click()
      await page.waitForURL(/\/staff\/tips\//)
      const button = page.getByRole("button", { name: `Download ${NAME}` })
      await button.waitFor({ timeout: 60_000 })
      const started = performance.now()
      const sampler = sampleMemory(measured.pid)
      const [download] = await Promise.all([
        page.waitForEvent("download", { timeout: 120_000 }),
        button.click(),
      ])
      expect(await page.locator("[data-save-via]").getAttribute("data-save-via")).toBe(
        "service-worker",
      )
      // Progress in bytes and percent while it runs. The file workers (their isolates and
      // WebAssembly) start with the click and cost the same for any file: the file's own phase
      // starts once its first percent is through.
      await expect
        .poll(() => page.locator("progress").getAttribute("data-percent"), { timeout: 120_000 })
        .toMatch(/^[1-9]\d*$/)
      sampler.mark()
      const saved = await download.path()
      const { whole, phase: growth } = sampler.stop()
      figures.downloadSeconds = Math.round(performance.now() - started) / 1000
      figures.recipient = { clickToSaved: mib(whole), download: mib(growth) }
      expect(await download.failure()).toBeNull()
      const got = await sha256OfFile(saved)
      expect(got.size).toBe(SIZE)
      expect(got.sha256).toBe(source.sha256)
      await expect
        .poll(() => page.getByText("Downloaded file matches this fingerprint.").count(), {
          timeout: 60_000,
        })
        .toBe(1)
      await rm(saved, { force: true })
      expect(growth.samples).toBeGreaterThan(MIN_SAMPLES)
      expect(growth.growth.renderers).toBeLessThanOrEqual(BOUND)
      expect(problems).toEqual([])
    } finally {
      await measured.browser.close()
    }
  }, 1_200_000)
})
