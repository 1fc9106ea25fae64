import { accounts, type BodyOf } from "@sotto/protocol"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type NodeAdmin, relayError, setupNode } from "./_actors.js"
import { startTestRelay, type TestRelay } from "./_harness.js"

type SettingsPatch = BodyOf<typeof accounts.updateSettings>

// The languages a node offers whistleblowers (issue 13): every catalogue and English by default,
// chosen by an admin in the settings, public through GET /node; a malformed choice is refused
// with the field named and nothing stored changes.

describe("node settings: languages offered to whistleblowers", () => {
  let t: TestRelay
  let admin: NodeAdmin

  beforeAll(async () => {
    t = await startTestRelay()
    admin = await setupNode(t, { nodeName: "Language node" })
  })
  afterAll(async () => {
    await t.destroy()
  })

  const update = (body: SettingsPatch) =>
    t.client.call(accounts.updateSettings, { session: admin.session, body })

  it("offers all eight languages with English the default until an admin chooses", async () => {
    const node = await t.client.call(accounts.getNode)
    expect(node.languages).toEqual({
      enabled: ["en", "es", "fr", "pt", "ar", "ru", "tr", "fa"],
      default: "en",
    })
  })

  it("stores the admin's choice and shows it to everyone through GET /node", async () => {
    const view = await update({ languages: { enabled: ["ar", "en"], default: "ar" } })
    expect(view.languages).toEqual({ enabled: ["ar", "en"], default: "ar" })
    expect((await t.client.call(accounts.getNode)).languages).toEqual({
      enabled: ["ar", "en"],
      default: "ar",
    })
    // Another setting leaves the languages as they were.
    await update({ expiryDays: 30 })
    expect((await t.client.call(accounts.getNode)).languages.default).toBe("ar")
  })

  it("refuses a default that is not enabled, an unknown code, repeats and an empty list", async () => {
    const refused = [
      { enabled: ["en", "es"], default: "fr" },
      { enabled: ["en", "de"], default: "en" },
      { enabled: ["en", "en"], default: "en" },
      { enabled: [], default: "en" },
    ] as unknown as SettingsPatch["languages"][]
    const fields = []
    for (const languages of refused) {
      const e = await relayError(update({ languages }))
      fields.push([e.status, e.code, e.field?.startsWith("body.languages")])
    }
    expect(fields).toEqual(refused.map(() => [400, "VALIDATION", true]))
    // Nothing stored changed.
    expect((await t.client.call(accounts.getNode)).languages).toEqual({
      enabled: ["ar", "en"],
      default: "ar",
    })
  })
})
