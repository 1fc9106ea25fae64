import { createHash, randomBytes } from "node:crypto"
import { decryptFile } from "@sotto/crypto-core"
import { files, type RelayClient } from "@sotto/protocol"
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest"
import { timers } from "../../relay/src/services/timers.js"
import { loginWithKey, relayError } from "../relay/_actors.js"
import { startMailServer, type TestMailServer } from "../relay/_mailServer.js"
import { seedTeamContext, submit } from "../relay/_seed.js"
import { chunkHash, chunksOf, encryptToTip, sealMeta, seedTip } from "../relay/_seedFiles.js"
import { openPush } from "../relay/_wsClient.js"
import { type Cluster, servicesReachable, startCluster } from "./_cluster.js"

// Issue 16's acceptance on real parts: three relay processes (plus the test's in-process relay)
// on one PostgreSQL schema and one NATS subject, each on its own loopback port.

const MiB = 1024 * 1024
const up = await servicesReachable()

describe.skipIf(!up)("three relay processes on PostgreSQL and NATS", () => {
  let cluster: Cluster
  let smtp: TestMailServer

  beforeAll(async () => {
    smtp = await startMailServer()
    cluster = await startCluster(3, { SMTP_URL: smtp.url })
  })
  afterAll(async () => {
    await cluster?.stop()
    await smtp?.close()
  })

  const member = (i: number) => {
    const m = cluster.members[i]
    if (!m) throw new Error(`no member ${i}`)
    return m
  }

  it("pushes a tip submitted through one process to a recipient connected to another, at once", async () => {
    const [a, b] = [member(0).view, member(1).view]
    const { node, contextId, staff } = await seedTeamContext(a, 1, 1)
    const [alice] = staff
    const push = await openPush(b, alice.token)
    const { tipId } = await submit(a, node, contextId, [alice])
    const event = await push.next((m) => m.type === "event" && m.event?.tipId === tipId, 3000)
    expect(event.event?.type).toBe("tip.created")
    push.ws.close()
  })

  it("holds a brute-force lock taken through one process on the others", async () => {
    const [a, b, c] = [member(0).view, member(1).view, member(2).view]
    const { staff } = await seedTeamContext(a, 1, 1)
    const username = (
      await a.relay.ctx.store.get<{ username: string }>("users", `u/${staff[0].id}`)
    )?.username as string
    const wrong = () => randomBytes(32)
    // 24 guesses at once, 8 through each process: the account's lock is node-wide, so exactly ten
    // are tried (the tenth locks it) and the other fourteen are refused unseen. With a lock per
    // process, their read-modify-writes of the count interleave and more guesses get tried.
    const codes = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        relayError(loginWithKey([a, b, c][i % 3] as typeof a, username, wrong())).then(
          (e) => e.code,
        ),
      ),
    )
    expect(codes.filter((code) => code === "WRONG_CREDENTIALS")).toHaveLength(10)
    expect(codes.filter((code) => code === "LOCKED")).toHaveLength(14)
    for (const via of [a, b, c]) {
      const e = await relayError(loginWithKey(via, username, wrong()))
      expect([e.status, e.code]).toEqual([423, "LOCKED"])
    }
  })

  it("fires each due timer exactly once across four processes", async () => {
    const batch = cluster.seed.relay.ctx.store.batch()
    const now = Date.now()
    const subjects = Array.from(
      { length: 6 },
      (_, i) => `cluster timer ${i} ${randomBytes(3).toString("hex")}`,
    )
    for (const subject of subjects) {
      timers.add(batch, now - 1000, {
        kind: "mail.send",
        mail: { to: "ops@example.org", subject, text: "once", template: "test" },
        attempt: 0,
      })
    }
    await batch.write()
    const mine = () => smtp.received.filter((m) => subjects.includes(m.subject))
    await vi.waitFor(() => expect(mine()).toHaveLength(subjects.length), {
      timeout: 20_000,
      interval: 100,
    })
    // Two more poll periods: no process runs any of them again.
    await new Promise((r) => setTimeout(r, 11_000))
    expect(
      mine()
        .map((m) => m.subject)
        .sort(),
    ).toEqual([...subjects].sort())
  })

  it("continues a 20 MiB upload through a third process after the first is kill -9'ed", async () => {
    const [a, b, c] = [member(0), member(1), member(2)]
    const s = await seedTip(a.view, { maxFiles: 5, maxFileBytes: 32 * MiB })
    const plain = new Uint8Array(randomBytes(20 * MiB))
    const age = await encryptToTip(s.tip, plain)
    const chunks = chunksOf(age, MiB)
    const { fileId } = await a.view.client.call(files.createFile, {
      params: { tipId: s.tipId },
      body: { meta: await sealMeta(s.tip), size: age.byteLength, chunkSize: MiB },
      session: s.wb,
    })
    const put = (client: RelayClient, i: number) =>
      client.call(files.putFileChunk, {
        params: { fileId, index: String(i) },
        body: chunks[i] as Uint8Array,
        session: s.wb,
        headers: { "X-Chunk-Sha256": chunkHash(chunks[i] as Uint8Array) },
      })
    const half = Math.floor(chunks.length / 2)
    for (let i = 0; i < half; i++) await put(a.view.client, i)
    a.child.kill("SIGKILL")
    await new Promise((resolve) => a.child.once("exit", resolve))
    const status = await c.view.client.call(files.getFileStatus, {
      params: { fileId },
      session: s.wb,
    })
    expect(status.received).toEqual(Array.from({ length: half }, (_, i) => i))
    for (let i = half; i < chunks.length; i++) await put(c.view.client, i)
    expect(
      await c.view.client.call(files.finalizeFile, { params: { fileId }, session: s.wb }),
    ).toEqual({ complete: true })
    const res = await b.view.client.raw(files.downloadFile, {
      params: { fileId },
      session: s.recipient.token,
    })
    const got = new Uint8Array(await res.arrayBuffer())
    expect(digest(got)).toBe(digest(age))
    const stream = new Response(got).body as ReadableStream<Uint8Array>
    const opened = await new Response(decryptFile(stream, s.tip.identity)).arrayBuffer()
    expect(digest(new Uint8Array(opened))).toBe(digest(plain))
  })

  it("refuses a second node's process on a port that one node's processes share", async () => {
    const { freePort, spawnRelay } = await import("./_cluster.js")
    const port = String(await freePort())
    const shared = { PORT: port, REUSE_PORT: "1" }
    const first = await cluster.spawnMember(shared)
    const second = await cluster.spawnMember(shared)
    expect([first.port, second.port]).toEqual([Number(port), Number(port)])
    const other = spawnRelay(cluster.seed, {
      ...cluster.env,
      ...shared,
      STORE_SCHEMA: `${cluster.schema}_other`,
    })
    await expect(other).rejects.toThrow(/another node/)
    // Without REUSE_PORT the port stays exclusive, as a single relay has it.
    await expect(spawnRelay(cluster.seed, { ...cluster.env, PORT: port })).rejects.toThrow(/in use/)
  })
})

function digest(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex")
}
