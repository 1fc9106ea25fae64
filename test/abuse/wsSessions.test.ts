import { ManualClock } from "@sotto/relay"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import WebSocket from "ws"
import { startTestRelay, type TestRelay } from "../relay/_harness.js"
import { type SeededTip, seedTip } from "../relay/_seedFiles.js"
import { openPush, type PushSocket } from "../relay/_wsClient.js"

// Issue 11: push sockets outlived their session's idle timeout, were unlimited per session, and
// sessions had no absolute lifetime. Sockets now close with SESSION_EXPIRED when their session
// ends (logout at once; idle timeout and lifetime at the next check), are capped per session and
// node-wide, and a session ends at its lifetime however active it is.

const PER_SESSION = 2
const MAX_SOCKETS = 6
const STAFF_LIFETIME_MIN = 60

describe("push sockets and session lifetimes", () => {
  let t: TestRelay
  let a: SeededTip
  const clock = new ManualClock(Date.now())
  const wbSession = async () =>
    (await t.relay.ctx.sessions.create({ kind: "wb", tipId: a.tipId })).token
  const expired = async (socket: PushSocket) => {
    await socket.next((m) => m.type === "error" && m.code === "SESSION_EXPIRED", 5000)
    expect(await socket.closed).toBe(1008)
  }

  beforeAll(async () => {
    t = await startTestRelay({
      clock,
      env: {
        WS_SESSION_CHECK_SECONDS: "1",
        WS_MAX_PER_SESSION: String(PER_SESSION),
        WS_MAX_SOCKETS: String(MAX_SOCKETS),
        SESSION_LIFETIME_RECIPIENT_MIN: String(STAFF_LIFETIME_MIN),
      },
    })
    a = await seedTip(t)
  })
  afterAll(async () => {
    await t.destroy()
  })

  it("closes a socket as soon as its session logs out", async () => {
    const token = await wbSession()
    const socket = await openPush(t, token)
    const res = await fetch(`${t.baseUrl}/api/v1/auth/logout`, {
      method: "POST",
      headers: { "X-Session": token },
    })
    expect(res.status).toBe(200)
    await expired(socket)
  })

  it("closes a socket once its session passes the idle timeout", async () => {
    const socket = await openPush(t, await wbSession())
    clock.advance(31 * 60_000)
    await expired(socket)
  })

  it("ends an active session at its absolute lifetime and closes its socket", async () => {
    const { token } = await t.relay.ctx.sessions.create({
      kind: "staff",
      userId: a.recipient.id,
      role: "recipient",
      stage: "full",
    })
    const socket = await openPush(t, token)
    const touch = () => fetch(`${t.baseUrl}/api/v1/tips`, { headers: { "X-Session": token } })
    // Active every 19 minutes (well inside the idle timeout) for 57 minutes.
    for (let i = 0; i < 3; i++) {
      clock.advance(19 * 60_000)
      expect((await touch()).status).toBe(200)
    }
    expect(socket.messages.filter((m) => m.type === "error")).toEqual([])
    clock.advance(4 * 60_000)
    await expired(socket)
    const after = await touch()
    expect(after.status).toBe(401)
    expect(["SESSION_EXPIRED", "UNAUTHENTICATED"]).toContain((await after.json()).error.code)
  })

  it(`refuses a session's socket past ${PER_SESSION} with RATE_LIMITED`, async () => {
    const token = await wbSession()
    const open = [await openPush(t, token), await openPush(t, token)]
    const extra = await openPush(t)
    extra.send({ type: "auth", session: token })
    await extra.next((m) => m.type === "error" && m.code === "RATE_LIMITED")
    expect(await extra.closed).toBe(1008)
    for (const s of open) s.ws.close()
    await Promise.all(open.map((s) => s.closed))
  })

  it(`refuses upgrades past ${MAX_SOCKETS} open sockets with 503`, async () => {
    const open = await Promise.all(Array.from({ length: MAX_SOCKETS }, () => openPush(t)))
    const status = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`${t.baseUrl.replace("http", "ws")}/api/v1/ws`)
      ws.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0))
      ws.once("open", () => reject(new Error("upgraded past the cap")))
    })
    expect(status).toBe(503)
    for (const s of open) s.ws.close()
    await Promise.all(open.map((s) => s.closed))
    // Room again once they are gone.
    const again = await openPush(t, await wbSession())
    again.ws.close()
  })
})
