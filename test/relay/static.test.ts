import { mkdir, rm, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { setTimeout as sleep } from "node:timers/promises"
import { brotliCompressSync, gunzipSync, gzipSync } from "node:zlib"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startTestRelay, type TestRelay } from "./_harness.js"

// The relay serves the built PWA: MIME types, ETags, precompressed siblings and the app shell for
// client-side routes, each with the security headers its type needs (documents all of them).
describe("static files of the built app", () => {
  let t: TestRelay
  let dir: string
  const script = "console.log('sotto app shell');\n".repeat(50)

  beforeAll(async () => {
    const boot = await startTestRelay()
    dir = join(boot.dataDir, "static")
    await boot.destroy()
    await mkdir(join(dir, "assets"), { recursive: true })
    await writeFile(
      join(dir, "index.html"),
      "<!doctype html><title>Sotto</title><script src=/assets/app.js></script>",
    )
    await writeFile(join(dir, "assets", "app.js"), script)
    await writeFile(join(dir, "assets", "app.js.gz"), gzipSync(script))
    await writeFile(join(dir, "assets", "app.js.br"), brotliCompressSync(script))
    await writeFile(join(dir, "manifest.webmanifest"), "{}")
    await writeFile(join(dir, "assets", "fileWorker-Ab12_cd.js"), script)
    t = await startTestRelay({ env: { STATIC_DIR: dir } })
  })
  afterAll(async () => {
    await t.destroy()
  })

  it("serves index.html with an HTML type, an ETag and the security headers", async () => {
    const res = await fetch(`${t.baseUrl}/`)
    expect(res.status).toBe(200)
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8")
    expect(res.headers.get("etag")).toMatch(/^"[A-Za-z0-9_-]{27}"$/)
    expect(res.headers.get("content-security-policy")).toContain("script-src 'self'")
    expect(res.headers.get("cache-control")).toBe("no-cache")
    expect(await res.text()).toContain("<title>Sotto</title>")
  })

  it("sends the full set on documents, CSP and COEP on worker scripts, nosniff and CORP on assets", async () => {
    const doc = await fetch(`${t.baseUrl}/some/route`)
    for (const name of [
      "content-security-policy",
      "strict-transport-security",
      "referrer-policy",
      "x-frame-options",
      "x-robots-tag",
      "cross-origin-opener-policy",
      "cross-origin-embedder-policy",
      "permissions-policy",
      "x-content-type-options",
      "cross-origin-resource-policy",
    ])
      expect(doc.headers.get(name), name).not.toBeNull()
    // A worker's policies come from its own script response, not the page's.
    const worker = await fetch(`${t.baseUrl}/assets/fileWorker-Ab12_cd.js`)
    expect(worker.headers.get("content-security-policy")).toContain("script-src 'self'")
    expect(worker.headers.get("cross-origin-embedder-policy")).toBe("require-corp")
    expect(worker.headers.get("referrer-policy")).toBe("no-referrer")
    expect(worker.headers.get("strict-transport-security")).toBeNull()
    for (const path of ["/assets/app.js", "/manifest.webmanifest"]) {
      const asset = await fetch(`${t.baseUrl}${path}`)
      expect(asset.headers.get("x-content-type-options")).toBe("nosniff")
      expect(asset.headers.get("cross-origin-resource-policy")).toBe("same-origin")
      expect(asset.headers.get("content-security-policy")).toBeNull()
      expect(asset.headers.get("permissions-policy")).toBeNull()
    }
  })

  it("answers 304 to a matching If-None-Match", async () => {
    const etag = (await fetch(`${t.baseUrl}/`)).headers.get("etag") ?? ""
    const res = await fetch(`${t.baseUrl}/`, { headers: { "If-None-Match": etag } })
    expect(res.status).toBe(304)
  })

  it("serves hashed assets as immutable JavaScript, brotli or gzip when accepted", async () => {
    const br = await fetch(`${t.baseUrl}/assets/app.js`, { headers: { "Accept-Encoding": "br" } })
    expect(br.headers.get("content-type")).toBe("text/javascript; charset=utf-8")
    expect(br.headers.get("content-encoding")).toBe("br")
    expect(br.headers.get("cache-control")).toContain("immutable")
    expect(await br.text()).toBe(script)
    const gz = await fetch(`${t.baseUrl}/assets/app.js`, { headers: { "Accept-Encoding": "gzip" } })
    expect(gz.headers.get("content-encoding")).toBe("gzip")
    expect(await gz.text()).toBe(script)
    const raw = await fetch(`${t.baseUrl}/assets/app.js`, {
      headers: { "Accept-Encoding": "identity" },
    })
    expect(raw.headers.get("content-encoding")).toBeNull()
    expect(await raw.text()).toBe(script)
    expect(gunzipSync(gzipSync(script)).toString()).toBe(script)
  })

  it("gives client-side routes the app shell and unknown files a 404", async () => {
    const route = await fetch(`${t.baseUrl}/recipient/tips/abc`)
    expect(route.status).toBe(200)
    expect(await route.text()).toContain("<title>Sotto</title>")
    const missing = await fetch(`${t.baseUrl}/assets/missing.js`)
    expect(missing.status).toBe(404)
    expect((await missing.json()).error.code).toBe("NOT_FOUND")
  })

  it("types the web app manifest and refuses to leave the static folder", async () => {
    expect((await fetch(`${t.baseUrl}/manifest.webmanifest`)).headers.get("content-type")).toBe(
      "application/manifest+json",
    )
    // The data dir (static's parent) holds LevelDB's CURRENT file; it must not be reachable.
    const parent = await fetch(`${t.baseUrl}/..%2FCURRENT.txt`)
    expect(parent.status).toBe(404)
    const passwd = await fetch(`${t.baseUrl}/..%2F..%2F..%2F..%2Fetc%2Fpasswd`)
    expect(await passwd.text()).not.toContain("root:")
  })

  it("serves sw.js and the manifest uncached, and notices a new build in the folder", async () => {
    await writeFile(join(dir, "sw.js"), "// build one\n")
    // The folder is checked for a new build at most once a second.
    await sleep(1100)
    const first = await fetch(`${t.baseUrl}/sw.js`)
    expect(first.headers.get("content-type")).toBe("text/javascript; charset=utf-8")
    expect(first.headers.get("cache-control")).toBe("no-cache")
    expect(await first.text()).toBe("// build one\n")
    const manifest = await fetch(`${t.baseUrl}/manifest.webmanifest`)
    expect(manifest.headers.get("cache-control")).toBe("no-cache")
    // A new build replaces files in place: sw.js, index.html and a new hashed chunk.
    await writeFile(join(dir, "sw.js"), "// build two, longer\n")
    await writeFile(join(dir, "index.html"), "<!doctype html><title>Sotto 2</title>")
    await writeFile(join(dir, "assets", "next.js"), "// new chunk\n")
    await sleep(1100)
    const second = await fetch(`${t.baseUrl}/sw.js`)
    expect(await second.text()).toBe("// build two, longer\n")
    expect(second.headers.get("etag")).not.toBe(first.headers.get("etag"))
    expect(await (await fetch(`${t.baseUrl}/inbox`)).text()).toContain("Sotto 2")
    expect((await fetch(`${t.baseUrl}/assets/next.js`)).status).toBe(200)
    await rm(join(dir, "assets", "next.js"))
    await sleep(1100)
    expect((await fetch(`${t.baseUrl}/assets/next.js`)).status).toBe(404)
  })

  it("refuses other methods on static paths", async () => {
    expect((await fetch(`${t.baseUrl}/index.html`, { method: "POST" })).status).toBe(405)
  })
})
