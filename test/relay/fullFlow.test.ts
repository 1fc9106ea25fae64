import {
  authVerifier,
  createTipIdentity,
  type DerivedKeys,
  decryptFile,
  deriveReceiptKeys,
  directoryExpiry,
  drawReceipt,
  fromBase64url,
  openSigningKey,
  openTipPart,
  sealTipPart,
  signDirectory,
  type TipIdentity,
  toBase64url,
  unwrapTipKey,
  unwrapTipKeyFrom,
  verifyDirectory,
  wrapTipKey,
} from "@sotto/crypto-core"
import { accounts, contexts, files, system, tips, wb } from "@sotto/protocol"
import { ManualClock } from "@sotto/relay"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { prefixRange } from "../../relay/src/store/store.js"
import {
  createRecipient,
  findSecrets,
  firstLogin,
  login,
  type NewAccount,
  type NodeAdmin,
  relayError,
  type StaffActor,
  setupNode,
  usedSecrets,
  wireWrap,
} from "./_actors.js"
import {
  armorNeedle,
  captureStdout,
  encryptTo,
  markedFile,
  type Needle,
  pow,
  QUESTIONNAIRE,
  randomRunNeedle,
  scanDir,
  scanText,
  sha256,
  storySecrets,
  textNeedle,
  unique,
} from "./_flow.js"
import { startTestRelay, type TestRelay } from "./_harness.js"
import { wbLoginBody, wire } from "./_seed.js"
import { chunkHash, chunksOf } from "./_seedFiles.js"

// The acceptance test of Relay v1: one whistleblowing case from setup to expiry, played through
// the public HTTP API with real crypto on every side, then a raw scan of the data dir and the log
// output for anything secret. Each step builds on the one before.

const MiB = 1024 * 1024
const DAY = 86_400_000

describe("Relay v1: a tip from setup to expiry, with nothing secret on disk or in the logs", () => {
  const clock = new ManualClock(Date.UTC(2026, 2, 1))
  let logs: ReturnType<typeof captureStdout>
  let t: TestRelay

  // What the people in the story know, step by step.
  const nodeName = unique("Flow node")
  let admin: NodeAdmin
  let aliceAccount: NewAccount
  let bobAccount: NewAccount
  let alice: StaffActor
  let bob: StaffActor
  let contextId: string
  const answers = {
    what: unique("ANSWER the books of the Lisbon branch are cooked"),
    where: "Branch",
    when: "2026-02-14",
    departments: ["Finance", "Audit"],
    witnessed: true,
  }
  const aliceComment = unique("COMMENT-ALICE could you send the ledger")
  const wbComment = unique("COMMENT-WB the ledger is attached now")
  const fileName = `${unique("FILENAME-ledger-2025")}.pdf`
  const fileMarker = unique("FILE-MARKER inside the ledger")
  let receipt: string
  let wbKeys: DerivedKeys
  let tipKey: TipIdentity
  let tipId: string
  let wbSession: string
  let expiresAt: number
  let plain: Uint8Array
  let age: Uint8Array
  let fileId: string
  let aliceTipKey: TipIdentity
  /** Runs of the tip's ciphertext as stored: on disk while the tip lives, gone once it is wiped. */
  const ciphertext: Needle[] = []

  beforeAll(async () => {
    logs = captureStdout()
    t = await startTestRelay({ clock, env: { LOG_LEVEL: "debug" } })
  })
  afterAll(async () => {
    logs.restore()
    await t.destroy()
  })

  it("1. sets up the node with escrow; alice and bob get accounts and make their identities", async () => {
    admin = await setupNode(t, { escrow: true, nodeName })
    expect(await t.client.call(system.getHealth)).toMatchObject({ ok: true, setUp: true })
    const node = await t.client.call(accounts.getNode)
    expect(node.escrow).toEqual({ enabled: true, recipient: admin.escrow?.recipient })

    aliceAccount = await createRecipient(t, admin, "alice")
    bobAccount = await createRecipient(t, admin, "bob")
    alice = await firstLogin(t, "alice", aliceAccount.oneTimePassword)
    bob = await firstLogin(t, "bob", bobAccount.oneTimePassword)

    // The new password opens the identity the browser made; the one-time password is spent.
    const again = await login(t, "alice", alice.password)
    expect([again.stage, again.identity]).toEqual(["full", alice.identity])
    const spent = await relayError(login(t, "bob", bobAccount.oneTimePassword))
    expect([spent.status, spent.code]).toEqual([401, "WRONG_CREDENTIALS"])
  })

  it("2. the admin creates a context whose directory, signed in the admin's browser, lists alice", async () => {
    const me = await t.client.call(accounts.getMe, { session: admin.session })
    if (!me.signingKeyWrap) throw new Error("the first admin holds the signing key wrap")
    const signing = await openSigningKey(me.signingKeyWrap, admin.identity)
    const { users } = await t.client.call(accounts.listUsers, { session: admin.session })
    const aliceView = users.find((u) => u.username === "alice")
    expect(aliceView?.publicKey).toBe(alice.recipient)

    contextId = `ctx-${unique("fraud").slice(-12)}`
    const directory = signDirectory(
      {
        v: 2,
        context: contextId,
        version: 1,
        issuedAt: new Date(clock.now()).toISOString(),
        expiresAt: directoryExpiry(new Date(clock.now())),
        recipients: [{ id: alice.userId, name: "Alice", recipient: aliceView?.publicKey ?? "" }],
      },
      signing,
    )
    const created = await t.client.raw(contexts.createContext, {
      session: admin.session,
      body: {
        id: contextId,
        name: "Financial misconduct",
        description: "Fraud, bribery and cooked books",
        recipients: [alice.userId],
        questionnaire: QUESTIONNAIRE,
        expiryDays: 30,
        maxFiles: 3,
        maxFileBytes: 8 * MiB,
        directory: wire(directory),
      },
    })
    expect(created.status).toBe(201)
  })

  it("3. a whistleblower checks the signed directory against the pinned node key and submits a tip", async () => {
    const node = await t.client.call(accounts.getNode)
    const { contexts: list } = await t.client.call(contexts.listContexts)
    expect(list.map((c) => c.id)).toEqual([contextId])
    const form = await t.client.call(contexts.getContext, { params: { contextId } })
    expect(form.questionnaire).toEqual(QUESTIONNAIRE)
    const signed = await t.client.call(contexts.getContextDirectory, { params: { contextId } })
    // First use: the signer becomes the pin, and it is the node's published signing key.
    const { directory, pin } = verifyDirectory(signed, undefined, { now: clock.now() })
    expect(pin).toBe(node.signingPublicKey)
    expect(directory.context).toBe(contextId)
    expect(directory.recipients.map((r) => r.id)).toEqual([alice.userId])

    receipt = drawReceipt(node.receipt.pattern)
    const salt = fromBase64url("salt", node.receipt.salt)
    wbKeys = await deriveReceiptKeys(receipt, salt, node.receipt.params, node.receipt.pattern)
    tipKey = await createTipIdentity()
    const wraps = await Promise.all(
      directory.recipients.map(async (r) => ({
        holder: r.id,
        wrap: wireWrap(await wrapTipKey(tipKey, r.recipient)),
      })),
    )
    const unpaid = {
      contextId,
      answers: await sealTipPart(tipKey.recipient, "answers", answers),
      wbAuthVerifier: toBase64url(authVerifier(wbKeys.authKey)),
      wraps,
      wbWrap: wireWrap(await wrapTipKey(tipKey, wbKeys.recipient)),
    }
    const res = await t.client.raw(wb.submitTip, {
      body: { pow: await pow(t, "submitTip", unpaid), ...unpaid },
    })
    expect(res.status).toBe(201)
    const body = (await res.json()) as { tipId: string; session: string; expiresAt: number }
    ;({ tipId, session: wbSession, expiresAt } = body)
    expect(expiresAt).toBe(clock.now() + 30 * DAY)
  })

  it("4. the whistleblower uploads a 5 MiB file, encrypted to the tip, in 1 MiB chunks", async () => {
    plain = markedFile(5 * MiB, fileMarker, 3 * MiB - 20)
    age = await encryptTo(tipKey.recipient, plain)
    const meta = await sealTipPart(tipKey.recipient, "metadata", {
      name: fileName,
      type: "application/pdf",
      size: plain.byteLength,
    })
    const created = await t.client.call(files.createFile, {
      session: wbSession,
      params: { tipId },
      body: { meta, size: age.byteLength, chunkSize: MiB },
    })
    fileId = created.fileId
    const chunks = chunksOf(age, MiB)
    expect(created.chunkCount).toBe(6)
    for (const [index, chunk] of chunks.entries()) {
      const ack = await t.client.call(files.putFileChunk, {
        session: wbSession,
        params: { fileId, index: String(index) },
        body: chunk,
        headers: { [files.CHUNK_HASH_HEADER]: chunkHash(chunk) },
      })
      expect(ack).toEqual({ index, received: index + 1 })
    }
    const status = await t.client.call(files.getFileStatus, {
      session: wbSession,
      params: { fileId },
    })
    expect(status).toMatchObject({ received: [0, 1, 2, 3, 4, 5], complete: false })
    expect(
      await t.client.call(files.finalizeFile, { session: wbSession, params: { fileId } }),
    ).toEqual({ complete: true })
  })

  it("5. the whistleblower logs in again with the receipt typed with dashes and sees the tip", async () => {
    const node = await t.client.call(accounts.getNode)
    const typed = receipt.replaceAll(" ", "-")
    expect(typed).not.toBe(receipt)
    const keys = await deriveReceiptKeys(
      typed,
      fromBase64url("salt", node.receipt.salt),
      node.receipt.params,
      node.receipt.pattern,
    )
    const session = await t.client.call(wb.wbLogin, {
      body: await wbLoginBody(t, toBase64url(keys.authKey)),
    })
    expect(session.tipId).toBe(tipId)
    wbSession = session.session
    const mine = await t.client.call(wb.getWbTip, { session: wbSession })
    expect(mine.tip).toMatchObject({ id: tipId, contextId, expiresAt })
    const key = await unwrapTipKey(mine.wbWrap, keys.identity)
    expect(key.recipient).toBe(tipKey.recipient)
    expect(await openTipPart(mine.answers, key, "answers")).toEqual(answers)
    expect(mine.files).toHaveLength(1)
    expect(mine.files[0]).toMatchObject({ id: fileId, size: age.byteLength, complete: true })
    expect(await openTipPart(mine.files[0]?.meta ?? "", key, "metadata")).toMatchObject({
      name: fileName,
    })
  })

  it("6. alice lists and opens the tip, and she and the whistleblower exchange comments", async () => {
    const { tips: list } = await t.client.call(tips.listTips, { session: alice.session })
    expect(list).toEqual([
      expect.objectContaining({ id: tipId, contextId, status: "new", comments: 0, files: 1 }),
    ])
    const read = await t.client.call(tips.getTip, { session: alice.session, params: { tipId } })
    aliceTipKey = await unwrapTipKeyFrom([read.wrap], alice.identity)
    ciphertext.push(
      armorNeedle("sealed answers", read.answers),
      armorNeedle("alice's wrap", read.wrap.age),
      { label: "64 bytes of the age file", bytes: age.subarray(2 * MiB, 2 * MiB + 64) },
    )
    expect(await openTipPart(read.answers, aliceTipKey, "answers")).toEqual(answers)
    expect(read.holders.map((h) => h.userId)).toEqual([alice.userId])

    const fromAlice = await t.client.call(tips.addTipComment, {
      session: alice.session,
      params: { tipId },
      body: { age: await sealTipPart(aliceTipKey.recipient, "comment", { text: aliceComment }) },
    })
    expect(fromAlice.author).toBe(alice.userId)

    const seenByWb = await t.client.call(wb.getWbTip, { session: wbSession })
    expect(seenByWb.comments.map((c) => c.author)).toEqual(["recipient"])
    const wbKey = await unwrapTipKey(seenByWb.wbWrap, wbKeys.identity)
    expect(await openTipPart(seenByWb.comments[0]?.age ?? "", wbKey, "comment")).toEqual({
      text: aliceComment,
    })
    const fromWb = await t.client.call(wb.addWbComment, {
      session: wbSession,
      body: { age: await sealTipPart(wbKey.recipient, "comment", { text: wbComment }) },
    })
    expect(fromWb.author).toBe("wb")

    const again = await t.client.call(tips.getTip, { session: alice.session, params: { tipId } })
    expect(again.comments.map((c) => c.author)).toEqual([alice.userId, "wb"])
    expect(await openTipPart(again.comments[1]?.age ?? "", aliceTipKey, "comment")).toEqual({
      text: wbComment,
    })
  })

  it("7. alice downloads the file and decrypts it to the very bytes the whistleblower had", async () => {
    const res = await t.client.raw(files.downloadFile, {
      session: alice.session,
      params: { fileId },
    })
    expect(res.status).toBe(200)
    expect(res.headers.get(files.CONTENT_LENGTH_HEADER)).toBe(String(age.byteLength))
    const body = res.body as ReadableStream<Uint8Array>
    const opened = new Uint8Array(
      await new Response(decryptFile(body, aliceTipKey.identity)).arrayBuffer(),
    )
    expect(opened.byteLength).toBe(plain.byteLength)
    expect(sha256(opened)).toBe(sha256(plain))
  })

  it("8. alice grants bob access, bob decrypts the answers; alice revokes him and he sees nothing", async () => {
    // A recipient has no route to look up a colleague's key; here the admin's user list stands in.
    const { users } = await t.client.call(accounts.listUsers, { session: admin.session })
    const bobView = users.find((u) => u.username === "bob")
    expect(bobView?.publicKey).toBe(bob.recipient)
    const granted = await t.client.call(tips.grantAccess, {
      session: alice.session,
      params: { tipId, userId: bob.userId },
      body: { wrap: wireWrap(await wrapTipKey(aliceTipKey, bobView?.publicKey ?? "")) },
    })
    expect(granted.userId).toBe(bob.userId)

    const { tips: bobsList } = await t.client.call(tips.listTips, { session: bob.session })
    expect(bobsList.map((x) => x.id)).toEqual([tipId])
    const read = await t.client.call(tips.getTip, { session: bob.session, params: { tipId } })
    const bobTipKey = await unwrapTipKey(read.wrap, bob.identity)
    expect(await openTipPart(read.answers, bobTipKey, "answers")).toEqual(answers)

    // Revoking a co-holder takes an admin, or a node whose admin lets holders do it.
    await t.client.call(accounts.updateSettings, {
      session: admin.session,
      body: { tipPolicy: "holders" },
    })
    await t.client.call(tips.revokeAccess, {
      session: alice.session,
      params: { tipId, userId: bob.userId },
    })
    const e = await relayError(
      t.client.call(tips.getTip, { session: bob.session, params: { tipId } }),
    )
    expect([e.status, e.code]).toEqual([404, "NOT_FOUND"])
    expect((await t.client.call(tips.listTips, { session: bob.session })).tips).toEqual([])
    expect(await t.relay.ctx.store.get("wraps", `${tipId}/${bob.userId}`)).toBeUndefined()
  })

  it("8b. while the tip lives, neither the data dir nor the decoded store holds a secret", async () => {
    expect(
      await findSecrets(
        t,
        secretTexts().map(([, s]) => s),
      ),
    ).toEqual([])
    const scan = await scanDir(t.dataDir, secretNeedles())
    expect(scan.found).toEqual([])
    expect(scan.bytes).toBeGreaterThan(age.byteLength)
  })

  it("9. once the tip expires the timer wipes it: record, wraps, objects, chunks and receipt", async () => {
    const store = t.relay.ctx.store
    const tipRecord = await store.get<{ wbAuthVerifier: string }>("tips", `t/${tipId}`)
    expect((await store.backend.readBlob(fileId, 0, 6 * MiB))?.byteLength).toBeGreaterThan(5 * MiB)
    clock.advance(expiresAt - clock.now() + 60_000)
    await t.relay.timers.runDue()

    expect(await store.get("tips", `t/${tipId}`)).toBeUndefined()
    expect(await store.get("tips", `r/${tipRecord?.wbAuthVerifier}`)).toBeUndefined()
    expect(await store.keys("wraps", prefixRange(`${tipId}/`))).toEqual([])
    expect(await store.keys("objects", prefixRange(`${tipId}/`))).toEqual([])
    expect(await store.get("chunks", fileId)).toBeUndefined()
    expect(await store.backend.readBlob(fileId, 0, 1)).toBeUndefined()
    const timers = await store.list<{ tipId?: string }>("timers")
    expect(timers.filter(([, task]) => task.tipId === tipId)).toEqual([])

    // A month went by: every session idled out, so alice logs in again.
    const aliceNow = await login(t, "alice", alice.password)
    const gone = await relayError(
      t.client.call(tips.getTip, { session: aliceNow.session, params: { tipId } }),
    )
    expect([gone.status, gone.code]).toEqual([404, "NOT_FOUND"])
    expect((await t.client.call(tips.listTips, { session: aliceNow.session })).tips).toEqual([])

    const refused = await relayError(
      t.client.call(wb.wbLogin, {
        body: await wbLoginBody(t, toBase64url(wbKeys.authKey)),
      }),
    )
    expect([refused.status, refused.code]).toEqual([401, "WRONG_CREDENTIALS"])
    const stale = await relayError(t.client.call(wb.getWbTip, { session: wbSession }))
    expect(stale.status).toBe(401)

    const adminNow = await login(t, "admin", admin.password)
    const { entries } = await t.client.call(accounts.listAudit, { session: adminNow.session })
    expect(entries).toContainEqual(
      expect.objectContaining({ actor: "system", action: "tip.wiped", target: tipId }),
    )
  })

  it("10. after a stop, no file of the data dir and no log line holds a secret or the tip's ciphertext", async () => {
    expect(
      await findSecrets(
        t,
        secretTexts().map(([, s]) => s),
      ),
    ).toEqual([])
    await t.stop()
    // Public values the relay must store, by their random parts.
    const publics = [
      randomRunNeedle("node name", nodeName.slice(-16)),
      randomRunNeedle("alice's user id", alice.userId),
      randomRunNeedle("alice's public key", alice.recipient.slice(10)),
    ]
    const scan = await scanDir(t.dataDir, [...secretNeedles(), ...publics])
    expect(scan.files).toBeGreaterThan(0)
    expect(scan.bytes).toBeGreaterThan(0)
    // The scan sees what is there: every public value is found, and no secret is.
    const labels = new Set(scan.found.map((f) => f.slice(0, f.indexOf(" in "))))
    expect(publics.filter((p) => !labels.has(p.label))).toEqual([])
    const isPublic = (f: string) => publics.some((p) => f.startsWith(`${p.label} in `))
    expect(scan.found.filter((f) => !isPublic(f))).toEqual([])
    // Crypto-shredding is complete: the wipe's compaction took the tip's ciphertext off the disk.
    expect((await scanDir(t.dataDir, ciphertext)).found).toEqual([])

    const logText = logs.lines.join("")
    console.info(
      `scanned ${scan.files} files (${scan.bytes} bytes) and ${logs.lines.length} log lines`,
    )
    expect(logText).toContain('"event":"node_set_up"')
    expect(logText).toContain('"event":"wipe_sweep"')
    expect(scanText(logText, secretNeedles())).toEqual([])
  })

  /** Every secret of the story as text, labelled: what the relay must never store or log. */
  function secretTexts(): Array<[string, string]> {
    return storySecrets({
      staff: [admin, alice, bob],
      oneTimePasswords: [aliceAccount.oneTimePassword, bobAccount.oneTimePassword],
      ...(admin.escrow ? { escrow: admin.escrow.identity } : {}),
      signing: admin.signing,
      receipt,
      receiptKeys: wbKeys,
      tipIdentity: tipKey.identity,
      plaintexts: {
        answer: answers.what,
        "alice's comment": aliceComment,
        "whistleblower's comment": wbComment,
        "file name": fileName,
        "file marker": fileMarker,
      },
      more: usedSecrets,
    })
  }

  /** {@link secretTexts} as raw-byte needles, plus 64 bytes of the file's plaintext. */
  function secretNeedles(): Needle[] {
    return [
      ...secretTexts().map(([label, s]) => textNeedle(label, s)),
      { label: "64 bytes of the file", bytes: plain.subarray(MiB + 5, MiB + 69) },
    ]
  }
})
