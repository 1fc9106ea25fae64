import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type Relay, readConfig, startRelay } from "@sotto/relay"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createLogger } from "../../relay/src/log.js"
import { rawRequest } from "./_raw.js"

// Issue 11, the smaller items of the HTTP layer: bad URLs gave a 500 and an error-log line,
// `/assets/../sw.js` was served immutable for a year, errors lacked `Cache-Control: no-store`,
// responses carried a `uWebSockets: 20` header, and a second relay could share the port.

describe("the HTTP layer's edges", () => {
  let dir: string
  let relay: Relay
  let base: string
  const logged: string[] = []
  const start = (port: number) =>
    startRelay({
      config: readConfig({
        PORT: String(port),
        HOST: "127.0.0.1",
        DATA_DIR: join(dir, `data-${port}`),
        STATIC_DIR: join(dir, "static"),
        OPRF_KEY_FILE: join(dir, "keys", "oprf.key"),
      }),
      log: createLogger("debug", (line) => logged.push(line)),
    })

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "sotto-edges-"))
    await mkdir(join(dir, "static", "assets"), { recursive: true })
    await writeFile(join(dir, "static", "index.html"), "<!doctype html><title>Sotto</title>")
    await writeFile(join(dir, "static", "sw.js"), "// service worker\n")
    await writeFile(join(dir, "static", "assets", "app-1234.js"), "// app\n")
    relay = await start(0)
    base = `http://127.0.0.1:${relay.port}`
  })
  afterAll(async () => {
    await relay?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it.each([
    ["malformed percent-encoding", "/assets/%E0%A4%A.js"],
    ["a lone percent sign", "/%"],
    ["an encoded NUL", "/index.html%00.js"],
    ["an encoded backslash", "/assets%5C..%5Csw.js"],
    ["malformed encoding in an API parameter", "/api/v1/contexts/%E0%A4%A"],
  ])("answers %s with 400 JSON and no error-log line", async (_, path) => {
    const before = logged.length
    const res = await rawRequest(base, path)
    expect(res.status).toBe(400)
    expect(res.headers["content-type"]).toBe("application/json; charset=utf-8")
    expect(JSON.parse(res.body.toString()).error.code).toBe("BAD_REQUEST")
    expect(logged.slice(before).filter((l) => l.includes('"level":"error"'))).toEqual([])
  })

  it("never serves a file outside assets/ as immutable, whatever path names it", async () => {
    const res = await rawRequest(base, "/assets/../sw.js")
    expect(res.status).toBe(200)
    expect(res.body.toString()).toBe("// service worker\n")
    expect(res.headers["cache-control"]).toBe("no-cache")
    const asset = await rawRequest(base, "/x/../assets/app-1234.js")
    expect(asset.headers["cache-control"]).toContain("immutable")
  })

  it("sends errors with Cache-Control: no-store and the security headers of a JSON answer", async () => {
    // Errors are JSON, never documents: nosniff and CORP, not the document-only CSP set.
    for (const path of ["/assets/missing.js", "/api/v1/nothing-here", "/%"]) {
      const res = await rawRequest(base, path)
      expect(res.status).toBeGreaterThanOrEqual(400)
      expect(res.headers["cache-control"]).toBe("no-store")
      expect(res.headers["x-content-type-options"]).toBe("nosniff")
      expect(res.headers["cross-origin-resource-policy"]).toBe("same-origin")
      expect(res.headers["content-type"]).toContain("application/json")
    }
  })

  it("sends no uWebSockets header on any response", async () => {
    for (const path of ["/", "/api/v1/health", "/assets/missing.js"]) {
      const res = await rawRequest(base, path)
      expect(res.headers.uwebsockets).toBeUndefined()
    }
  })

  it("refuses to start a second relay on a port already taken in the same process", async () => {
    await expect(start(relay.port)).rejects.toThrow(/port is in use/)
    expect((await fetch(`${base}/api/v1/health`)).status).toBe(200)
  })
})
