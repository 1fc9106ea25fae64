import { Workbox } from "workbox-window"
import type { CodeManifest, RefusedUpdate } from "./codeIntegrity.js"

// Registers the service worker (sw.js, built by pwaPlugin.ts) through workbox-window. Loaded
// lazily after the first paint, so it costs the whistleblower's first load nothing.

/** What the page hears from the service worker. */
export interface ServiceWorkerEvents {
  /** A verified new version waits; calling `reload` lets it take over and reloads the page. */
  onUpdateReady(reload: () => void): void
  /** The node offered code that failed the release check: the old version keeps running. */
  onUpdateRefused(refusal: RefusedUpdate): void
  /** The manifest the running service worker was installed with. */
  onManifest(manifest: CodeManifest): void
}

/** How long the worker may take to check an update (it fetches every precached file). */
const CHECK_TIMEOUT_MS = 120_000

/** Sends `message` to `worker` and waits for its answer on a private channel. */
function ask<T>(worker: ServiceWorker, message: { type: string }, fallback: T): Promise<T> {
  return new Promise((resolve) => {
    const channel = new MessageChannel()
    const timer = setTimeout(() => resolve(fallback), CHECK_TIMEOUT_MS)
    channel.port1.onmessage = (event) => {
      clearTimeout(timer)
      resolve(event.data as T)
    }
    worker.postMessage(message, [channel.port2])
  })
}

/**
 * Registers `/sw.js` for the whole origin. When a newer version is installed and waiting, the
 * running (old) worker checks its signed manifest and files first; only then `onUpdateReady`.
 * Nothing is swapped until the user reloads.
 * @throws (rejects) when the browser refuses the registration (e.g. a private window).
 */
export async function registerServiceWorker(events: ServiceWorkerEvents): Promise<void> {
  const wb = new Workbox("/sw.js", { scope: "/" })
  wb.addEventListener("waiting", () => {
    void navigator.serviceWorker.getRegistration().then(async (registration) => {
      // The judge is the worker in use, never the newcomer being judged.
      const judge = navigator.serviceWorker.controller ?? registration?.active
      if (!judge) return
      const verdict = await ask<{ ok: boolean } & Partial<RefusedUpdate>>(
        judge,
        { type: "VERIFY_UPDATE" },
        { ok: false, reason: "unreachable", files: [] },
      )
      if (!verdict.ok) {
        events.onUpdateRefused({
          reason: verdict.reason ?? "unreachable",
          files: verdict.files ?? [],
        })
        return
      }
      events.onUpdateReady(() => {
        wb.addEventListener("controlling", () => window.location.reload())
        wb.messageSkipWaiting()
      })
    })
  })
  await wb.register()
  const ready = await navigator.serviceWorker.ready
  const current = navigator.serviceWorker.controller ?? ready.active
  if (current)
    events.onManifest(
      await ask<CodeManifest>(current, { type: "MANIFEST_INFO" }, { hash: null, signed: false }),
    )
}
