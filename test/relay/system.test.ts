import { system } from "@sotto/protocol"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startTestRelay, type TestRelay } from "./_harness.js"

describe("relay basics over loopback", () => {
  let t: TestRelay
  beforeAll(async () => {
    t = await startTestRelay()
  })
  afterAll(async () => {
    await t.destroy()
  })

  it("answers health on a fresh node: not set up, mail off", async () => {
    expect(await t.client.call(system.getHealth)).toEqual({
      ok: true,
      setUp: false,
      mail: false,
      version: "2.0.0",
    })
  })

  it("sends API responses only the headers that apply to JSON: no-store, nosniff, CORP", async () => {
    const res = await fetch(`${t.baseUrl}/api/v1/health`)
    expect(res.headers.get("cache-control")).toBe("no-store")
    expect(res.headers.get("x-content-type-options")).toBe("nosniff")
    expect(res.headers.get("cross-origin-resource-policy")).toBe("same-origin")
    // Document policies do nothing on JSON: they cost every request ~0.6 KB on a slow link.
    for (const name of [
      "content-security-policy",
      "strict-transport-security",
      "permissions-policy",
      "cross-origin-opener-policy",
      "x-frame-options",
    ])
      expect(res.headers.get(name)).toBeNull()
    const missing = await fetch(`${t.baseUrl}/api/v1/nowhere`)
    expect(missing.headers.get("x-content-type-options")).toBe("nosniff")
    expect(missing.headers.get("content-security-policy")).toBeNull()
  })

  it("answers an unknown API route with a JSON 404", async () => {
    const res = await fetch(`${t.baseUrl}/api/v1/nowhere`)
    expect(res.status).toBe(404)
    expect((await res.json()).error.code).toBe("NOT_FOUND")
  })

  it("answers a wrong method with a JSON 405", async () => {
    const res = await fetch(`${t.baseUrl}/api/v1/health`, { method: "DELETE" })
    expect(res.status).toBe(405)
    expect((await res.json()).error.code).toBe("METHOD_NOT_ALLOWED")
  })

  it("serves an OpenAPI document listing its own routes", async () => {
    const doc = (await t.client.call(system.getOpenApi)) as {
      openapi: string
      paths: Record<string, unknown>
    }
    expect(doc.openapi).toBe("3.1.0")
    expect(Object.keys(doc.paths)).toContain("/api/v1/health")
  })

  it("serves a placeholder page while the PWA is not built", async () => {
    const res = await fetch(`${t.baseUrl}/`)
    expect(res.status).toBe(200)
    expect(res.headers.get("content-type")).toContain("text/html")
    expect(await res.text()).toContain("Sotto relay is running")
  })
})
