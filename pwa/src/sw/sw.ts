import { fileDigest } from "@sotto/crypto-core/release-manifest"
import {
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  type PrecacheEntry,
  precacheAndRoute,
} from "workbox-precaching"
import { NavigationRoute, registerRoute } from "workbox-routing"
import { CacheFirst } from "workbox-strategies"
import { DOWNLOAD_PATH, isDownloadRequest, openDownload, serveDownload } from "./_downloads.js"
import { type InstalledManifest, readInstalledManifest, verifyUpdate } from "./_integrity.js"

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
    type: "install" | "activate",
    listener: (event: Event & { waitUntil(p: Promise<unknown>): void }) => void,
  ): void
  addEventListener(
    type: "message",
    listener: (event: MessageEvent & { waitUntil(p: Promise<unknown>): void }) => void,
  ): void
  addEventListener(
    type: "fetch",
    listener: (event: Event & { request: Request; respondWith(r: Response): void }) => void,
  ): void
  addEventListener(
    type: "sync",
    listener: (event: Event & { tag: string; waitUntil(p: Promise<unknown>): void }) => void,
  ): void
}
declare const self: WorkerScope

/** Chunks that only staff load: cached on first use (hashed names never change content). */
const LAZY_ASSETS = "sotto-lazy-assets"

/** Holds, per build, the manifest this worker was installed with (see _integrity.ts). */
const INTEGRITY = "sotto-integrity"

// Read once: workbox-build replaces exactly one occurrence with this build's precache list.
const PRECACHE = self.__WB_MANIFEST
/** This build's own key among the records of INTEGRITY (old and new workers share the cache). */
const RECORD = `/__sotto/installed/${fileDigest(new TextEncoder().encode(JSON.stringify(PRECACHE)))}`

// Registered before workbox's routes, so a streamed download (lib/saveStream.ts) is answered
// here and never by the navigation route.
self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url)
  if (url.origin === self.location.origin && url.pathname.startsWith(DOWNLOAD_PATH))
    event.respondWith(serveDownload(url))
})

precacheAndRoute(PRECACHE)
cleanupOutdatedCaches()

registerRoute(
  new NavigationRoute(createHandlerBoundToURL("/index.html"), {
    denylist: [/^\/api\//, /^\/__sotto\//],
  }),
)
registerRoute(
  ({ url }) => url.origin === self.location.origin && url.pathname.startsWith("/assets/"),
  new CacheFirst({ cacheName: LAZY_ASSETS }),
)

// The manifest hash this build was installed with: kept, so the footer shows the code in use.
self.addEventListener("install", (event) => {
  event.waitUntil(
    readInstalledManifest().then(async (info) =>
      (await caches.open(INTEGRITY)).put(RECORD, Response.json(info)),
    ),
  )
})

async function installedManifest(): Promise<InstalledManifest> {
  const hit = await (await caches.open(INTEGRITY)).match(RECORD)
  return hit ? ((await hit.json()) as InstalledManifest) : { hash: null, signed: false }
}

self.addEventListener("message", (event) => {
  const type = (event.data as { type?: unknown } | null)?.type
  if (type === "SKIP_WAITING") void self.skipWaiting()
  // Asked by the page (lib/serviceWorker.ts) through a MessageChannel; answered on its port.
  const reply = event.ports[0]
  if (!reply) return
  if (isDownloadRequest(event.data)) openDownload(event.data, reply)
  if (type === "MANIFEST_INFO")
    event.waitUntil(installedManifest().then((m) => reply.postMessage(m)))
  if (type === "VERIFY_UPDATE") event.waitUntil(verifyUpdate().then((v) => reply.postMessage(v)))
})

self.addEventListener("activate", (event) => {
  // A new build names its chunks anew: the previous build's lazily cached ones are dead weight.
  event.waitUntil(caches.delete(LAZY_ASSETS).then(() => self.clients.claim()))
  // The replaced build's record is no longer anyone's.
  event.waitUntil(
    caches.open(INTEGRITY).then(async (cache) => {
      for (const key of await cache.keys())
        if (new URL(key.url).pathname !== RECORD) await cache.delete(key)
    }),
  )
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
