import { describe, expect, it } from "vitest"
import { listenAddress, readConfig } from "./config.js"

const PG = "postgres://postgres@127.0.0.1:5432/test"

describe("the scale-out settings", () => {
  it("keeps one process on LevelDB with in-process events and an exclusive port by default", () => {
    const config = readConfig({})
    expect([config.storeUrl, config.busUrl, config.reusePort]).toEqual([
      undefined,
      undefined,
      false,
    ])
  })

  it("takes a NATS URL or a cluster's servers with a shared store", () => {
    expect(readConfig({ STORE_URL: PG, BUS_URL: "nats://a:4222,b:4222" }).busUrl).toBe(
      "nats://a:4222,b:4222",
    )
  })

  it("refuses a bus without a shared store, and a URL that is not nats://", () => {
    expect(() => readConfig({ BUS_URL: "nats://127.0.0.1:4222" })).toThrow(
      /BUS_URL needs STORE_URL/,
    )
    expect(() => readConfig({ STORE_URL: PG, BUS_URL: "redis://x" })).toThrow(/BUS_URL must be/)
  })

  it("shares a port only between processes of a shared store", () => {
    expect(() => readConfig({ REUSE_PORT: "1" })).toThrow(/REUSE_PORT=1 needs STORE_URL/)
    expect(readConfig({ STORE_URL: PG, REUSE_PORT: "1" }).reusePort).toBe(true)
    expect(() => readConfig({ STORE_URL: PG, REUSE_PORT: "yes" })).toThrow(/REUSE_PORT must be/)
  })
})

describe("the startup line's address", () => {
  it("names the host the relay is bound to, bracketing IPv6, and a local URL for a wildcard", () => {
    expect(listenAddress("127.0.0.1", 8080)).toBe("http://127.0.0.1:8080")
    expect(listenAddress("::1", 8081)).toBe("http://[::1]:8081")
    expect(listenAddress("0.0.0.0", 8080)).toBe(
      "http://0.0.0.0:8080 (every interface; http://localhost:8080 from this machine)",
    )
    expect(listenAddress("::", 9000)).toMatch(/^http:\/\/\[::\]:9000 \(every interface/)
  })
})
