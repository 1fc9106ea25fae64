import { startTestRelay } from "./_harness.js"
import { buildSubmission, seedTeamContext } from "./_seed.js"

// Run as a child process by the relay bench (`node --import tsx test/relay/_seededRelay.ts`): the
// real relay in this process on a temp data dir, seeded with the test suite's own helpers (a node,
// an admin, one recipient, a context), so the bench follows the protocol as the tests do. Prints
// one JSON line: the base URL and a submission template; runs until killed.

const MiB = 1024 * 1024

const t = await startTestRelay()
// The lowest PoW the node accepts, so the bench measures the relay and not the client's hashing.
const { node, staff, contextId } = await seedTeamContext(t, 1, 1, 1)
const store = t.relay.ctx.store
const key = `c/${contextId}`
const context = await store.get<Record<string, unknown>>("contexts", key)
// Room for the ingest rounds: 100 files of up to 64 MiB per tip.
await store.put("contexts", key, { ...context, maxFiles: 100, maxFileBytes: 64 * MiB })
const recipient = staff[0]
if (!recipient) throw new Error("no recipient seeded")
const { body, tip } = await buildSubmission(node, contextId, staff)
const { sealTipPart } = await import("@sotto/crypto-core")
const fileMeta = await sealTipPart(tip.recipient, "metadata", { name: "a.bin", type: "x/y" })
process.stdout.write(
  `${JSON.stringify({ seeded: { baseUrl: t.baseUrl, dataDir: t.dataDir, body, fileMeta } })}\n`,
)
const stop = async () => {
  await t.destroy()
  process.exit(0)
}
process.on("SIGTERM", () => void stop())
