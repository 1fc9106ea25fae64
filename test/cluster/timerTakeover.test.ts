import { randomBytes } from "node:crypto"
import { readdir, readFile, readlink } from "node:fs/promises"
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest"
import { timers } from "../../relay/src/services/timers.js"
import { startMailServer, type TestMailServer } from "../relay/_mailServer.js"
import { type Cluster, type Member, servicesReachable, startCluster } from "./_cluster.js"

// Issue 16, "a process killed mid-job leaves it to another": two relay processes share a node; the
// one that claims a due mail is kill -9'ed while the SMTP server holds its message unanswered. The
// claim is a PostgreSQL session lock, so it ends with the dead process's connection; the other
// process then sends the mail, and the recipient gets it exactly once.

const up = await servicesReachable()

describe.skipIf(!up)("a timer job whose process is killed half-way", () => {
  let cluster: Cluster
  let smtp: TestMailServer

  beforeAll(async () => {
    smtp = await startMailServer()
    cluster = await startCluster(2, { SMTP_URL: smtp.url })
    // Only the two child processes poll timers: the one holding the job is the one killed.
    await cluster.seed.relay.timers.stop()
  })
  afterAll(async () => {
    await cluster?.stop()
    await smtp?.close()
  })

  it("is taken over by another process and done exactly once", async () => {
    smtp.stallData = true
    const subject = `takeover ${randomBytes(4).toString("hex")}`
    const batch = cluster.seed.relay.ctx.store.batch()
    const key = timers.add(batch, Date.now() - 1000, {
      kind: "mail.send",
      mail: { to: "ops@example.org", subject, text: "once", template: "test" },
      attempt: 0,
    })
    await batch.write()

    // One process claims the timer and is now stuck in the SMTP DATA phase.
    await vi.waitFor(() => expect(smtp.stalled).toHaveLength(1), { timeout: 20_000, interval: 50 })
    const clientPort = smtp.stalled[0] as number
    const holder = await ownerOfPort(cluster.members, clientPort)
    const other = cluster.members.find((m) => m !== holder) as Member
    // The other process polls (every 5 s) while the job is held and leaves it alone.
    await new Promise((r) => setTimeout(r, 6_000))
    expect(smtp.stalled).toHaveLength(1)
    expect(await cluster.seed.relay.ctx.store.getBytes("timers", key)).toBeDefined()

    smtp.stallData = false
    const exited = new Promise((r) => holder.child.once("exit", r))
    holder.child.kill("SIGKILL")
    await exited
    expect(smtp.received.filter((m) => m.subject === subject)).toHaveLength(0)

    await vi.waitFor(
      () => expect(smtp.received.filter((m) => m.subject === subject)).toHaveLength(1),
      { timeout: 30_000, interval: 100 },
    )
    // Sent by the survivor: the holder is dead and the seed relay polls no timers.
    expect(other.child.exitCode).toBeNull()
    await vi.waitFor(
      async () =>
        expect(await cluster.seed.relay.ctx.store.getBytes("timers", key)).toBeUndefined(),
      { timeout: 5_000, interval: 50 },
    )
    // A poll period later the survivor has not sent it again.
    await new Promise((r) => setTimeout(r, 6_000))
    expect(smtp.received.filter((m) => m.subject === subject)).toHaveLength(1)
    expect(smtp.stalled).toHaveLength(1)
  })
})

/** The member whose process has a TCP socket bound to local port `port` (from /proc). */
async function ownerOfPort(members: readonly Member[], port: number): Promise<Member> {
  const hex = port.toString(16).toUpperCase().padStart(4, "0")
  const inodes = new Set<string>()
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    const text = await readFile(table, "utf8").catch(() => "")
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/)
      if (cols[1]?.endsWith(`:${hex}`) && cols[9]) inodes.add(cols[9])
    }
  }
  for (const m of members) {
    const pid = m.child.pid
    if (pid === undefined) continue
    const fds = await readdir(`/proc/${pid}/fd`)
    for (const fd of fds) {
      const link = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => "")
      const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1]
      if (inode && inodes.has(inode)) return m
    }
  }
  throw new Error(`no member owns local port ${port}`)
}
