import { mkdir } from "node:fs/promises"
import { join } from "node:path"
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core"
import { startTestRelay, type TestRelay } from "../relay/_harness.js"

// Real Chromium (Debian's, never a downloaded one) driving the built PWA served by a real relay.
// Playwright's launch gives every browser a fresh temporary profile (its own --user-data-dir).

/** Where screenshots go (gitignored). */
export const ARTIFACTS = new URL("../artifacts/", import.meta.url).pathname

/**
 * The PWA build the relay serves in e2e tests (`npm test` builds pwa/dist first);
 * `SOTTO_PWA_DIST` points elsewhere, e.g. at a build made while someone else rebuilds pwa/dist.
 */
export const PWA_DIST =
  process.env.SOTTO_PWA_DIST ?? new URL("../../pwa/dist", import.meta.url).pathname

/** The flags DEVELOPERS.md prescribes for Chromium on these machines. */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
]

/** Starts Debian's Chromium headless. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
    headless: true,
  })
}

/** A relay serving the built PWA from a temp data dir. */
export function startAppRelay(env: Record<string, string> = {}): Promise<TestRelay> {
  return startTestRelay({ env: { STATIC_DIR: PWA_DIST, ...env } })
}

/** A page and the problems it reported (uncaught errors, console errors, CSP violations). */
export interface WatchedPage {
  readonly page: Page
  readonly context: BrowserContext
  /** Everything that went wrong on the page so far; tests assert it stays empty. */
  readonly problems: string[]
}

/**
 * Opens a new isolated browser context (its own storage, like a different person's browser) at
 * `width`×`height`, asking for `locale`'s language, with a page that records its errors.
 */
export async function openPage(
  browser: Browser,
  options: { width?: number; height?: number; allowConsoleErrors?: RegExp; locale?: string } = {},
): Promise<WatchedPage> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
    acceptDownloads: true,
    // The browser's languages (navigator.languages, Accept-Language); Chromium's default is en-US.
    ...(options.locale ? { locale: options.locale } : {}),
  })
  const page = await context.newPage()
  const problems: string[] = []
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`))
  page.on("console", (m) => {
    if (m.type() !== "error") return
    // A 4xx the app shows as a readable error is expected; the browser logs it too.
    if (/Failed to load resource: the server responded with a status of 4\d\d/.test(m.text()))
      return
    if (options.allowConsoleErrors?.test(m.text())) return
    problems.push(`console: ${m.text()}`)
  })
  return { page, context, problems }
}

/** Saves a full-page screenshot as test/artifacts/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true })
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true })
}
