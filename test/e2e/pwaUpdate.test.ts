import { execFile } from "node:child_process"
import { cp, mkdtemp, readdir, readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"
import { brotliCompressSync, gzipSync } from "node:zlib"
import { manifestHash, type SignedIntegrityManifest } from "@sotto/crypto-core/release-manifest"
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type EvilRelay, startEvilRelay } from "../evil/_evilRelay.js"
import type { TestRelay } from "../relay/_harness.js"
import { launchBrowser, openPage, screenshot, startAppRelay } from "./_browser.js"

// A new version is never swapped in silently, and never offered unless it is signed. Two builds
// of this tree, both signed with a throwaway release key (SOTTO_DEV_RELEASE_KEY, which their
// sw.js also pins): the relay serves the first, the second is copied over its static folder as a
// deployment would, and the installed app checks for an update. Genuine: "A new version is
// ready — Reload", the old version running until Reload. Through the evil relay, the same update
// with its manifest's signatures stripped, or with one precached file changed, gets the red
// warning instead, and the old version keeps running.
// Before the release check (sw.js without _integrity.ts) both attacks were offered as
// "A new version is ready" like a genuine update.

const ROOT = new URL("../../", import.meta.url).pathname
const STAMP = Date.now().toString(36)
const OLD_BUILD = `old-${STAMP}`
const NEXT_BUILD = `next-${STAMP}`
/** A throwaway release key (base64url seed), never a real one. */
const DEV_KEY = Buffer.alloc(32, 0x5e).toString("base64url")
const WAIT = { timeout: 60_000 }

let browser: Browser
let t: TestRelay
let evil: EvilRelay
let served = ""
let old = ""
let next = ""

/** Replaces the served folder's contents with `from`'s, as a deployment would. */
async function deploy(from: string): Promise<void> {
  for (const name of await readdir(served)) await rm(join(served, name), { recursive: true })
  await cp(from, served, { recursive: true })
}

function build(outDir: string, id: string): Promise<unknown> {
  return promisify(execFile)(
    process.execPath,
    [join(ROOT, "node_modules/vite/bin/vite.js"), "build", "--outDir", outDir, "--emptyOutDir"],
    {
      cwd: join(ROOT, "pwa"),
      // NODE_ENV: vitest sets "test", which would make Vite build Solid's development code.
      env: {
        ...process.env,
        NODE_ENV: "production",
        VITE_BUILD: id,
        SOTTO_DEV_RELEASE_KEY: DEV_KEY,
      },
    },
  )
}

async function hashOf(dir: string): Promise<string> {
  const doc = JSON.parse(
    await readFile(join(dir, "manifest.integrity.json"), "utf8"),
  ) as SignedIntegrityManifest
  return manifestHash(doc.manifest)
}

/** The evil body in the encoding the relay answered with, so the browser decodes it. */
function encodeLike(encoding: unknown, text: string): Buffer {
  if (encoding === "br") return brotliCompressSync(text)
  if (encoding === "gzip") return gzipSync(text)
  return Buffer.from(text)
}

beforeAll(async () => {
  const temp = (name: string) => mkdtemp(join(tmpdir(), `sotto-${name}-`))
  ;[served, old, next] = await Promise.all([temp("served"), temp("old"), temp("next")])
  await Promise.all([build(old, OLD_BUILD), build(next, NEXT_BUILD)])
  await cp(old, served, { recursive: true })
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay({ STATIC_DIR: served })])
  evil = await startEvilRelay(t.baseUrl)
  // Two production builds on a shared machine: more than the default hook timeout.
}, 400_000)
afterAll(async () => {
  await browser?.close()
  await evil?.close()
  await t?.destroy()
  await Promise.all([served, old, next].map((d) => d && rm(d, { recursive: true, force: true })))
})

/**
 * Installs the old build in a fresh browser through the evil relay (untouched), then deploys the
 * next build, arms `attack` and asks the service worker to look for an update.
 */
async function installThenUpdate(attack: Parameters<EvilRelay["onResponse"]>[0]) {
  evil.onResponse(undefined)
  await deploy(old)
  const watched = await openPage(browser, { width: 360, height: 740 })
  const { page } = watched
  await page.goto(evil.baseUrl)
  await expect
    .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), WAIT)
    .toBe(true)
  const footer = page.locator("footer")
  await expect.poll(() => footer.textContent(), WAIT).toContain("code manifest")
  const before = (await footer.textContent()) ?? ""
  expect(before).toContain(`build ${OLD_BUILD}`)
  await deploy(next)
  evil.onResponse(attack)
  await page.evaluate(async () => {
    await (await navigator.serviceWorker.getRegistration())?.update()
  })
  return { ...watched, footer, before }
}

describe("a new version of the app", () => {
  it("is offered with a Reload banner when signed, and runs only after Reload", async () => {
    const { page, problems, footer, before } = await installThenUpdate(undefined)
    // The footer shows the installed manifest's hash, signed (no "unsigned" wording).
    const oldHash = await hashOf(old)
    expect(before.replaceAll(" ", "")).toContain(oldHash.slice(0, 16))
    expect(before).not.toContain("unsigned")
    const banner = page.getByRole("status").filter({ hasText: "A new version is ready" })
    await expect.poll(() => banner.count(), WAIT).toBe(1)
    // Nothing swapped yet: the running page is still the old build.
    expect(await footer.textContent()).toBe(before)
    await screenshot(page, "pwa-update-banner-360")

    await banner.getByRole("button", { name: "Reload" }).click()
    await expect.poll(() => footer.textContent(), WAIT).toContain(`build ${NEXT_BUILD}`)
    expect(await page.getByText("A new version is ready").count()).toBe(0)
    expect(problems).toEqual([])
  })

  it("is refused with a red warning when its manifest is unsigned, the old code running", async () => {
    const { page, problems, footer, before } = await installThenUpdate((req, res) => {
      if (req.path !== "/.well-known/sotto-integrity.json") return undefined
      const doc = JSON.parse(res.body.toString("utf8")) as SignedIntegrityManifest
      return { body: { ...doc, signatures: {} } }
    })
    const warning = page.getByRole("alert").filter({ hasText: "this node served unsigned code" })
    await expect.poll(() => warning.count(), WAIT).toBe(1)
    await screenshot(page, "pwa-update-refused-360")
    expect(await page.getByText("A new version is ready").count()).toBe(0)
    expect(await footer.textContent()).toBe(before)
    // The new worker waits, never activated: the page is still run by the old one.
    expect(
      await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting),
    ).toBeTruthy()
    expect(problems).toEqual([])
  })

  it("is refused when a precached file differs from the signed manifest", async () => {
    const { page, problems, footer, before } = await installThenUpdate((req, res) =>
      req.path === "/index.html"
        ? {
            body: encodeLike(
              res.headers["content-encoding"],
              `${res.body.length > 0 ? "<!-- seized -->" : ""}<!doctype html><script>steal()</script>`,
            ),
          }
        : undefined,
    )
    const warning = page.getByRole("alert").filter({ hasText: "this node served unsigned code" })
    await expect.poll(() => warning.count(), WAIT).toBe(1)
    expect(await warning.textContent()).toContain("/index.html")
    expect(await page.getByText("A new version is ready").count()).toBe(0)
    expect(await footer.textContent()).toBe(before)
    expect(problems).toEqual([])
  })
})

describe("an unsigned development build", () => {
  it("still runs, its footer saying so", async () => {
    evil.onResponse((req, res) => {
      if (req.path !== "/.well-known/sotto-integrity.json") return undefined
      const doc = JSON.parse(res.body.toString("utf8")) as SignedIntegrityManifest
      return { body: { ...doc, signatures: {} } }
    })
    await deploy(old)
    const { page, problems } = await openPage(browser, { width: 360, height: 740 })
    await page.goto(evil.baseUrl)
    await expect
      .poll(() => page.locator("footer").textContent(), WAIT)
      .toContain("unsigned development build")
    expect(problems).toEqual([])
    evil.onResponse(undefined)
  })
})
