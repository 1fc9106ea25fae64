import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { gzipSync } from "node:zlib"
import { type Relay, readConfig, startRelay } from "@sotto/relay"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { DIST_FILES, writeSignedDist } from "./_signedDist.js"

// The relay serves exactly the build's signed manifest (issue 15): a file whose bytes the
// manifest does not list is refused (503 INTEGRITY_MISMATCH) and named in the log at start, a
// precompressed sibling that does not decompress to the listed bytes is never sent, and the
// manifest itself is served at /.well-known/sotto-integrity.json.
// Before the fix (relay without relay/src/http/integrity.ts) the tampered asset was served with
// 200 and the well-known path answered 404.

const TAMPERED = "console.log('reads the answers before they are sealed');\n"

describe("a relay serving a build with an integrity manifest", () => {
  let dir: string
  let relay: Relay
  let base: string
  const logged: Array<{ event: string; fields?: Record<string, unknown> }> = []

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "sotto-integrity-"))
    const dist = join(dir, "dist")
    await writeSignedDist(dist)
    // A seized server's edits: one asset replaced, its gzip sibling left genuine, one file added.
    await writeFile(join(dist, "assets/app-1.js"), TAMPERED)
    await writeFile(join(dist, "extra.js"), "alert(1)")
    const record = (event: string, fields?: Record<string, unknown>) =>
      logged.push({ event, ...(fields ? { fields } : {}) })
    relay = await startRelay({
      config: readConfig({
        PORT: "0",
        HOST: "127.0.0.1",
        DATA_DIR: join(dir, "data"),
        STATIC_DIR: dist,
        OPRF_KEY_FILE: join(dir, "keys", "oprf.key"),
      }),
      log: { debug: record, info: record, warn: record, error: record },
    })
    base = `http://127.0.0.1:${relay.port}`
  })
  afterAll(async () => {
    await relay?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it("names each file that does not match in the log at start", () => {
    const refused = logged
      .filter((l) => l.event === "integrity_mismatch")
      .map((l) => l.fields?.file)
    expect(refused.sort()).toEqual(["/assets/app-1.js", "/extra.js"])
    expect(logged.find((l) => l.event === "integrity_checked")?.fields?.files).toBe(4)
  })

  it("refuses to serve a tampered asset, in any encoding", async () => {
    for (const encoding of ["identity", "gzip", "br"]) {
      const res = await fetch(`${base}/assets/app-1.js`, {
        headers: { "Accept-Encoding": encoding },
      })
      expect(res.status).toBe(503)
      const body = (await res.json()) as { error: { code: string } }
      expect(body.error.code).toBe("INTEGRITY_MISMATCH")
    }
  })

  it("refuses a file the manifest does not list", async () => {
    const res = await fetch(`${base}/extra.js`)
    expect(res.status).toBe(503)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
      "INTEGRITY_MISMATCH",
    )
  })

  it("still serves the files that match, with the security headers", async () => {
    const res = await fetch(`${base}/`)
    expect(res.status).toBe(200)
    expect(await res.text()).toBe(DIST_FILES["index.html"])
    expect(res.headers.get("content-security-policy")).toContain("script-src 'self'")
  })

  it("serves the signed manifest at the well-known path", async () => {
    const res = await fetch(`${base}/.well-known/sotto-integrity.json`)
    expect(res.status).toBe(200)
    const doc = (await res.json()) as { manifest: { files: Record<string, string> } }
    expect(Object.keys(doc.manifest.files)).toContain("/assets/app-1.js")
  })

  it("refuses a file replaced after start, and never sends a sibling that differs", async () => {
    const dist = join(dir, "dist")
    await writeFile(join(dist, "sw.js"), "self.skipWaiting()")
    expect((await fetch(`${base}/sw.js`)).status).toBe(503)
    // Back to the genuine script, but with a gzip sibling of other content: identity is sent.
    await writeFile(join(dist, "assets/app-1.js"), DIST_FILES["assets/app-1.js"] ?? "")
    await writeFile(join(dist, "assets/app-1.js.gz"), gzipSync(TAMPERED))
    // The static table notices files changed in place at its next check (at most once a second).
    await new Promise((resolve) => setTimeout(resolve, 1100))
    const res = await fetch(`${base}/assets/app-1.js`, { headers: { "Accept-Encoding": "gzip" } })
    expect(res.status).toBe(200)
    expect(res.headers.get("content-encoding")).toBeNull()
    expect(await res.text()).toBe(DIST_FILES["assets/app-1.js"])
  })
})
