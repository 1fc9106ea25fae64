import { accounts } from "@sotto/protocol"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createUser, firstLogin, setupNode } from "./_actors.js"
import { startTestRelay, type TestRelay } from "./_harness.js"
import { enrolTotp } from "./_twoFactor.js"

// The admin's user list says whether each account has a second factor, never which secret.

describe("GET /users: second factor yes/no", () => {
  let t: TestRelay
  beforeAll(async () => {
    t = await startTestRelay()
  })
  afterAll(() => t.destroy())

  it("is true only for accounts with an active factor and carries no secret", async () => {
    const admin = await setupNode(t)
    const made = await createUser(t, admin, "tess")
    const tess = await firstLogin(t, "tess", made.oneTimePassword)
    const before = await t.client.call(accounts.listUsers, { session: admin.session })
    expect(before.users.map((u) => [u.username, u.twoFactor])).toEqual([
      [admin.username, false],
      ["tess", false],
    ])
    const { secret } = await enrolTotp(t, tess.session)
    const after = await t.client.call(accounts.listUsers, { session: admin.session })
    expect(after.users.find((u) => u.username === "tess")?.twoFactor).toBe(true)
    expect(JSON.stringify(after)).not.toContain(secret)
  })
})
