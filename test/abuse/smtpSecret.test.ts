import { randomBytes } from "node:crypto"
import { readdir, readFile, stat } from "node:fs/promises"
import { join } from "node:path"
import { accounts } from "@sotto/protocol"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { smtpFromSettings } from "../../relay/src/services/mailerSource.js"
import type { NodeSettings } from "../../relay/src/services/records.js"
import { secretBox } from "../../relay/src/services/secretBox.js"
import { type NodeAdmin, setupNode } from "../relay/_actors.js"
import { startTestRelay, type TestRelay } from "../relay/_harness.js"

// Attack: copy the data dir (a backup, a seized disk) and read the SMTP password out of LevelDB.

/** Every file under `dir`, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...(await filesUnder(path)))
    else out.push(path)
  }
  return out
}

describe("the SMTP password at rest", () => {
  let t: TestRelay
  let admin: NodeAdmin
  const password = randomBytes(24).toString("base64url")

  beforeAll(async () => {
    t = await startTestRelay()
    admin = await setupNode(t)
  })
  afterAll(async () => {
    await t?.destroy()
  })

  it("is not in the LevelDB files, in any encoding; the relay still uses it after a restart", async () => {
    await t.client.call(accounts.updateSettings, {
      session: admin.session,
      body: {
        smtp: {
          host: "127.0.0.1",
          port: 2525,
          secure: false,
          user: "relay",
          password,
          from: "sotto@example.org",
        },
      },
    })
    t = await t.restart()
    // LevelDB compresses with Snappy, which may split a string with back-references: look for
    // every 12-character window of the password (and of its hex), not just the whole.
    const windows = (text: string) =>
      Array.from({ length: text.length - 11 }, (_, i) => text.slice(i, i + 12))
    const needles = [...windows(password), ...windows(Buffer.from(password).toString("hex"))]
    for (const file of await filesUnder(t.dataDir)) {
      const bytes = await readFile(file)
      const found = needles.filter((needle) => bytes.includes(needle))
      expect(found, `${file} holds part of the password`).toEqual([])
    }
    const node = await t.relay.ctx.store.get<NodeSettings>("settings", "node")
    const config = smtpFromSettings(node?.smtp ?? expect.unreachable(), secretBox(t.relay.ctx))
    expect(config.pass).toBe(password)
  })

  it("keeps the key outside the data dir, readable by the owner only", async () => {
    const keyFile = t.relay.ctx.config.secretsKeyFile
    expect(keyFile.startsWith(`${t.dataDir}/`)).toBe(false)
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600)
  })
})
