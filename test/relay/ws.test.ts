import { sealTipPart, wrapTipKey } from "@sotto/crypto-core"
import { files, tips, wb } from "@sotto/protocol"
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest"
import type { RelayEvent } from "../../relay/src/services/events.js"
import { startTestRelay, type TestRelay } from "./_harness.js"
import { wire } from "./_seed.js"
import { chunkHash, type SeededTip, sealMeta, seedTip } from "./_seedFiles.js"
import { openPush, type PushMessage } from "./_wsClient.js"

const isEvent = (type: string, tipId: string) => (m: PushMessage) =>
  m.type === "event" && m.event?.type === type && m.event.tipId === tipId

describe("the push WebSocket", () => {
  let t: TestRelay
  let a: SeededTip
  let b: SeededTip
  const publish = (event: RelayEvent) => t.relay.ctx.events.publish(event)

  beforeAll(async () => {
    t = await startTestRelay()
    a = await seedTip(t)
    b = await seedTip(t)
  })
  afterAll(async () => {
    await t.destroy()
  })

  it("tells a recipient about a file added to their tip with its new inbox line, nothing sealed", async () => {
    const socket = await openPush(t, a.recipient.token)
    const body = new Uint8Array(10)
    const { fileId } = await t.client.call(files.createFile, {
      params: { tipId: a.tipId },
      body: { meta: await sealMeta(a.tip), size: 10, chunkSize: 64 * 1024 },
      session: a.wb,
    })
    await t.client.call(files.putFileChunk, {
      params: { fileId, index: "0" },
      body,
      session: a.wb,
      headers: { "X-Chunk-Sha256": chunkHash(body) },
    })
    await t.client.call(files.finalizeFile, { params: { fileId }, session: a.wb })
    const message = await socket.next(isEvent("file.added", a.tipId))
    const [line] = (await t.client.call(tips.listTips, { session: a.recipient.token })).tips
    expect(line?.files).toBe(1)
    // Exactly the line `GET /tips` lists now, and nothing else.
    expect(message).toEqual({
      type: "event",
      event: { type: "file.added", tipId: a.tipId, tip: line },
    })
    expect(JSON.stringify(message)).not.toMatch(/age-encryption|BEGIN AGE|wbAuthVerifier|answers/)
    socket.ws.close()
  })

  it("sends a recipient the events of their tips and none of other tips", async () => {
    const socket = await openPush(t, a.recipient.token)
    publish({ type: "tip.updated", tipId: b.tipId, users: [b.recipient.id], wb: true })
    publish({ type: "comment.created", tipId: a.tipId, users: [a.outsider.id], wb: true })
    publish({ type: "tip.updated", tipId: a.tipId, users: [a.recipient.id], wb: false })
    await socket.next(isEvent("tip.updated", a.tipId))
    expect(socket.messages.filter((m) => m.type === "event")).toEqual([
      { type: "event", event: { type: "tip.updated", tipId: a.tipId } },
    ])
    socket.ws.close()
  })

  it("sends a whistleblower only their own tip's events, and only those meant for them", async () => {
    const socket = await openPush(t, a.wb)
    publish({ type: "comment.created", tipId: b.tipId, users: [], wb: true })
    publish({ type: "access.changed", tipId: a.tipId, users: [a.recipient.id], wb: false })
    publish({ type: "comment.created", tipId: a.tipId, users: [a.recipient.id], wb: true })
    await socket.next(isEvent("comment.created", a.tipId))
    expect(socket.messages.filter((m) => m.type === "event")).toEqual([
      { type: "event", event: { type: "comment.created", tipId: a.tipId } },
    ])
    socket.ws.close()
  })

  it("answers a ping with a pong once authenticated", async () => {
    const socket = await openPush(t, a.wb)
    socket.send({ type: "ping" })
    await socket.next((m) => m.type === "pong")
    socket.ws.close()
  })

  it("closes a socket whose first message is not an auth message", async () => {
    const cases: Array<[unknown, string]> = [
      [{ type: "ping" }, "VALIDATION"],
      [{ type: "subscribe", tipId: a.tipId }, "VALIDATION"],
      [{ type: "auth", session: a.wb, tipId: a.tipId }, "VALIDATION"],
      [{ type: "auth", session: 42 }, "VALIDATION"],
      [{ type: "auth" }, "VALIDATION"],
      ["{not json", "BAD_REQUEST"],
      [{ type: "auth", session: "A".repeat(43) }, "UNAUTHENTICATED"],
    ]
    for (const [message, code] of cases) {
      const socket = await openPush(t)
      socket.send(message)
      expect(await socket.closed, JSON.stringify(message)).toBe(1008)
      expect(socket.messages, JSON.stringify(message)).toMatchObject([{ type: "error", code }])
    }
  })

  it("closes a socket sending a message past the 4 KiB limit", async () => {
    const socket = await openPush(t)
    socket.send({ type: "auth", session: "A".repeat(5000) })
    expect(await socket.closed).not.toBe(1000)
    expect(socket.messages.filter((m) => m.type === "ready")).toEqual([])
  })

  it("refuses a second auth message and a staff login that is not complete", async () => {
    const again = await openPush(t, a.recipient.token)
    again.send({ type: "auth", session: a.recipient.token })
    expect(await again.closed).toBe(1008)
    const partial = await t.relay.ctx.sessions.create({
      kind: "staff",
      userId: a.recipient.id,
      role: "recipient",
      stage: "second-factor",
    })
    const socket = await openPush(t)
    socket.send({ type: "auth", session: partial.token })
    expect(await socket.closed).toBe(1008)
    expect(socket.messages).toMatchObject([{ type: "error", code: "FORBIDDEN" }])
  })

  it("closes the socket of a session that ended (logout) at the next event instead of sending it", async () => {
    const { token, session } = await t.relay.ctx.sessions.create({ kind: "wb", tipId: a.tipId })
    const socket = await openPush(t, token)
    await t.relay.ctx.sessions.end(session)
    publish({ type: "comment.created", tipId: a.tipId, users: [], wb: true })
    expect(await socket.closed).toBe(1008)
    expect(socket.messages).toEqual([
      { type: "ready" },
      { type: "error", code: "SESSION_EXPIRED", message: expect.any(String) },
    ])
  })

  it("keeps other sockets served after one closes", async () => {
    const leaving = await openPush(t, a.recipient.token)
    const staying = await openPush(t, a.recipient.token)
    leaving.ws.close()
    await leaving.closed
    publish({ type: "tip.updated", tipId: a.tipId, users: [a.recipient.id], wb: false })
    await staying.next(isEvent("tip.updated", a.tipId))
    expect(leaving.messages).toEqual([{ type: "ready" }])
    staying.ws.close()
  })

  it("unsubscribes a socket from the event hub when it closes", async () => {
    const hub = t.relay.ctx.events
    const subscribe = hub.subscribe.bind(hub)
    let active = 0
    hub.subscribe = (listener) => {
      active++
      const unsubscribe = subscribe(listener)
      return () => {
        active--
        return unsubscribe()
      }
    }
    try {
      const socket = await openPush(t, a.wb)
      expect(active).toBe(1)
      socket.ws.close()
      await socket.closed
      await vi.waitFor(() => expect(active).toBe(0))
    } finally {
      hub.subscribe = subscribe
    }
  })

  it("delivers a burst of events in the order they happened", async () => {
    const socket = await openPush(t, a.wb)
    const types = ["tip.updated", "comment.created", "file.added", "access.changed"] as const
    for (const type of types) publish({ type, tipId: a.tipId, users: [], wb: true })
    await socket.next(isEvent("access.changed", a.tipId))
    expect(socket.messages.filter((m) => m.type === "event").map((m) => m.event?.type)).toEqual([
      ...types,
    ])
    socket.ws.close()
  })
})

describe("push events that say what changed", () => {
  let t: TestRelay
  let a: SeededTip

  beforeAll(async () => {
    t = await startTestRelay()
    a = await seedTip(t)
  })
  afterAll(async () => {
    await t.destroy()
  })

  it("gives staff the new counts of a commented tip and the whistleblower its counts only", async () => {
    const staff = await openPush(t, a.recipient.token)
    const whistleblower = await openPush(t, a.wb)
    const secret = "the plaintext nobody but the reader sees"
    const age = await sealTipPart(a.tip.recipient, "comment", { text: secret })
    await t.client.call(wb.addWbComment, { session: a.wb, body: { age } })
    const staffSide = await staff.next(isEvent("comment.created", a.tipId))
    expect(staffSide.event?.tip).toMatchObject({ id: a.tipId, comments: 1, files: 0 })
    expect(staffSide.event?.counts).toBeUndefined()

    await t.client.call(tips.addTipComment, {
      session: a.recipient.token,
      params: { tipId: a.tipId },
      body: { age },
    })
    const wbSide = await whistleblower.next(isEvent("comment.created", a.tipId))
    // The whistleblower learns counts, never the staff's status or labels.
    expect(wbSide.event).toEqual({
      type: "comment.created",
      tipId: a.tipId,
      counts: { comments: 2, files: 0 },
    })
    for (const m of [...staff.messages, ...whistleblower.messages]) {
      expect(JSON.stringify(m)).not.toContain(age.slice(60, 120))
      expect(JSON.stringify(m)).not.toContain(secret)
    }
    staff.ws.close()
    whistleblower.ws.close()
  })

  it("tells a holder who left that the tip left their inbox, and the others its line", async () => {
    // The outsider gets a wrap first, so there is someone to revoke.
    const other = a.outsider
    const user = await t.relay.ctx.store.get<{ publicKey: string }>("users", `u/${other.id}`)
    await t.client.call(tips.grantAccess, {
      session: a.recipient.token,
      params: { tipId: a.tipId, userId: other.id },
      body: { wrap: wire(await wrapTipKey(a.tip, user?.publicKey ?? "")) },
    })
    const outsider = await openPush(t, other.token)
    const holder = await openPush(t, a.recipient.token)
    // Leaving a tip is always allowed (revoking others follows the node's tip policy).
    await t.client.call(tips.revokeAccess, {
      session: other.token,
      params: { tipId: a.tipId, userId: other.id },
    })
    const gone = await outsider.next(isEvent("access.changed", a.tipId))
    expect(gone.event).toEqual({ type: "access.changed", tipId: a.tipId, removed: true })
    const kept = await holder.next(isEvent("access.changed", a.tipId))
    expect(kept.event?.tip).toMatchObject({ id: a.tipId })
    expect(kept.event?.removed).toBeUndefined()
    outsider.ws.close()
    holder.ws.close()
  })
})
