import { execFileSync } from "node:child_process"
import { readFile } from "node:fs/promises"
import type { Page } from "playwright-core"
import { expect } from "vitest"

// What a staff member does with second factors in Chromium, for the twoFactor*.test.ts files.
// TOTP codes come from the Debian `oathtool` CLI, an implementation independent of the relay's.

/** The TOTP code for `secret` (base32) at `ms` (default now), from `oathtool --totp -b`. */
export function oathtool(secret: string, ms = Date.now()): string {
  return execFileSync(
    "/usr/bin/oathtool",
    ["--totp", "-b", secret, "--now", `@${Math.floor(ms / 1000)}`],
    { encoding: "utf8" },
  ).trim()
}

/** The first visible alert's text, for expect.poll. */
export function alertText(page: Page): () => Promise<string | null> {
  return () => page.getByRole("alert").first().textContent()
}

/** Logs in with the password on /staff and waits until the login leaves the page for `next`. */
export async function passwordLogin(
  page: Page,
  baseUrl: string,
  username: string,
  password: string,
  next: RegExp,
): Promise<void> {
  await page.goto(`${baseUrl}/staff`)
  await page.getByLabel("Username").fill(username)
  await page.getByLabel("Password").fill(password)
  await page.getByRole("button", { name: "Log in" }).click()
  await page.waitForURL(next, { timeout: 30_000 })
}

/** Clicks "Log out" and waits for the login page. */
export async function logout(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Log out" }).click()
  await page.waitForURL(/\/staff$/, { timeout: 15_000 })
}

/**
 * Submits `code` on the second-factor page with `method` chosen; returns the HTTP status of the
 * verify call (200 when it went on).
 */
export async function verifyInBrowser(
  page: Page,
  method: "Code from your authenticator app" | "Code mailed to you" | "Backup code",
  code: string,
): Promise<number> {
  await page.getByRole("radio", { name: method }).check()
  await page.getByLabel("Code", { exact: true }).fill(code)
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/api/v1/auth/2fa/verify"), { timeout: 30_000 }),
    page.getByRole("button", { name: "Confirm", exact: true }).click(),
  ])
  return res.status()
}

/**
 * Enrols TOTP on the page in view (account or forced enrolment): reads the secret text the page
 * shows, confirms with oathtool's current code and returns the secret and the backup codes shown.
 * Starts the enrolment unless it is started. Leaves the backup codes step on screen.
 */
export async function enrolTotpInBrowser(
  page: Page,
): Promise<{ secret: string; backupCodes: string[] }> {
  // The caller may have started already (to look at the QR code first).
  const start = page.getByRole("button", { name: "Set up authenticator app" })
  if ((await start.count()) > 0) await start.click()
  const shown = page.getByTestId("totp-secret")
  await shown.waitFor({ timeout: 15_000 })
  const secret = ((await shown.textContent()) ?? "").replace(/\s+/g, "")
  expect(secret).toMatch(/^[A-Z2-7]{32}$/)
  expect(await page.getByRole("img", { name: /QR code/ }).count()).toBe(1)
  await page.getByLabel("6-digit code from the app").fill(oathtool(secret))
  await page.getByRole("button", { name: "Confirm code" }).click()
  const list = page.getByTestId("backup-codes")
  await list.waitFor({ timeout: 15_000 })
  const backupCodes = (await list.locator("li").allTextContents()).map((c) => c.trim())
  expect(backupCodes).toHaveLength(10)
  return { secret, backupCodes }
}

/** Downloads the backup codes as .txt and returns the file's text. */
export async function downloadBackupCodes(page: Page): Promise<string> {
  const [file] = await Promise.all([
    page.waitForEvent("download", { timeout: 15_000 }),
    page.getByRole("button", { name: "Download as .txt" }).click(),
  ])
  return readFile((await file.path()) ?? "", "utf8")
}

/** Ticks "I saved them" and presses the step's continue button. */
export async function confirmBackupCodes(page: Page, action: string): Promise<void> {
  await page.getByLabel("I saved them").check()
  await page.getByRole("button", { name: action, exact: true }).click()
}

/**
 * Moves within the app without a reload (the session lives in this tab's memory only), as a
 * link the page does not offer would: the router handles clicks on any same-origin anchor.
 */
export async function navigateInApp(page: Page, path: string): Promise<void> {
  await page.evaluate((to) => {
    const a = document.createElement("a")
    a.href = to
    document.body.append(a)
    a.click()
    a.remove()
  }, path)
}

/** Checks the page fits 360 px without sideways scrolling. */
export async function fits360(page: Page): Promise<void> {
  await page.setViewportSize({ width: 360, height: 780 })
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
}
