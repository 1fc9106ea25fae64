import { describe, expect, it } from "vitest"
import { SECURITY_HEADERS, securityHeadersFor, staticKindOf } from "./headers.js"

describe("security headers by response kind", () => {
  it("gives documents every header and the others a subset with the same values", () => {
    expect(securityHeadersFor("document")).toEqual(SECURITY_HEADERS)
    const all = new Map(SECURITY_HEADERS)
    for (const kind of ["worker", "asset", "api"] as const) {
      for (const [name, value] of securityHeadersFor(kind)) expect(all.get(name)).toBe(value)
    }
    const names = (kind: "worker" | "asset" | "api") =>
      securityHeadersFor(kind).map(([name]) => name)
    expect(names("api")).toEqual(["X-Content-Type-Options", "Cross-Origin-Resource-Policy"])
    expect(names("asset")).toEqual(names("api"))
    expect(names("worker").sort()).toEqual(
      [
        "Content-Security-Policy",
        "Cross-Origin-Embedder-Policy",
        "Cross-Origin-Resource-Policy",
        "Referrer-Policy",
        "X-Content-Type-Options",
      ].sort(),
    )
  })

  it("classifies build files by name: HTML, worker entry points, the rest", () => {
    expect(staticKindOf("index.html")).toBe("document")
    expect(staticKindOf("/index.html")).toBe("document")
    expect(staticKindOf("sw.js")).toBe("worker")
    expect(staticKindOf("assets/fileWorker-DuEP_lX-.js")).toBe("worker")
    expect(staticKindOf("assets/powWorker-abc.js")).toBe("worker")
    expect(staticKindOf("assets/index-DuEPylXP.js")).toBe("asset")
    expect(staticKindOf("assets/Worker.css")).toBe("asset")
    expect(staticKindOf("manifest.webmanifest")).toBe("asset")
    expect(staticKindOf("assets/sw.js.map")).toBe("asset")
  })
})
