import { readdir, readFile } from "node:fs/promises"
import { join } from "node:path"
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { TestRelay } from "../relay/_harness.js"
import { launchBrowser, openPage, PWA_DIST, startAppRelay } from "./_browser.js"
import { prepareNode } from "./_node.js"

// The whistleblower's first load must not carry what only staff need: the setup and staff
// routes, zxcvbn (password meter), openpgp (exports) and @simplewebauthn (security keys). This
// follows what Chromium actually requests on the way to a ready submit form, against the build's
// own chunk list.

let browser: Browser
let t: TestRelay

beforeAll(async () => {
  ;[browser, t] = await Promise.all([launchBrowser(), startAppRelay()])
})
afterAll(async () => {
  await browser?.close()
  await t?.destroy()
})

/** The build's files that a whistleblower must never download, with why. */
async function staffOnlyFiles(): Promise<Map<string, string>> {
  const manifest = JSON.parse(
    await readFile(join(PWA_DIST, ".vite/manifest.json"), "utf8"),
  ) as Record<string, { file: string }>
  const files = new Map<string, string>()
  for (const [source, chunk] of Object.entries(manifest)) {
    if (/zxcvbn/.test(source)) files.set(chunk.file, "zxcvbn")
    if (/routes\/(staff|setup|admin)\//.test(source)) files.set(chunk.file, source)
    if (/@simplewebauthn/.test(source)) files.set(chunk.file, "@simplewebauthn")
  }
  for (const name of await readdir(join(PWA_DIST, "assets"))) {
    if (!name.endsWith(".js")) continue
    const text = await readFile(join(PWA_DIST, "assets", name), "utf8")
    if (/openpgp/i.test(text) && !/Worker-/.test(name)) files.set(`assets/${name}`, "openpgp")
    // zxcvbn runs in the password worker, whose chunks the Vite manifest does not list.
    if (/ZxcvbnFactory/.test(text) || /^passwordWorker-/.test(name))
      files.set(`assets/${name}`, "zxcvbn")
  }
  return files
}

describe("the whistleblower's first load", () => {
  it("reaches a ready submit form without fetching staff, zxcvbn or openpgp code", async () => {
    const node = await prepareNode(t, { recipients: 1 })
    const forbidden = await staffOnlyFiles()
    expect([...forbidden.values()]).toEqual(
      expect.arrayContaining([
        "zxcvbn",
        "openpgp",
        "@simplewebauthn",
        "src/routes/setup/Setup.tsx",
      ]),
    )
    const { page, problems } = await openPage(browser, { width: 360, height: 740 })
    const requested: string[] = []
    page.on("request", (r) => requested.push(new URL(r.url()).pathname.replace(/^\//, "")))
    await page.goto(t.baseUrl)
    await page.getByRole("link", { name: `Report to ${node.contextName}` }).click()
    await expect.poll(() => page.getByText("Their keys were checked").count()).toBe(1)
    expect(requested.some((path) => /^assets\/Report-/.test(path))).toBe(true)
    expect(requested.filter((path) => forbidden.has(path))).toEqual([])
    expect(problems).toEqual([])
  })
})
