import { describe, expect, it } from "vitest"
import { RelayError } from "../errors.js"
import { Admission } from "./admission.js"

const limits = {
  maxRequests: 3,
  maxBodyBytes: 100,
  maxAnonBodies: 2,
  maxAnonBodyBytes: 60,
  maxSessionBodies: 1,
  maxSessionBodyBytes: 40,
  maxUnidentifiedBodyBytes: 30,
}

const codeOf = (f: () => unknown) => {
  try {
    f()
  } catch (e) {
    return e instanceof RelayError ? `${e.code}/${e.retryAfter}` : "other"
  }
  return "none"
}

describe("admission caps", () => {
  it("refuses a request past maxRequests with OVERLOADED and Retry-After, and takes it back on release", () => {
    const a = new Admission(limits)
    const held = [a.enter(false), a.enter(false), a.enter(false)]
    expect(codeOf(() => a.enter(false))).toBe("OVERLOADED/5")
    held[0]?.release()
    held[0]?.release()
    expect(a.snapshot().requests).toBe(2)
    expect(codeOf(() => a.enter(false))).toBe("none")
  })

  it("limits one session's bodies and bytes with RATE_LIMITED, other sessions unaffected", () => {
    const a = new Admission(limits)
    const first = a.enter(true)
    first.bind({ sessionKey: "s1", anonymous: false })
    expect(codeOf(() => a.enter(true).bind({ sessionKey: "s1", anonymous: false }))).toBe(
      "RATE_LIMITED/2",
    )
    expect(codeOf(() => first.addBytes(41))).toBe("RATE_LIMITED/2")
    const other = a.enter(true)
    other.bind({ sessionKey: "s2", anonymous: false })
    expect(codeOf(() => other.addBytes(40))).toBe("none")
  })

  it("caps anonymous bodies and bytes below the node-wide byte cap", () => {
    const a = new Admission({ ...limits, maxRequests: 10 })
    const one = a.enter(true)
    one.bind({ anonymous: true })
    const two = a.enter(true)
    two.bind({ anonymous: true })
    expect(codeOf(() => a.enter(true).bind({ anonymous: true }))).toBe("OVERLOADED/5")
    one.addBytes(50)
    expect(codeOf(() => two.addBytes(11))).toBe("OVERLOADED/5")
    const staff = a.enter(true)
    staff.bind({ sessionKey: "s", anonymous: false })
    expect(codeOf(() => staff.addBytes(40))).toBe("none")
    expect(codeOf(() => staff.addBytes(1))).toBe("RATE_LIMITED/2")
    expect(codeOf(() => one.addBytes(11))).toBe("OVERLOADED/5")
  })

  it("counts bytes that arrived before the caller was known, and gives everything back", () => {
    const a = new Admission(limits)
    const t = a.enter(true)
    t.addBytes(30)
    t.bind({ sessionKey: "s", anonymous: true })
    expect(codeOf(() => t.addBytes(11))).toBe("RATE_LIMITED/2")
    t.release()
    expect(a.snapshot()).toEqual({
      requests: 0,
      bytes: 0,
      unidentifiedBytes: 0,
      anonBodies: 0,
      sessions: 0,
    })
  })

  it("caps the bytes held for callers not yet identified, and frees that room once they are known", () => {
    const a = new Admission({ ...limits, maxRequests: 10 })
    const one = a.enter(true)
    const two = a.enter(true)
    one.addBytes(20)
    expect(codeOf(() => two.addBytes(11))).toBe("OVERLOADED/5")
    one.bind({ sessionKey: "s", anonymous: false })
    expect(a.snapshot().unidentifiedBytes).toBe(0)
    expect(codeOf(() => two.addBytes(30))).toBe("none")
    two.release()
    one.release()
    expect(a.snapshot().unidentifiedBytes).toBe(0)
    expect(a.snapshot().bytes).toBe(0)
  })
})
