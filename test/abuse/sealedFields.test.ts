import { sealTipPart } from "@sotto/crypto-core"
import { files, tips, wb } from "@sotto/protocol"
import { armor } from "age-encryption"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startTestRelay, type TestRelay } from "../relay/_harness.js"
import {
  buildSubmission,
  refused,
  type SeededNode,
  type Staff,
  type SubmittedTip,
  seedTeamContext,
  solve,
  storeSnapshot,
  submit,
} from "../relay/_seed.js"

// Issue 11: "sealed fields only have to start with the age armour line". Junk behind a valid
// armour line, or an armour around something that is not an age file, is refused with 400 naming
// the field, and nothing is stored.

const BEGIN = "-----BEGIN AGE ENCRYPTED FILE-----"
const END = "-----END AGE ENCRYPTED FILE-----"

describe("sealed fields must be well-formed age files", () => {
  let t: TestRelay
  let node: SeededNode
  let alice: Staff
  let contextId: string
  let sent: SubmittedTip
  let junk: Record<string, string>

  beforeAll(async () => {
    t = await startTestRelay()
    ;({
      node,
      contextId,
      staff: [alice],
    } = await seedTeamContext(t, 1, 1))
    sent = await submit(t, node, contextId, [alice])
    const real = await sealTipPart(sent.tip.recipient, "comment", { text: "hi" })
    const bytes = armor.decode(real)
    const macAt = new TextDecoder().decode(bytes).indexOf("\n--- ")
    const headerEnd = bytes.indexOf(0x0a, macAt + 1) + 1
    const notAge = new TextEncoder().encode("this is not an age file, only base64 in an armour")
    junk = {
      "junk after the armour line": `${BEGIN}\n${"B".repeat(2000)}`,
      "an armour around junk": armor.encode(notAge),
      "a header without its payload": armor.encode(bytes.subarray(0, headerEnd)),
      "a real file with text after it": `${real}${END}\nmore`,
      "a second version line": real.replace(BEGIN, `${BEGIN}\n${BEGIN}`),
    }
  })
  afterAll(async () => {
    await t?.destroy()
  })

  it("refuses such answers, comments and file metadata with 400 naming the field", async () => {
    const before = await storeSnapshot(t)
    for (const [name, age] of Object.entries(junk)) {
      const built = await buildSubmission(node, contextId, [alice])
      const body = { ...built.body, answers: age }
      const submitted = await refused(
        t.client.call(wb.submitTip, { body: { pow: await solve(t, "submitTip", body), ...body } }),
      )
      expect([name, submitted.status, submitted.code, submitted.field]).toEqual([
        name,
        400,
        "VALIDATION",
        "body.answers",
      ])
      expect(submitted.message).toMatch(/not a well-formed age file/)
      const comment = await refused(
        t.client.call(wb.addWbComment, { session: sent.session, body: { age } }),
      )
      expect([name, comment.status, comment.field]).toEqual([name, 400, "body.age"])
      const staff = await refused(
        t.client.call(tips.addTipComment, {
          session: alice.token,
          params: { tipId: sent.tipId },
          body: { age },
        }),
      )
      expect([name, staff.status, staff.field]).toEqual([name, 400, "body.age"])
      const meta = await refused(
        t.client.call(files.createFile, {
          session: sent.session,
          params: { tipId: sent.tipId },
          body: { meta: age, size: 100, chunkSize: 64 * 1024 },
        }),
      )
      expect([name, meta.status, meta.field]).toEqual([name, 400, "body.meta"])
    }
    expect(await storeSnapshot(t)).toEqual(before)
  })

  it("still takes a real sealed comment", async () => {
    const age = await sealTipPart(sent.tip.recipient, "comment", { text: "still here" })
    await t.client.call(wb.addWbComment, { session: sent.session, body: { age } })
  })
})
