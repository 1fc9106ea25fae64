import { files, RelayClientError } from "@sotto/protocol"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startTestRelay, type TestRelay } from "./_harness.js"
import { chunkHash, type SeededTip, sealMeta, seedTip } from "./_seedFiles.js"

const KiB = 1024

async function refusal(promise: Promise<unknown>): Promise<[number, string, string | undefined]> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(RelayClientError)
  const e = error as RelayClientError
  return [e.status, e.code, e.field]
}

describe("bad input to the file routes", () => {
  let t: TestRelay
  let s: SeededTip
  let meta: string
  let fileId: string
  // Everything the file routes may write: object records, chunks and audit entries.
  const snapshot = async () => ({
    objects: await t.relay.ctx.store.keys("objects"),
    chunks: await t.relay.ctx.store.keys("chunks"),
    audit: (await t.relay.ctx.audit.list()).length,
  })

  beforeAll(async () => {
    t = await startTestRelay()
    s = await seedTip(t)
    meta = await sealMeta(s.tip)
    fileId = (
      await t.client.call(files.createFile, {
        params: { tipId: s.tipId },
        body: { meta, size: 64 * KiB + 10, chunkSize: 64 * KiB },
        session: s.wb,
      })
    ).fileId
  })
  afterAll(async () => {
    await t.destroy()
  })

  const createRaw = (body: unknown, tipId = s.tipId) =>
    t.client.call(files.createFile, { params: { tipId }, body: body as never, session: s.wb })

  it("names the body field of a createFile with a wrong type, a missing or unknown field, or an oversized value", async () => {
    const before = await snapshot()
    const cases: Array<[unknown, string]> = [
      [{ meta, size: "10", chunkSize: 64 * KiB }, "body.size"],
      [{ meta, size: 10.5, chunkSize: 64 * KiB }, "body.size"],
      [{ meta: 42, size: 10, chunkSize: 64 * KiB }, "body.meta"],
      [{ size: 10, chunkSize: 64 * KiB }, "body.meta"],
      [{ meta, chunkSize: 64 * KiB }, "body.size"],
      [{ meta, size: 10 }, "body.chunkSize"],
      [{ meta, size: 10, chunkSize: 64 * KiB, name: "report.pdf" }, "body.name"],
      [{ meta: "not age", size: 10, chunkSize: 64 * KiB }, "body.meta"],
      [{ meta: meta + "A".repeat(16 * KiB), size: 10, chunkSize: 64 * KiB }, "body.meta"],
      [{ meta, size: 0, chunkSize: 64 * KiB }, "body.size"],
      [{ meta, size: 2 ** 40, chunkSize: 64 * KiB }, "body.size"],
      [{ meta, size: 10, chunkSize: 64 * KiB - 1 }, "body.chunkSize"],
      [{ meta, size: 10, chunkSize: KiB * KiB + 1 }, "body.chunkSize"],
    ]
    for (const [body, field] of cases) {
      expect(await refusal(createRaw(body)), field).toEqual([400, "VALIDATION", field])
    }
    expect(await refusal(createRaw({ meta, size: 10, chunkSize: 64 * KiB }, "nosuch"))).toEqual([
      404,
      "NOT_FOUND",
      undefined,
    ])
    expect(await refusal(createRaw({ meta, size: 10, chunkSize: 64 * KiB }, "bad.tip"))).toEqual([
      400,
      "VALIDATION",
      "params.tipId",
    ])
    expect(await snapshot()).toEqual(before)
  })

  it("refuses a createFile body past its 20 KiB limit with 413", async () => {
    const before = await snapshot()
    const huge = { meta: meta + "A".repeat(30 * KiB), size: 10, chunkSize: 64 * KiB }
    expect((await refusal(createRaw(huge))).slice(0, 2)).toEqual([413, "BODY_TOO_LARGE"])
    expect(await snapshot()).toEqual(before)
  })

  it("refuses a createFile body that is not JSON", async () => {
    const res = await fetch(t.client.url(files.createFile, { tipId: s.tipId }), {
      method: "POST",
      headers: { "X-Session": s.wb, "Content-Type": "application/json" },
      body: "{meta",
    })
    expect(res.status).toBe(400)
    expect((await res.json()).error.field).toBe("body")
  })

  const putRaw = (index: string, body: Uint8Array, headers: Record<string, string>) =>
    t.client.call(files.putFileChunk, {
      params: { fileId, index },
      body,
      session: s.wb,
      headers,
    })

  it("names the index, the hash header or the body of a bad chunk, storing nothing", async () => {
    const before = await snapshot()
    const chunk = new Uint8Array(64 * KiB)
    const hash = { "X-Chunk-Sha256": chunkHash(chunk) }
    const cases: Array<[() => Promise<unknown>, number, string, string]> = [
      [() => putRaw("one", chunk, hash), 400, "VALIDATION", "params.index"],
      [() => putRaw("-1", chunk, hash), 400, "VALIDATION", "params.index"],
      [() => putRaw("01", chunk, hash), 400, "VALIDATION", "params.index"],
      [() => putRaw("1000000", chunk, hash), 400, "VALIDATION", "params.index"],
      [() => putRaw("2", chunk, hash), 400, "VALIDATION", "params.index"],
      [() => putRaw("0", chunk, {}), 400, "VALIDATION", "headers.x-chunk-sha256"],
      [
        () => putRaw("0", chunk, { "X-Chunk-Sha256": "abc" }),
        400,
        "VALIDATION",
        "headers.x-chunk-sha256",
      ],
      [() => putRaw("0", new Uint8Array(0), hash), 400, "VALIDATION", "body"],
      [() => putRaw("0", chunk.subarray(1), hash), 400, "VALIDATION", "body"],
      [
        () => putRaw("0", new Uint8Array(64 * KiB).fill(1), hash),
        422,
        "HASH_MISMATCH",
        "headers.x-chunk-sha256",
      ],
    ]
    for (const [call, status, code, field] of cases) {
      expect(await refusal(call()), field).toEqual([status, code, field])
    }
    expect(await snapshot()).toEqual(before)
  })

  it("refuses a chunk body past 1 MiB with 413 before reading it all", async () => {
    const before = await snapshot()
    const big = new Uint8Array(KiB * KiB + 1)
    const refused = await refusal(putRaw("0", big, { "X-Chunk-Sha256": chunkHash(big) }))
    expect(refused).toEqual([413, "BODY_TOO_LARGE", "body"])
    expect(await snapshot()).toEqual(before)
  })

  it("names a malformed file id on every file route, and answers 404 for an unknown one", async () => {
    const session = s.wb
    for (const bad of ["short", "x".repeat(87), "bad.id.with.dots.in.it.xx"]) {
      const params = { fileId: bad }
      const calls = [
        () => t.client.call(files.getFileStatus, { params, session }),
        () => t.client.call(files.finalizeFile, { params, session }),
        () => t.client.raw(files.downloadFile, { params, session }),
      ]
      for (const call of calls) {
        expect(await refusal(call()), bad).toEqual([400, "VALIDATION", "params.fileId"])
      }
    }
    const unknown = { fileId: `${"A".repeat(22)}${s.tipId}` }
    expect(
      (await refusal(t.client.call(files.getFileStatus, { params: unknown, session })))[0],
    ).toBe(404)
    expect((await refusal(t.client.raw(files.downloadFile, { params: unknown, session })))[0]).toBe(
      404,
    )
  })

  it("answers every file route without a session with 401", async () => {
    const params = { fileId }
    const calls = [
      () =>
        t.client.call(files.createFile, {
          params: { tipId: s.tipId },
          body: { meta, size: 10, chunkSize: 64 * KiB },
        }),
      () =>
        t.client.call(files.putFileChunk, {
          params: { fileId, index: "0" },
          body: new Uint8Array(64 * KiB),
          headers: { "X-Chunk-Sha256": chunkHash(new Uint8Array(64 * KiB)) },
        }),
      () => t.client.call(files.getFileStatus, { params }),
      () => t.client.call(files.finalizeFile, { params }),
      () => t.client.raw(files.downloadFile, { params }),
    ]
    for (const call of calls)
      expect((await refusal(call())).slice(0, 2)).toEqual([401, "UNAUTHENTICATED"])
  })

  it("refuses staff logins that are not complete", async () => {
    const { token } = await t.relay.ctx.sessions.create({
      kind: "staff",
      userId: s.recipient.id,
      role: "recipient",
      stage: "second-factor",
    })
    const call = t.client.call(files.getFileStatus, { params: { fileId }, session: token })
    expect((await refusal(call))[1]).toBe("SECOND_FACTOR_REQUIRED")
  })
})
