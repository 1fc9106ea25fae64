import { describe, expect, it } from "vitest"
import { readConfig } from "../config.js"
import { relyingParty } from "./webauthn.js"

// Where WebAuthn's RP ID and expected origin come from (relay/README.md "Second factors").

const plain = readConfig({})
const headers = (h: Record<string, string>) => new Map(Object.entries(h))

describe("relyingParty", () => {
  it("takes ORIGIN when configured, whatever the request says", () => {
    const config = readConfig({ ORIGIN: "https://sotto.example.org" })
    expect(relyingParty(config, headers({ host: "10.0.0.5:8080" }))).toEqual({
      rpID: "sotto.example.org",
      origin: "https://sotto.example.org",
    })
  })

  it("takes the Host header, with the Origin header's scheme when it names that host", () => {
    const rp = relyingParty(
      plain,
      headers({ host: "localhost:5173", origin: "http://localhost:5173" }),
    )
    expect(rp).toEqual({ rpID: "localhost", origin: "http://localhost:5173" })
  })

  it("assumes https without an Origin header or with one for another host", () => {
    expect(relyingParty(plain, headers({ host: "sotto.example.org" }))).toEqual({
      rpID: "sotto.example.org",
      origin: "https://sotto.example.org",
    })
    const other = headers({ host: "sotto.example.org", origin: "http://evil.example" })
    expect(relyingParty(plain, other).origin).toBe("https://sotto.example.org")
  })

  it("refuses a missing or odd Host header with 400", () => {
    for (const host of [undefined, "", "a/b", "user@host", "host:99999", "host:port"]) {
      const h = headers(host === undefined ? {} : { host })
      expect(() => relyingParty(plain, h), String(host)).toThrow(
        expect.objectContaining({ code: "BAD_REQUEST" }),
      )
    }
  })
})
