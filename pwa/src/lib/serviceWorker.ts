import { Workbox } from "workbox-window"

// Registers the service worker (sw.js, built by pwaPlugin.ts) through workbox-window. Loaded
// lazily after the first paint, so it costs the whistleblower's first load nothing.

/**
 * Registers `/sw.js` for the whole origin. When a newer version is installed and waiting,
 * calls `onUpdateReady` with a function that lets it take over and reloads the page once it
 * controls it; nothing is swapped until then.
 * @throws (rejects) when the browser refuses the registration (e.g. a private window).
 */
export async function registerServiceWorker(
  onUpdateReady: (reload: () => void) => void,
): Promise<void> {
  const wb = new Workbox("/sw.js", { scope: "/" })
  wb.addEventListener("waiting", () => {
    onUpdateReady(() => {
      wb.addEventListener("controlling", () => window.location.reload())
      wb.messageSkipWaiting()
    })
  })
  await wb.register()
}
