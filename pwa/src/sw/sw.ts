import {
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  type PrecacheEntry,
  precacheAndRoute,
} from "workbox-precaching"
import { NavigationRoute, registerRoute } from "workbox-routing"
import { CacheFirst } from "workbox-strategies"

// The service worker (built apart by pwaPlugin.ts, precache list injected by workbox-build):
// the app shell is precached with revisions and serves every navigation, so the installed app
// opens offline. Nothing under /api/ is ever cached or answered here: those requests go to the
// network untouched (no route matches them). A new version waits until the page asks it to take
// over (the "new version is ready" banner), never swapping code under a running page.

/** The parts of ServiceWorkerGlobalScope used here (the DOM lib lacks the worker types). */
interface WorkerScope {
  readonly __WB_MANIFEST: Array<PrecacheEntry | string>
  readonly location: Location
  readonly clients: {
    claim(): Promise<void>
    matchAll(options: {
      type: "window"
      includeUncontrolled: boolean
    }): Promise<ReadonlyArray<{ postMessage(message: unknown): void }>>
  }
  skipWaiting(): Promise<void>
  addEventListener(
    type: "activate",
    listener: (event: Event & { waitUntil(p: Promise<unknown>): void }) => void,
  ): void
  addEventListener(type: "message", listener: (event: MessageEvent) => void): void
  addEventListener(
    type: "sync",
    listener: (event: Event & { tag: string; waitUntil(p: Promise<unknown>): void }) => void,
  ): void
}
declare const self: WorkerScope

/** Chunks that only staff load: cached on first use (hashed names never change content). */
const LAZY_ASSETS = "sotto-lazy-assets"

precacheAndRoute(self.__WB_MANIFEST)
cleanupOutdatedCaches()

registerRoute(
  new NavigationRoute(createHandlerBoundToURL("/index.html"), { denylist: [/^\/api\//] }),
)
registerRoute(
  ({ url }) => url.origin === self.location.origin && url.pathname.startsWith("/assets/"),
  new CacheFirst({ cacheName: LAZY_ASSETS }),
)

self.addEventListener("message", (event) => {
  if ((event.data as { type?: unknown } | null)?.type === "SKIP_WAITING") void self.skipWaiting()
})

self.addEventListener("activate", (event) => {
  // A new build names its chunks anew: the previous build's lazily cached ones are dead weight.
  event.waitUntil(caches.delete(LAZY_ASSETS).then(() => self.clients.claim()))
})

// Background Sync for the offline outbox (lib/outboxSend.ts: SYNC_TAG and SYNC_MESSAGE, kept out
// of this bundle): the sending itself needs the page's workers, so the open pages are told.
self.addEventListener("sync", (event) => {
  if (event.tag !== "sotto-outbox") return
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((pages) => {
      for (const page of pages) page.postMessage({ type: "sotto-outbox-sync" })
    }),
  )
})
