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

  it("sends the security headers and no-store on API responses", async () => {
    const res = await fetch(`${t.baseUrl}/api/v1/health`)
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'")
    expect(res.headers.get("content-security-policy")).toContain("default-src 'self'")
    expect(res.headers.get("referrer-policy")).toBe("no-referrer")
    expect(res.headers.get("x-content-type-options")).toBe("nosniff")
    expect(res.headers.get("x-robots-tag")).toContain("noindex")
    expect(res.headers.get("strict-transport-security")).toContain("max-age=")
    expect(res.headers.get("cross-origin-opener-policy")).toBe("same-origin")
    expect(res.headers.get("permissions-policy")).toContain("camera=()")
    expect(res.headers.get("cache-control")).toBe("no-store")
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
