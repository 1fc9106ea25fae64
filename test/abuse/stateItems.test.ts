import { randomBytes } from "node:crypto"
import { accounts, files } from "@sotto/protocol"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createUser, type NodeAdmin, relayError, setupNode } from "../relay/_actors.js"
import { startTestRelay, type TestRelay } from "../relay/_harness.js"
import { chunkHash, encryptToTip, type SeededTip, sealMeta, seedTip } from "../relay/_seedFiles.js"

// Smaller state items of issue 11: an upload finished by another holder, display names that
// forge text in lists, audit lines and mails.

describe("an upload finished or fed by someone else", () => {
  let t: TestRelay
  let s: SeededTip

  beforeAll(async () => {
    t = await startTestRelay()
    s = await seedTip(t)
  })
  afterAll(async () => {
    await t?.destroy()
  })

  it("refuses chunks and the finish from another holder of the tip; the starter finishes", async () => {
    const age = await encryptToTip(s.tip, new Uint8Array(randomBytes(1000)))
    const { fileId } = await t.client.call(files.createFile, {
      params: { tipId: s.tipId },
      body: { meta: await sealMeta(s.tip), size: age.byteLength, chunkSize: 64 * 1024 },
      session: s.wb,
    })
    const put = (session: string) =>
      t.client.call(files.putFileChunk, {
        params: { fileId, index: "0" },
        body: age,
        session,
        headers: { "X-Chunk-Sha256": chunkHash(age) },
      })
    const finish = (session: string) =>
      t.client.call(files.finalizeFile, { params: { fileId }, session })
    const other = s.recipient.token
    const feed = await relayError(put(other))
    expect([feed.status, feed.code]).toEqual([403, "FORBIDDEN"])
    await put(s.wb)
    const e = await relayError(finish(other))
    expect([e.status, e.code]).toEqual([403, "FORBIDDEN"])
    expect(await finish(s.wb)).toEqual({ complete: true })
  })
})

describe("display names", () => {
  let t: TestRelay
  let admin: NodeAdmin

  beforeAll(async () => {
    t = await startTestRelay()
    admin = await setupNode(t)
  })
  afterAll(async () => {
    await t?.destroy()
  })

  const bad = [
    ["NUL", "Eve\u0000Admin"],
    ["CR/LF", "Eve\r\nSubject: reset"],
    ["bidi override", "Eve \u202Enimda"],
    ["bidi isolate", "Eve \u2066x\u2069"],
    ["C1 control", "Eve\u0085"],
  ] as const

  it.each(bad)(
    "refuses a name with %s at creation and rename, naming the field",
    async (_, name) => {
      const created = await relayError(
        createUser(t, admin, `u${randomBytes(3).toString("hex")}`, { name }),
      )
      expect([created.status, created.code, created.field]).toEqual([
        400,
        "VALIDATION",
        "body.name",
      ])
      const renamed = await relayError(
        t.client.call(accounts.updateUser, {
          session: admin.session,
          params: { userId: admin.userId },
          body: { name },
        }),
      )
      expect([renamed.status, renamed.code, renamed.field]).toEqual([
        400,
        "VALIDATION",
        "body.name",
      ])
    },
  )

  it("still takes names in any script, with accents and spaces", async () => {
    const ok = await createUser(t, admin, "nadia", { name: "Nadia Al-Fārūq نادية 李" })
    expect(ok.userId).toBeTruthy()
  })
})
