import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startTestRelay, type TestRelay } from "../relay/_harness.js"
import { type EvilRelay, startEvilRelay } from "./_evilRelay.js"

// The attack tests' tampering layer must itself be trustworthy: it passes answers through, records
// what clients send, and really replaces what a hook returns.

let relay: TestRelay
let evil: EvilRelay

beforeAll(async () => {
  relay = await startTestRelay()
  evil = await startEvilRelay(relay.baseUrl)
})
afterAll(async () => {
  await evil.close()
  await relay.stop()
})

describe("the evil relay layer", () => {
  it("passes the real relay's answers through unchanged", async () => {
    const direct = await (await fetch(`${relay.baseUrl}/api/v1/health`)).json()
    const res = await fetch(`${evil.baseUrl}/api/v1/health`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual(direct)
  })

  it("records request bodies so a test can look for leaked secrets", async () => {
    await fetch(`${evil.baseUrl}/api/v1/nothing-here`, { method: "POST", body: "leaked-secret-42" })
    expect(evil.sawText("leaked-secret-42")).toBe(true)
    expect(evil.sawText("never-sent")).toBe(false)
  })

  it("replaces an answer with what the response hook returns", async () => {
    evil.onResponse((req) =>
      req.path === "/api/v1/health" ? { body: { forged: true } } : undefined,
    )
    const res = await fetch(`${evil.baseUrl}/api/v1/health`)
    expect(await res.json()).toEqual({ forged: true })
    expect(evil.seen.at(-1)?.tampered).toBe(true)
    evil.onResponse(undefined)
  })

  it("answers by itself when the request hook does", async () => {
    evil.onRequest(() => ({ status: 418, body: "made up" }))
    const res = await fetch(`${evil.baseUrl}/api/v1/health`)
    expect(res.status).toBe(418)
    expect(await res.text()).toBe("made up")
    evil.onRequest(undefined)
  })
})
