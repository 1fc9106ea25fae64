// What waits until the page a person came for is usable (issue 14): the service worker and its
// precache, the manifest and icons, the receipt and outbox code, the workers warmed for offline
// use. On Tor every request and every byte before the form is ready is waiting time, so these
// start only once the report form says its keys were checked, or once any other page has
// rendered, or after a few seconds on a page that never says (the landing page, read slowly).

const waiting: (() => void)[] = []
let ready = false

/** How long a page may go without {@link markAppReady} before the deferred work starts anyway. */
export const READY_FALLBACK_MS = 8000

/** Runs `task` once the app is ready (at once, in a later task, when it already is). */
export function afterAppReady(task: () => void): void {
  if (ready) setTimeout(task, 0)
  else waiting.push(task)
}

/** Says the page the person came for is usable; starts the deferred work (once). */
export function markAppReady(): void {
  if (ready) return
  ready = true
  for (const task of waiting.splice(0)) setTimeout(task, 0)
}

/** Whether the deferred work has started. */
export function isAppReady(): boolean {
  return ready
}

if (typeof window !== "undefined") setTimeout(markAppReady, READY_FALLBACK_MS)

/** Links the web app manifest and the icons (what the build used to put in index.html). */
export function linkInstallAssets(): void {
  const add = (attrs: Record<string, string>) => {
    const link = document.createElement("link")
    for (const [name, value] of Object.entries(attrs)) link.setAttribute(name, value)
    document.head.append(link)
  }
  for (const old of document.head.querySelectorAll('link[rel="icon"]')) old.remove()
  add({ rel: "manifest", href: "/manifest.webmanifest" })
  add({ rel: "icon", type: "image/png", href: "/icons/icon-192.png" })
  add({ rel: "apple-touch-icon", href: "/icons/icon-192.png" })
}
