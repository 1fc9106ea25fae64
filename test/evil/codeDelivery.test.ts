import { execFile } from "node:child_process"
import { mkdtemp, rm } from "node:fs/promises"
import { createServer, type Server, connect as tcpConnect } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"
import { brotliCompressSync, gzipSync } from "node:zlib"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startTestRelay, type TestRelay } from "../relay/_harness.js"
import { TEST_RELEASE_PUBLIC, writeSignedDist } from "../relay/_signedDist.js"
import { type EvilRelay, startEvilRelay } from "./_evilRelay.js"

// Code delivery attacks (issue 15): a seized relay serves a modified file, a weakened CSP or an
// unsigned manifest. sotto-verify (the real CLI, as an auditor runs it) must name what differs and
// exit non-zero, and exit 0 against the genuine node, also through a SOCKS5 proxy (Tor's shape).
// Before sotto-verify existed there was nothing to run: no check at all caught these.

const ROOT = new URL("../../", import.meta.url).pathname
const run = promisify(execFile)

let t: TestRelay
let evil: EvilRelay
let dir: string

/** Runs `sotto-verify url --release-key <test key> ...extra`: exit code and output. */
async function verify(url: string, ...extra: string[]) {
  try {
    const { stdout } = await run(
      process.execPath,
      [
        join(ROOT, "verify/bin/sotto-verify.mjs"),
        url,
        "--release-key",
        TEST_RELEASE_PUBLIC,
        ...extra,
      ],
      { cwd: ROOT },
    )
    return { code: 0, stdout }
  } catch (e) {
    const failed = e as { code: number; stdout: string }
    return { code: failed.code, stdout: failed.stdout }
  }
}

/** The same evil body in whatever encoding the relay used, so the client decodes it cleanly. */
function encodeLike(encoding: unknown, text: string): Buffer {
  if (encoding === "br") return brotliCompressSync(text)
  if (encoding === "gzip") return gzipSync(text)
  return Buffer.from(text)
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sotto-code-"))
  await writeSignedDist(join(dir, "dist"))
  t = await startTestRelay({ env: { STATIC_DIR: join(dir, "dist") } })
  evil = await startEvilRelay(t.baseUrl)
})
afterAll(async () => {
  await evil?.close()
  await t?.destroy()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe("sotto-verify", () => {
  it("exits 0 against the genuine node, with the manifest hash in the verdict", async () => {
    evil.onResponse(undefined)
    const { code, stdout } = await verify(t.baseUrl)
    expect(stdout).toMatch(/^OK http:\/\/127\.0\.0\.1:\d+ serves the signed release [0-9a-f]{64}/)
    expect(code).toBe(0)
  })

  it("names the file a relay modified and exits non-zero", async () => {
    evil.onResponse((req, res) =>
      req.path === "/assets/app-1.js"
        ? { body: encodeLike(res.headers["content-encoding"], "steal()") }
        : undefined,
    )
    const { code, stdout } = await verify(evil.baseUrl)
    expect(code).toBe(1)
    expect(stdout.split("\n")[0]).toMatch(/^MISMATCH /)
    expect(stdout).toContain("/assets/app-1.js: content differs")
    expect(stdout).not.toContain("/index.html:")
  })

  it("catches a change made only in the brotli copy browsers get", async () => {
    evil.onResponse((req, res) =>
      req.path === "/assets/app-1.js" && res.headers["content-encoding"] === "br"
        ? { body: brotliCompressSync("steal()") }
        : undefined,
    )
    const { code, stdout } = await verify(evil.baseUrl)
    expect(code).toBe(1)
    expect(stdout).toContain("/assets/app-1.js: content differs (br)")
    expect(stdout).not.toContain("content differs (identity)")
  })

  it("reports a weakened Content-Security-Policy", async () => {
    evil.onResponse((req, res) =>
      req.path === "/"
        ? { body: res.body, headers: { "content-security-policy": "script-src *" } }
        : undefined,
    )
    const { code, stdout } = await verify(evil.baseUrl)
    expect(code).toBe(1)
    expect(stdout).toContain('/ (app shell): header content-security-policy is "script-src *"')
  })

  it("refuses a manifest with its signatures stripped", async () => {
    evil.onResponse((req, res) => {
      if (req.path !== "/.well-known/sotto-integrity.json") return undefined
      const doc = JSON.parse(res.body.toString("utf8")) as Record<string, unknown>
      return { body: { ...doc, signatures: {} } }
    })
    const { code, stdout } = await verify(evil.baseUrl)
    expect(code).toBe(1)
    expect(stdout).toContain("signature: no trusted release key signed this manifest")
  })

  it("refuses the genuine node when the shipped release key is expected", async () => {
    evil.onResponse(undefined)
    const { code, stdout } = await run(
      process.execPath,
      [join(ROOT, "verify/bin/sotto-verify.mjs"), t.baseUrl],
      { cwd: ROOT },
    ).then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (e: { code: number; stdout: string }) => e,
    )
    // Signed by a throwaway test key, not the project's: not a release.
    expect(code).toBe(1)
    expect(stdout).toContain("signature:")
  })

  it("reaches the node through a SOCKS5 proxy", async () => {
    const { server, port, connections } = await startSocks5()
    try {
      const { code, stdout } = await verify(t.baseUrl, "--socks5", `127.0.0.1:${port}`)
      expect(code).toBe(0)
      expect(stdout).toMatch(/^OK /)
      expect(connections()).toBeGreaterThan(0)
    } finally {
      server.close()
    }
  })
})

/** A minimal SOCKS5 proxy (no auth, CONNECT only), counting the connections it carried. */
async function startSocks5(): Promise<{ server: Server; port: number; connections(): number }> {
  let count = 0
  const server = createServer((client) => {
    client.once("data", (hello) => {
      if (hello[0] !== 5) return client.destroy()
      client.write(Buffer.from([5, 0]))
      client.once("data", (req) => {
        const type = req[3]
        let host: string
        let at: number
        if (type === 1) {
          host = [...req.subarray(4, 8)].join(".")
          at = 8
        } else if (type === 3) {
          const len = req[4] ?? 0
          host = req.subarray(5, 5 + len).toString("utf8")
          at = 5 + len
        } else return client.destroy()
        const port = req.readUInt16BE(at)
        const upstream = tcpConnect(port, host, () => {
          count++
          client.write(Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0]))
          client.pipe(upstream)
          upstream.pipe(client)
        })
        upstream.on("error", () => client.destroy())
        client.on("error", () => upstream.destroy())
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const address = server.address()
  if (address === null || typeof address === "string") throw new Error("no port")
  return { server, port: address.port, connections: () => count }
}
