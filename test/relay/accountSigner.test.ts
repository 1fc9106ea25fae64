import {
  accountSigner,
  directoryExpiry,
  generateAgeIdentity,
  signDirectory,
} from "@sotto/crypto-core"
import { accounts, contexts } from "@sotto/protocol"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  createRecipient,
  firstLogin,
  type NodeAdmin,
  relayError,
  type StaffActor,
  setupNode,
} from "./_actors.js"
import type { TestRelay } from "./_harness.js"
import { startTestRelay } from "./_harness.js"
import { wire } from "./_seed.js"

// Protocol v2: each account publishes its signing key (the key its transcript entries are signed
// with) at first login; admins list it in directories, and the relay refuses a directory that
// names another key for a user.

let t: TestRelay
let admin: NodeAdmin
let alice: StaffActor

beforeAll(async () => {
  t = await startTestRelay()
  admin = await setupNode(t, { escrow: false })
  const account = await createRecipient(t, admin, "alice")
  alice = await firstLogin(t, account.username, account.oneTimePassword)
})
afterAll(async () => {
  await t.destroy()
})

function body(signer: string) {
  const directory = signDirectory(
    {
      v: 2,
      context: "ctx-signer",
      version: 1,
      issuedAt: new Date().toISOString(),
      expiresAt: directoryExpiry(new Date()),
      recipients: [{ id: alice.userId, name: "Alice", recipient: alice.recipient, signer }],
    },
    admin.signing,
  )
  return {
    id: "ctx-signer",
    name: "Signers",
    description: "",
    recipients: [alice.userId],
    questionnaire: [{ id: "what", type: "text" as const, label: "What?", required: true }],
    expiryDays: 30,
    maxFiles: 1,
    maxFileBytes: 1024,
    directory: wire(directory),
  }
}

describe("account signing keys", () => {
  it("are published at first login and shown to admins beside the public key", async () => {
    const { users } = await t.client.call(accounts.listUsers, { session: admin.session })
    const listed = users.find((u) => u.id === alice.userId)
    expect(listed?.signer).toBe(accountSigner(alice.identity))
    expect(users.find((u) => u.id === admin.userId)?.signer).toBe(accountSigner(admin.identity))
  })

  it("a directory naming another signing key for a user is refused with BAD_DIRECTORY", async () => {
    const other = accountSigner(await generateAgeIdentity())
    const error = await relayError(
      t.client.call(contexts.createContext, { session: admin.session, body: body(other) }),
    )
    expect(error.code).toBe("BAD_DIRECTORY")
    expect(error.field).toBe("body.directory.directory.recipients.0.signer")
  })

  it("a directory with the user's own signing key is stored and served as signed", async () => {
    const good = body(accountSigner(alice.identity))
    await t.client.call(contexts.createContext, { session: admin.session, body: good })
    const served = await t.client.call(contexts.getContextDirectory, {
      params: { contextId: "ctx-signer" },
    })
    expect(served.directory.recipients[0]?.signer).toBe(accountSigner(alice.identity))
  })
})
